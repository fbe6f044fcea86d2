package io.weft.workflow.streaming;

import static io.weft.workflow.Transitions.progressed;
import static io.weft.workflow.Transitions.retrying;
import static io.weft.workflow.Transitions.running;
import static io.weft.workflow.Transitions.succeeded;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import io.weft.contracts.events.ErrorKind;
import io.weft.contracts.events.ExecutionError;
import io.weft.contracts.events.ExecutionEvent;
import io.weft.contracts.events.TriggerKind;
import io.weft.contracts.json.WeftJson;
import io.weft.contracts.live.TokenChunk;
import io.weft.testsupport.InternalTokens;
import io.weft.workflow.FakeCompiler;
import io.weft.workflow.executions.KafkaApiTest;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.URL;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Server-sent events from events on real Kafka, stored in real PostgreSQL. */
@QuarkusTest
@QuarkusTestResource(value = FakeCompiler.class, restrictToAnnotatedClass = false)
class StreamingTest extends KafkaApiTest {

    @TestHTTPResource("/api/streaming/executions")
    URL streams;

    @Inject
    Pool pool;

    @Inject
    io.quarkus.redis.datasource.ReactiveRedisDataSource redis;

    private List<ExecutionEvent> life(String execution) {
        String tid = tenant.toString();
        Instant t = Instant.now();
        return List.of(
                new ExecutionEvent.ExecutionStarted("e1", tid, execution, "wf-1", 1, 1, "h", TriggerKind.MANUAL, "x", false, t),
                progressed("e2", tid, execution, "wf-1", 2, succeeded("start", "Start", "trigger.manual", 1, t, 1,
                        WeftJson.mapper().createObjectNode().put("n", 1))),
                progressed("e3", tid, execution, "wf-1", 3, running("set", "Set", "core.set", 1, t)),
                progressed("e4", tid, execution, "wf-1", 4, retrying("set", "Set", "core.set", 1, t, t.plusMillis(5),
                        new ExecutionError(ErrorKind.HTTP_SERVER_ERROR, "answered 503", true, "set", null))),
                progressed("e5", tid, execution, "wf-1", 5, running("set", "Set", "core.set", 2, t.plusMillis(5))),
                new ExecutionEvent.ExecutionSucceeded("e6", tid, execution, "wf-1", 6, 3, null, List.of(succeeded("set", "Set",
                        "core.set", 2, t.plusMillis(5), 1, WeftJson.mapper().createObjectNode().put("n", 2))), t));
    }

    private URI stream(String execution) {
        return URI.create(streams + "/" + execution + "/events");
    }

    /**
     * The stream tells the execution's state from the read model: a client that connects late gets
     * what happened in one event per status and one for the nodes after it, each with the newest
     * sequence it covers as its id; then each change as the read model takes it in.
     */
    @Test
    void aStreamReplaysWhatHappenedFollowsWhatHappensAndEndsAfterTheLastEvent() throws Exception {
        String execution = "exec-" + UUID.randomUUID();
        List<ExecutionEvent> life = life(execution);
        kafka.send(life.subList(0, 3).toArray(ExecutionEvent[]::new));
        try (SseClient client = openWhenAt(execution, "set", "running")) {
            List<SseClient.Event> replayed = client.take(2, WITHIN);
            assertThat(replayed).extracting(SseClient.Event::id).containsExactly("1", "3");
            assertThat(replayed).extracting(SseClient.Event::name)
                    .containsExactly("dev.weft.execution.started.v2", "dev.weft.execution.nodes-progressed.v2");
            JsonNode nodes = WeftJson.mapper().readTree(replayed.get(1).data()).path("nodes");
            assertThat(nodes.findValuesAsText("nodeId")).containsExactly("start", "set");
            assertThat(nodes.at("/0/outputPreview/n").asInt()).isEqualTo(1);
            assertThat(nodes.at("/1/status").asText()).as("a node that blocks is on the stream as running before it ends")
                    .isEqualTo("RUNNING");

            kafka.send(life.subList(3, 6).toArray(ExecutionEvent[]::new));
            List<SseClient.Event> followed = new java.util.ArrayList<>();
            for (SseClient.Event event = client.next(WITHIN); event != null; event = client.next(WITHIN)) {
                followed.add(event);
            }
            assertThat(followed).as("the stream ends after the terminal event").isNotEmpty();
            assertThat(followed).extracting(event -> Long.parseLong(event.id())).isSorted().allMatch(id -> id > 3 && id <= 6);
            SseClient.Event last = followed.get(followed.size() - 1);
            assertThat(last.id()).isEqualTo("6");
            assertThat(last.name()).isEqualTo("dev.weft.execution.succeeded.v2");
            JsonNode set = WeftJson.mapper().readTree(last.data()).at("/nodes/0");
            assertThat(set.path("nodeId").asText()).isEqualTo("set");
            assertThat(set.path("status").asText()).isEqualTo("SUCCEEDED");
            assertThat(set.path("attempt").asInt()).isEqualTo(2);
        }
        try (SseClient again = new SseClient(stream(execution), viewer, "6")) {
            assertThat(again.status).as("an EventSource reconnecting after the end is told to stop").isEqualTo(204);
        }
        try (SseClient replay = new SseClient(stream(execution), viewer, "4")) {
            assertThat(replay.take(1, WITHIN)).extracting(SseClient.Event::id).containsExactly("6");
            assertThat(replay.next(WITHIN)).isNull();
        }
    }

    @Test
    void aClientThatReconnectsWithItsLastEventIdLosesNothingAndGetsNothingTwice() throws Exception {
        String execution = "exec-" + UUID.randomUUID();
        List<ExecutionEvent> life = life(execution);
        kafka.send(life.subList(0, 4).toArray(ExecutionEvent[]::new));
        String last;
        try (SseClient first = openWhenAt(execution, "set", "retrying")) {
            List<SseClient.Event> seen = first.take(2, WITHIN);
            assertThat(WeftJson.mapper().readTree(seen.get(1).data()).at("/nodes/1/error/message").asText()).isEqualTo("answered 503");
            last = seen.get(1).id();
        } // the connection drops
        assertThat(last).isEqualTo("4");
        kafka.send(life.subList(4, 6).toArray(ExecutionEvent[]::new));

        try (SseClient again = new SseClient(stream(execution), viewer, last)) {
            // The client may reconnect while the read model holds sequence 5 only: then 5 comes, and 6 after it.
            List<SseClient.Event> rest = new java.util.ArrayList<>();
            for (SseClient.Event event = again.next(WITHIN); event != null; event = again.next(WITHIN)) {
                rest.add(event);
            }
            assertThat(rest).extracting(event -> Long.parseLong(event.id())).as("nothing twice, nothing already seen")
                    .doesNotHaveDuplicates().isSorted().allMatch(id -> id > 4);
            SseClient.Event end = rest.get(rest.size() - 1);
            assertThat(end.id()).isEqualTo("6");
            assertThat(end.name()).isEqualTo("dev.weft.execution.succeeded.v2");
            for (SseClient.Event event : rest) {
                assertThat(WeftJson.mapper().readTree(event.data()).path("nodes").findValuesAsText("nodeId"))
                        .as("only what changed after the client's last event").containsExactly("set");
            }
            assertThat(WeftJson.mapper().readTree(end.data()).at("/nodes/0/attempt").asInt()).as("nothing lost").isEqualTo(2);
        }
    }

    @Test
    void streamsAreTheTenantsOwnAndRefuseHostileIds() throws Exception {
        String execution = "exec-" + UUID.randomUUID();
        kafka.send(life(execution).get(0));
        openWhenKnown(execution).close();
        try (SseClient stranger = new SseClient(stream(execution), InternalTokens.user(UUID.randomUUID(), "x", "owner"), null)) {
            assertThat(stranger.status).isEqualTo(404);
        }
        try (SseClient unknown = new SseClient(stream("exec-" + UUID.randomUUID()), viewer, null)) {
            assertThat(unknown.status).isEqualTo(404);
        }
        for (String hostile : List.of("abc", "-1", "1' OR '1'='1", "99999999999999999999999")) {
            try (SseClient bad = new SseClient(stream(execution), viewer, hostile)) {
                assertThat(bad.status).as(hostile).isEqualTo(400);
            }
        }
        try (SseClient keyWithoutScope = new SseClient(stream(execution), InternalTokens.apiKey(tenant, "k", "workflows:read"), null)) {
            assertThat(keyWithoutScope.status).isEqualTo(403);
        }
        for (String hostile : List.of("%00", "x".repeat(2_000), "..%2F..%2Fetc", "%F0%9F%92%A5", "1'%20OR%20'1'='1")) {
            try (SseClient bad = new SseClient(URI.create(streams + "/" + hostile + "/events"), viewer, null)) {
                assertThat(bad.status).as(hostile.substring(0, Math.min(20, hostile.length()))).isIn(400, 404);
            }
        }
        try (SseClient keyWithoutScope = new SseClient(URI.create(streams.toString()), InternalTokens.apiKey(tenant, "k", "workflows:read"),
                null)) {
            assertThat(keyWithoutScope.status).as("the tenant stream needs executions:read").isEqualTo(403);
        }
    }

    @Test
    void theTenantStreamCarriesStatusChangesOfItsExecutionsOnly() throws Exception {
        try (SseClient changes = new SseClient(URI.create(streams.toString()), viewer, null)) {
            assertThat(changes.status).isEqualTo(200);
            Thread.sleep(300);
            String other = "exec-" + UUID.randomUUID();
            kafka.send(new ExecutionEvent.ExecutionStarted("o1", UUID.randomUUID().toString(), other, "wf-1", 1, 1, "h",
                    TriggerKind.MANUAL, "x", false, Instant.now()));
            String execution = "exec-" + UUID.randomUUID();
            kafka.send(life(execution).toArray(ExecutionEvent[]::new));

            List<SseClient.Event> seen = changes.take(2, WITHIN);
            assertThat(seen).extracting(SseClient.Event::name)
                    .containsExactly("dev.weft.execution.started.v2", "dev.weft.execution.succeeded.v2");
            assertThat(seen).allSatisfy(event -> assertThat(event.data()).contains(execution).doesNotContain(other));
        }
    }

    @Test
    void quietStreamsGetKeepAliveComments() throws Exception {
        String execution = "exec-" + UUID.randomUUID();
        kafka.send(life(execution).get(0));
        try (SseClient stream = openWhenKnown(execution); SseClient changes = new SseClient(URI.create(streams.toString()), viewer, null)) {
            assertThat(stream.take(1, WITHIN)).extracting(SseClient.Event::id).containsExactly("1");
            // The default keep-alive is 15 s; the test profile's 300 ms must be what is used.
            Duration soon = Duration.ofSeconds(2);
            assertThat(stream.comment(soon)).isEqualTo("listening");
            assertThat(stream.comment(soon)).isEqualTo("keep-alive");
            assertThat(changes.comment(soon)).isEqualTo("listening");
            assertThat(changes.comment(soon)).isEqualTo("keep-alive");
        }
    }

    @Test
    void aStreamOfAFinishedExecutionWithoutItsTerminalEventEndsAfterWhatIsStored() throws Exception {
        // A held run withdrawn while the broker was away is cancelled in the read model with no event stored.
        String execution = "exec-" + UUID.randomUUID();
        kafka.send(life(execution).get(0));
        openWhenKnown(execution).close();
        pool.preparedQuery("UPDATE executions SET status = 'cancelled', finished_at = now() WHERE tenant_id = $1 AND id = $2")
                .execute(Tuple.of(tenant, execution)).await().atMost(WITHIN);
        try (SseClient stream = new SseClient(stream(execution), viewer, null)) {
            assertThat(stream.take(1, WITHIN)).extracting(SseClient.Event::id).containsExactly("1");
            assertThat(stream.next(Duration.ofSeconds(3))).as("the stream ends at once").isNull();
        }
        try (SseClient resumed = new SseClient(stream(execution), viewer, "1")) {
            assertThat(resumed.status).as("204 tells a browser's EventSource to stop reconnecting").isEqualTo(204);
        }
    }

    /** Publishes as an executor does; the count is how many subscriptions took the chunk. */
    private long publish(String tenantId, String execution, TokenChunk chunk) {
        return redis.execute("PUBLISH", TokenChunk.channel(tenantId, execution), WeftJson.mapper().valueToTree(chunk).toString())
                .await().atMost(WITHIN).toLong();
    }

    private long subscriptions(String tenantId, String execution) {
        return redis.execute("PUBSUB", "NUMSUB", TokenChunk.channel(tenantId, execution)).await().atMost(WITHIN).get(1).toLong();
    }

    @Test
    void anAiNodesTokensReachTheStreamLiveAndOnlyTheTenantsOwn() throws Exception {
        String execution = "exec-" + UUID.randomUUID();
        List<ExecutionEvent> life = life(execution);
        kafka.send(life.subList(0, 3).toArray(ExecutionEvent[]::new));
        try (SseClient client = openWhenAt(execution, "set", "running")) {
            assertThat(client.take(2, WITHIN)).extracting(SseClient.Event::id).containsExactly("1", "3");
            long deadline = System.nanoTime() + WITHIN.toNanos();
            while (subscriptions(tenant.toString(), execution) == 0 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(publish(UUID.randomUUID().toString(), execution, new TokenChunk("set", 0, 1, "another tenant's")))
                    .as("another tenant's channel of the same execution id has no listener").isZero();
            assertThat(publish(tenant.toString(), execution, new TokenChunk("set", 0, 1, "Hel"))).isEqualTo(1);
            assertThat(publish(tenant.toString(), execution, new TokenChunk("set", 0, 2, "lo"))).isEqualTo(1);

            List<SseClient.Event> tokens = client.take(2, WITHIN);
            assertThat(tokens).extracting(SseClient.Event::name).containsOnly(TokenChunk.EVENT_NAME);
            assertThat(tokens).extracting(SseClient.Event::id).as("live only: no id to resume from").containsOnlyNulls();
            assertThat(tokens).extracting(event -> WeftJson.mapper().readTree(event.data()).path("text").asText()).containsExactly("Hel", "lo");
            assertThat(WeftJson.mapper().readTree(tokens.get(1).data()).path("sequence").asInt()).isEqualTo(2);

            kafka.send(life.subList(3, 6).toArray(ExecutionEvent[]::new));
            SseClient.Event last = null;
            for (SseClient.Event event = client.next(WITHIN); event != null; event = client.next(WITHIN)) {
                last = event;
            }
            assertThat(last.name()).as("the stream still ends after the terminal event").isEqualTo("dev.weft.execution.succeeded.v2");
        }
        long deadline = System.nanoTime() + WITHIN.toNanos();
        while (subscriptions(tenant.toString(), execution) > 0 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(subscriptions(tenant.toString(), execution)).as("the channel is let go with its last listener").isZero();
    }

    /** Opens a stream of the execution once the read model has the node at that status. */
    private SseClient openWhenAt(String execution, String nodeId, String status) throws Exception {
        long deadline = System.nanoTime() + WITHIN.toNanos();
        while (System.nanoTime() < deadline) {
            var response = io.restassured.RestAssured.given().auth().oauth2(viewer).get("/api/orchestrator/executions/" + execution);
            if (response.statusCode() == 200 && response.jsonPath().getList("nodes.findAll { it.nodeId == '" + nodeId
                    + "' && it.status == '" + status + "' }").size() == 1) {
                return new SseClient(stream(execution), viewer, null);
            }
            Thread.sleep(100);
        }
        throw new AssertionError("execution " + execution + " never reached " + nodeId + " " + status + " in the read model");
    }

    /** Opens a stream of the execution once the read model knows it (the stream then waits for its events). */
    private SseClient openWhenKnown(String execution) throws Exception {
        long deadline = System.nanoTime() + WITHIN.toNanos();
        while (System.nanoTime() < deadline) {
            var response = io.restassured.RestAssured.given().auth().oauth2(viewer).get("/api/orchestrator/executions/" + execution);
            if (response.statusCode() == 200) {
                return new SseClient(stream(execution), viewer, null);
            }
            Thread.sleep(100);
        }
        throw new AssertionError("execution " + execution + " never reached the read model");
    }
}
