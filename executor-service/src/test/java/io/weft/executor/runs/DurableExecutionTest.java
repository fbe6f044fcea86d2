package io.weft.executor.runs;

import io.weft.testsupport.TestTopics;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import io.weft.contracts.events.ExecutionEvent;
import io.weft.contracts.events.NodeTransition;
import io.weft.contracts.events.ExecutionRequested;
import io.weft.contracts.events.TriggerKind;
import io.weft.contracts.json.WeftJson;
import io.weft.contracts.plan.ExecutionPlan;
import io.weft.executor.engine.TestPlans;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Requests through real Kafka, checkpoints in real PostgreSQL, events read back from Kafka. */
@QuarkusTest
@QuarkusTestResource(value = FakeCompilerPlans.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = SkipOldRequests.class, restrictToAnnotatedClass = false)
class DurableExecutionTest extends KafkaRunsTest {
    @jakarta.inject.Inject
    EventOutbox outbox;

    static ExecutionPlan orderPlan() {
        return TestPlans.plan()
                .node("start", "trigger.manual", "{}")
                .node("price", "core.set", "{\"fields\":[{\"name\":\"total\",\"value\":\"{{ $json.amount }}\"}]}")
                .node("big", "core.if", "{\"conditions\":[{\"left\":\"{{ $json.total }}\",\"operator\":\"gt\",\"right\":100}]}")
                .node("vip", "core.set", "{\"fields\":[{\"name\":\"vip\",\"value\":true}]}")
                .connect("start", "main", "price", "main")
                .connect("price", "main", "big", "main")
                .connect("big", "true", "vip", "main")
                .build();
    }

    /** Manual Trigger → HTTP Request to the slow server's {@code /slow}, with more of the node's parameters (JSON, leading comma). */
    private static ExecutionPlan slowCall(com.sun.net.httpserver.HttpServer slow, String moreParameters) {
        return TestPlans.plan()
                .node("start", "trigger.manual", "{}")
                .node("call", "core.httpRequest", "{\"url\":\"http://127.0.0.1:" + slow.getAddress().getPort() + "/slow\""
                        + moreParameters + "}")
                .connect("start", "main", "call", "main")
                .build();
    }

    /** A local server whose {@code /slow} answers {@code {"ok":true}} after {@code delay}. */
    private static com.sun.net.httpserver.HttpServer slowServer(Duration delay) throws java.io.IOException {
        com.sun.net.httpserver.HttpServer slow = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress("127.0.0.1", 0), 0);
        slow.createContext("/slow", exchange -> {
            try {
                Thread.sleep(delay);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            byte[] body = "{\"ok\":true}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        slow.start();
        return slow;
    }

    private ExecutionRequested request(String executionId, ExecutionPlan plan, String triggerData) {
        JsonNode data;
        try {
            data = WeftJson.mapper().readTree(triggerData);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
        return new ExecutionRequested(UUID.randomUUID().toString(), tenant, executionId, "wf-1", 3, plan.hash(),
                TriggerKind.MANUAL, "start", data, "user-1", null, null, Instant.now());
    }

    @Test
    void runsARequestedExecutionAndReportsEveryStep() throws Exception {
        ExecutionPlan plan = orderPlan();
        FakeCompilerPlans.publish(tenant, plan);
        String execution = "exec-" + UUID.randomUUID();

        kafka.send(request(execution, plan, "{\"amount\":250}"));
        List<ExecutionEvent> events = kafka.untilTerminal(execution, WITHIN);

        assertThat(events).as("pure nodes travel with the execution's end: one flush, two events").extracting(e -> e.getClass()
                .getSimpleName()).containsExactly("ExecutionStarted", "ExecutionSucceeded");
        assertThat(events).extracting(ExecutionEvent::sequence).isSorted().doesNotHaveDuplicates();
        ExecutionEvent.ExecutionSucceeded done = (ExecutionEvent.ExecutionSucceeded) events.get(events.size() - 1);
        assertThat(done.nodes()).extracting(t -> t.nodeId() + ":" + t.status()).containsExactly(
                "start:SUCCEEDED", "price:SUCCEEDED", "big:SUCCEEDED", "vip:SUCCEEDED");
        NodeTransition firstNode = done.nodes().get(0);
        assertThat(firstNode.idempotencyKey()).isEqualTo(tenant + ":" + execution + ":start:1");
        assertThat(firstNode.startedAt()).isBeforeOrEqualTo(firstNode.finishedAt());
        assertThat(outboxRowsOnceSettled(execution)).as("published events leave the outbox").isZero();
        assertThat(done.outputPreview().toString()).isEqualTo("{\"amount\":250,\"total\":250,\"vip\":true}");

        Row row = pool.preparedQuery("SELECT status, runs, (SELECT count(*) FROM node_checkpoints WHERE execution_id = $1) AS nodes"
                + " FROM executions WHERE id = $1").execute(Tuple.of(execution)).await().atMost(Duration.ofSeconds(5)).iterator().next();
        assertThat(row.getString("status")).isEqualTo("succeeded");
        assertThat(row.getInteger("runs")).isEqualTo(1);
        assertThat(row.getLong("nodes")).isEqualTo(4);

        kafka.send(request(execution, plan, "{\"amount\":250}"));
        assertThat(kafka.during(execution, Duration.ofSeconds(2))).as("a second delivery does nothing").hasSize(events.size());
    }

    /** The execution's rows left in the outbox once acknowledged rows had time to be deleted (a few deletion rounds). */
    private long outboxRowsOnceSettled(String execution) throws InterruptedException {
        long left = -1;
        for (int round = 0; round < 25 && left != 0; round++) {
            Thread.sleep(200);
            left = pool.preparedQuery("SELECT count(*) AS left FROM event_outbox WHERE execution_id = $1").execute(Tuple.of(execution))
                    .await().atMost(Duration.ofSeconds(5)).iterator().next().getLong("left");
        }
        return left;
    }

    @Test
    void aFailingNodeFailsTheExecutionWithItsError() throws Exception {
        ExecutionPlan plan = TestPlans.plan()
                .node("start", "trigger.manual", "{}")
                .node("stop", "core.stopAndError", "{\"message\":\"out of stock: {{ $json.sku }}\"}")
                .connect("start", "main", "stop", "main")
                .build();
        FakeCompilerPlans.publish(tenant, plan);
        String execution = "exec-" + UUID.randomUUID();

        kafka.send(request(execution, plan, "{\"sku\":\"A-1\"}"));
        List<ExecutionEvent> events = kafka.untilTerminal(execution, WITHIN);

        NodeTransition failed = Transitions.last(events);
        assertThat(failed.status()).isEqualTo(NodeTransition.Status.FAILED);
        assertThat(failed.error().message()).isEqualTo("out of stock: A-1");
        assertThat(failed.handling()).isEqualTo(ExecutionEvent.FailureHandling.FAIL_EXECUTION);
        ExecutionEvent.ExecutionFailed end = (ExecutionEvent.ExecutionFailed) events.get(events.size() - 1);
        assertThat(end.failedNodeId()).isEqualTo("stop");
        assertThat(end.error().kind().name()).isEqualTo("USER_ERROR");
    }

    @Test
    void aHostileScriptFailsItsExecutionAndTheExecutorRunsTheNextOneWithItsConsole() throws Exception {
        ExecutionPlan hostile = TestPlans.plan()
                .node("start", "trigger.manual", "{}")
                .node("code", "core.code", "{\"code\":\"const keep = []; while (true) keep.push('x'.repeat(1000) + keep.length);\"}")
                .withPolicy("code", "timeout:2000")
                .connect("start", "main", "code", "main")
                .build();
        ExecutionPlan friendly = TestPlans.plan()
                .node("start", "trigger.manual", "{}")
                .node("code", "core.code", "{\"code\":\"console.log('total', $json.qty * 2);\\nreturn [{ total: $json.qty * 2 }];\"}")
                .connect("start", "main", "code", "main")
                .build();
        FakeCompilerPlans.publish(tenant, hostile);
        FakeCompilerPlans.publish(tenant, friendly);
        String first = "exec-" + UUID.randomUUID();
        String second = "exec-" + UUID.randomUUID();

        kafka.send(request(first, hostile, "{}"));
        List<ExecutionEvent> failedRun = kafka.untilTerminal(first, WITHIN);
        ExecutionEvent.ExecutionFailed failed = (ExecutionEvent.ExecutionFailed) failedRun.get(failedRun.size() - 1);
        assertThat(failed.failedNodeId()).isEqualTo("code");
        assertThat(failed.error().kind().name()).isIn("SCRIPT", "TIMEOUT");

        kafka.send(request(second, friendly, "{\"qty\":21}"));
        List<ExecutionEvent> events = kafka.untilTerminal(second, WITHIN);
        NodeTransition code = Transitions.first(events, "code", NodeTransition.Status.SUCCEEDED);
        assertThat(code.outputPreview().toString()).isEqualTo("{\"total\":42}");
        assertThat(code.console()).containsExactly(new io.weft.contracts.events.ConsoleLine("log", "total 42"));
    }

    @Test
    void aRespondToWebhookNodePublishesTheAnswerBeforeTheExecutionEnds() throws Exception {
        ExecutionPlan plan = TestPlans.plan()
                .node("start", "trigger.manual", "{}")
                .node("respond", "core.respondToWebhook", "{\"statusCode\":202,\"headers\":{\"X-Order\":\"{{ $json.sku }}\"}}")
                .node("after", "core.set", "{\"fields\":[{\"name\":\"after\",\"value\":true}]}")
                .connect("start", "main", "respond", "main")
                .connect("respond", "main", "after", "main")
                .build();
        FakeCompilerPlans.publish(tenant, plan);
        String execution = "exec-" + UUID.randomUUID();

        kafka.send(request(execution, plan, "{\"sku\":\"A-1\"}"));
        List<ExecutionEvent> events = kafka.untilTerminal(execution, WITHIN);

        ExecutionEvent.WebhookResponded answer = events.stream().filter(ExecutionEvent.WebhookResponded.class::isInstance)
                .map(ExecutionEvent.WebhookResponded.class::cast).findFirst().orElseThrow();
        assertThat(answer.statusCode()).isEqualTo(202);
        assertThat(answer.headers()).containsEntry("X-Order", "A-1");
        assertThat(answer.body().toString()).isEqualTo("{\"sku\":\"A-1\"}");
        assertThat(answer.sequence()).isLessThan(events.get(events.size() - 1).sequence());
        assertThat(events.get(events.size() - 1)).isInstanceOf(ExecutionEvent.ExecutionSucceeded.class);
    }

    @Test
    void aWebhookThatAnswersWhenTheLastNodeFinishesGetsTheLastOutputBeforeTheEnd() throws Exception {
        ExecutionPlan plan = TestPlans.plan()
                .node("hook", "trigger.webhook", "{\"respond\":\"whenLastNodeFinishes\"}")
                .node("shape", "core.set", "{\"fields\":[{\"name\":\"total\",\"value\":\"{{ $json.body.qty }}\"}]}")
                .connect("hook", "main", "shape", "main")
                .build();
        FakeCompilerPlans.publish(tenant, plan);
        String execution = "exec-" + UUID.randomUUID();

        kafka.send(new ExecutionRequested(UUID.randomUUID().toString(), tenant, execution, "wf-1", 3, plan.hash(),
                TriggerKind.WEBHOOK, "hook", WeftJson.mapper().readTree("{\"body\":{\"qty\":3}}"), "webhook", null, null,
                Instant.now()));
        List<ExecutionEvent> events = kafka.untilTerminal(execution, WITHIN);

        ExecutionEvent.WebhookResponded answer = kafka.until(execution, ExecutionEvent.WebhookResponded.class, WITHIN);
        assertThat(answer.sequence()).isLessThan(events.get(events.size() - 1).sequence());
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.contentType()).isEqualTo("application/json");
        assertThat(answer.body().toString()).isEqualTo("{\"body\":{\"qty\":3},\"total\":3}");
        assertThat(events.get(events.size() - 1)).isInstanceOf(ExecutionEvent.ExecutionSucceeded.class);

        String manual = "exec-" + UUID.randomUUID();
        kafka.send(new ExecutionRequested(UUID.randomUUID().toString(), tenant, manual, "wf-1", 3, plan.hash(),
                TriggerKind.MANUAL, "hook", WeftJson.mapper().readTree("{}"), "user-1", null, null, Instant.now()));
        assertThat(kafka.untilTerminal(manual, WITHIN)).noneMatch(ExecutionEvent.WebhookResponded.class::isInstance);
    }

    @Test
    void aSynchronousWebhookOfFourPureNodesIsThreeEventsStartToFinish() throws Exception {
        ExecutionPlan plan = TestPlans.plan()
                .node("hook", "trigger.webhook", "{}")
                .node("shape", "core.set", "{\"fields\":[{\"name\":\"total\",\"value\":\"{{ $json.body.qty }}\"}]}")
                .node("big", "core.if", "{\"conditions\":[{\"left\":\"{{ $json.total }}\",\"operator\":\"gt\",\"right\":1}]}")
                .node("answer", "core.respondToWebhook", "{\"statusCode\":201}")
                .connect("hook", "main", "shape", "main")
                .connect("shape", "main", "big", "main")
                .connect("big", "true", "answer", "main")
                .build();
        FakeCompilerPlans.publish(tenant, plan);
        String execution = "exec-" + UUID.randomUUID();

        kafka.send(new ExecutionRequested(UUID.randomUUID().toString(), tenant, execution, "wf-1", 3, plan.hash(),
                TriggerKind.WEBHOOK, "hook", WeftJson.mapper().readTree("{\"body\":{\"qty\":3}}"), "webhook", null, null,
                Instant.now()));
        kafka.untilTerminal(execution, WITHIN);
        List<ExecutionEvent> events = kafka.during(execution, Duration.ofSeconds(1));

        assertThat(events).extracting(e -> e.getClass().getSimpleName())
                .containsExactlyInAnyOrder("ExecutionStarted", "WebhookResponded", "ExecutionSucceeded");
        assertThat(Transitions.all(events)).extracting(t -> t.nodeId() + ":" + t.status()).containsExactly(
                "hook:SUCCEEDED", "shape:SUCCEEDED", "big:SUCCEEDED", "answer:SUCCEEDED");
    }

    @Test
    void aNodeBlockedOnASlowCallIsPublishedRunningBeforeItFinishes() throws Exception {
        com.sun.net.httpserver.HttpServer slow = slowServer(Duration.ofSeconds(3));
        try {
            ExecutionPlan plan = slowCall(slow, "");
            FakeCompilerPlans.publish(tenant, plan);
            String execution = "exec-" + UUID.randomUUID();

            kafka.send(request(execution, plan, "{}"));
            ExecutionEvent.NodesProgressed progress = kafka.until(execution, ExecutionEvent.NodesProgressed.class, WITHIN);
            assertThat(progress.nodes()).extracting(t -> t.nodeId() + ":" + t.status())
                    .containsExactly("start:SUCCEEDED", "call:RUNNING");
            assertThat(status(execution)).as("told while the call still waits").isEqualTo("running");

            List<ExecutionEvent> events = kafka.untilTerminal(execution, WITHIN);
            assertThat(Transitions.last(events)).extracting(NodeTransition::nodeId, NodeTransition::status)
                    .containsExactly("call", NodeTransition.Status.SUCCEEDED);
        } finally {
            slow.stop(0);
        }
    }

    @Test
    void eventsLeftInTheOutboxByADeadExecutorArePublishedByTheRelayAndDeleted() throws Exception {
        // The executor committed the end of a run and died before Kafka had the event.
        String execution = "exec-" + UUID.randomUUID();
        ExecutionEvent.ExecutionSucceeded lost = new ExecutionEvent.ExecutionSucceeded(UUID.randomUUID().toString(), tenant,
                execution, "wf-1", 7, 1234, WeftJson.mapper().readTree("{\"ok\":true}"), List.of(), Instant.now());
        leftInOutbox(lost, 60);

        List<ExecutionEvent> events = kafka.untilTerminal(execution, WITHIN);

        assertThat(events).containsExactly(lost);
        assertThat(outboxRowsOnceSettled(execution)).isZero();
    }

    @Test
    void aNulCharacterInTheDataDoesNotBreakTheCheckpoints() throws Exception {
        ExecutionPlan plan = orderPlan();
        FakeCompilerPlans.publish(tenant, plan);
        String execution = "exec-" + UUID.randomUUID();

        kafka.send(request(execution, plan, "{\"amount\":500,\"note\":\"a\\u0000b\"}"));
        List<ExecutionEvent> events = kafka.untilTerminal(execution, WITHIN);

        assertThat(events.get(events.size() - 1)).isInstanceOf(ExecutionEvent.ExecutionSucceeded.class);
        assertThat(status(execution)).isEqualTo("succeeded");
    }

    @Test
    void aPlanThatCannotBeFoundFailsTheExecutionVisibly() throws Exception {
        ExecutionPlan unpublished = orderPlan();
        String execution = "exec-" + UUID.randomUUID();
        String otherTenant = UUID.randomUUID().toString();
        FakeCompilerPlans.publish(otherTenant, unpublished);

        kafka.send(request(execution, unpublished, "{}"));
        List<ExecutionEvent> events = kafka.untilTerminal(execution, WITHIN);

        ExecutionEvent.ExecutionFailed failed = (ExecutionEvent.ExecutionFailed) events.get(events.size() - 1);
        assertThat(failed.error().message()).contains("no such plan for this tenant");
    }

    @Test
    void anExecutionWhoseExecutorDiedResumesWithoutRerunningFinishedNodes() throws Exception {
        ExecutionPlan plan = orderPlan();
        FakeCompilerPlans.publish(tenant, plan);
        String execution = "exec-" + UUID.randomUUID();
        // What a dead executor left: the trigger and "price" checkpointed (price with a value the live run would not
        // compute, to prove it is used), "big" was running, the lease ran out a minute ago.
        pool.preparedQuery("""
                INSERT INTO executions (id, tenant_id, workflow_id, workflow_version, plan_hash, trigger_kind, trigger_node_id,
                                        trigger_data, status, sequence, lease_owner, lease_until, runs)
                VALUES ($1, $2, 'wf-1', 3, $3, 'MANUAL', 'start', '{"amount":5}', 'running', 1004, 'executor-dead',
                        now() - interval '1 minute', 1)""").execute(Tuple.of(execution, tenant, plan.hash()))
                .await().atMost(Duration.ofSeconds(5));
        checkpoint(execution, "start", "{\"ports\":{\"main\":[{\"json\":{\"amount\":5}}]}}");
        checkpoint(execution, "price", "{\"ports\":{\"main\":[{\"json\":{\"amount\":5,\"total\":500,\"checkpointed\":true}}]}}");
        // ... and the event of that checkpoint, committed with it three seconds ago and never published
        Instant priced = Instant.now().minusSeconds(3);
        ExecutionEvent.NodesProgressed unpublished = new ExecutionEvent.NodesProgressed(UUID.randomUUID().toString(), tenant,
                execution, "wf-1", 1004, List.of(new NodeTransition("price", "price", "core.set", NodeTransition.Status.SUCCEEDED, 1,
                        null, priced, priced, 0L, 1, null, null, null, null, null, List.of())), priced);
        leftInOutbox(unpublished, 3);

        kafka.send(request(execution, plan, "{\"amount\":5}"));
        List<ExecutionEvent> events = kafka.untilTerminal(execution, WITHIN);

        assertThat(events.get(0)).as("the dead executor's committed event goes out before the new run's").isEqualTo(unpublished);
        ExecutionEvent.ExecutionStarted started = (ExecutionEvent.ExecutionStarted) events.get(1);
        assertThat(started.resumed()).isTrue();
        assertThat(started.sequence()).isGreaterThan(1004);
        assertThat(Transitions.startedAttempts(events.subList(1, events.size()))).containsExactly("big#2", "vip#2");
        ExecutionEvent.ExecutionSucceeded done = (ExecutionEvent.ExecutionSucceeded) events.get(events.size() - 1);
        assertThat(done.outputPreview()).isEqualTo(WeftJson.mapper().readTree("{\"amount\":5,\"total\":500,\"checkpointed\":true,\"vip\":true}"));
    }

    @Test
    void anExecutionLeasedByALiveExecutorIsLeftAlone() throws Exception {
        ExecutionPlan plan = orderPlan();
        FakeCompilerPlans.publish(tenant, plan);
        String execution = "exec-" + UUID.randomUUID();
        pool.preparedQuery("""
                INSERT INTO executions (id, tenant_id, workflow_id, workflow_version, plan_hash, trigger_kind, trigger_data,
                                        status, lease_owner, lease_until, runs)
                VALUES ($1, $2, 'wf-1', 3, $3, 'MANUAL', '{}', 'running', 'executor-alive', now() + interval '1 minute', 1)""")
                .execute(Tuple.of(execution, tenant, plan.hash())).await().atMost(Duration.ofSeconds(5));

        kafka.send(request(execution, plan, "{\"amount\":500}"));

        assertThat(kafka.during(execution, Duration.ofSeconds(3))).isEmpty();
        Row row = pool.preparedQuery("SELECT runs, lease_owner FROM executions WHERE id = $1").execute(Tuple.of(execution))
                .await().atMost(Duration.ofSeconds(5)).iterator().next();
        assertThat(row.getInteger("runs")).isEqualTo(1);
        assertThat(row.getString("lease_owner")).isEqualTo("executor-alive");
    }

    @Test
    void theHeartbeatKeepsTheLeaseThroughANodeLongerThanIt() throws Exception {
        // The test lease is 5 s (FakeCompilerPlans); the node takes 7 s. Six seconds in, the lease must still be live,
        // or another executor would take the execution over while its node is still running.
        com.sun.net.httpserver.HttpServer slow = slowServer(Duration.ofSeconds(7));
        try {
            ExecutionPlan plan = slowCall(slow, "");
            FakeCompilerPlans.publish(tenant, plan);
            String execution = "exec-" + UUID.randomUUID();

            kafka.send(request(execution, plan, "{}"));
            kafka.during(execution, Duration.ofSeconds(6));
            Row lease = pool.preparedQuery("SELECT status, lease_until > now() AS live FROM executions WHERE id = $1")
                    .execute(Tuple.of(execution)).await().atMost(Duration.ofSeconds(5)).iterator().next();
            assertThat(lease.getString("status")).isEqualTo("running");
            assertThat(lease.getBoolean("live")).as("lease renewed while the node runs").isTrue();
            List<ExecutionEvent> events = kafka.untilTerminal(execution, WITHIN);

            assertThat(events.get(events.size() - 1)).isInstanceOf(ExecutionEvent.ExecutionSucceeded.class);
            assertThat(Transitions.last(events).durationMs()).isGreaterThanOrEqualTo(7000);
        } finally {
            slow.stop(0);
        }
    }

    /**
     * A request is acknowledged when its run ends, and runs may take minutes (a slow LLM call: a
     * node's default timeout is 5 min). The connector's own "unacknowledged for 60 s" check would
     * stop the requests channel for good, so it is off; this run takes 65 s, and the next request
     * must still be run.
     */
    @Test
    void aRunLongerThanAMinuteDoesNotStopTheExecutorTakingRequests() throws Exception {
        com.sun.net.httpserver.HttpServer slow = slowServer(Duration.ofSeconds(65));
        try {
            ExecutionPlan longPlan = slowCall(slow, ",\"timeoutMs\":90000");
            FakeCompilerPlans.publish(tenant, longPlan);
            String longRun = "exec-" + UUID.randomUUID();
            kafka.send(request(longRun, longPlan, "{}"));
            assertThat(kafka.untilTerminal(longRun, Duration.ofSeconds(90)).getLast())
                    .isInstanceOf(ExecutionEvent.ExecutionSucceeded.class);

            ExecutionPlan plan = orderPlan();
            FakeCompilerPlans.publish(tenant, plan);
            String next = "exec-" + UUID.randomUUID();
            kafka.send(request(next, plan, "{\"amount\":250}"));
            assertThat(kafka.untilTerminal(next, WITHIN).getLast()).isInstanceOf(ExecutionEvent.ExecutionSucceeded.class);
        } finally {
            slow.stop(0);
        }
    }

    @Test
    void everyNodeBeforeOneThatReachesOutIsCheckpointedBeforeItStartsAndEveryNodeByTheEnd() throws Exception {
        // Pure nodes are saved in batches; the server answers with the checkpoints it finds while it is being called.
        String execution = "exec-" + UUID.randomUUID();
        com.sun.net.httpserver.HttpServer server = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/seen", exchange -> {
            List<String> saved = new java.util.ArrayList<>();
            pool.preparedQuery("SELECT node_id FROM node_checkpoints WHERE execution_id = $1 ORDER BY node_id")
                    .execute(Tuple.of(execution)).await().atMost(Duration.ofSeconds(5)).forEach(row -> saved.add(row.getString("node_id")));
            byte[] body = WeftJson.mapper().writeValueAsBytes(java.util.Map.of("saved", saved));
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        try {
            ExecutionPlan plan = TestPlans.plan()
                    .node("start", "trigger.manual", "{}")
                    .node("price", "core.set", "{\"fields\":[{\"name\":\"total\",\"value\":\"{{ $json.amount }}\"}]}")
                    .node("call", "core.httpRequest", "{\"url\":\"http://127.0.0.1:" + server.getAddress().getPort() + "/seen\"}")
                    .node("done", "core.set", "{\"fields\":[{\"name\":\"done\",\"value\":true}]}")
                    .connect("start", "main", "price", "main")
                    .connect("price", "main", "call", "main")
                    .connect("call", "main", "done", "main")
                    .build();
            FakeCompilerPlans.publish(tenant, plan);

            kafka.send(request(execution, plan, "{\"amount\":7}"));
            List<ExecutionEvent> events = kafka.untilTerminal(execution, WITHIN);

            ExecutionEvent.ExecutionSucceeded done = (ExecutionEvent.ExecutionSucceeded) events.get(events.size() - 1);
            assertThat(done.outputPreview().toString()).contains("\"saved\":[\"price\",\"start\"]");
            List<String> saved = new java.util.ArrayList<>();
            pool.preparedQuery("SELECT node_id, status, output IS NOT NULL AS has_output FROM node_checkpoints"
                            + " WHERE execution_id = $1 ORDER BY node_id")
                    .execute(Tuple.of(execution)).await().atMost(Duration.ofSeconds(5))
                    .forEach(row -> saved.add(row.getString("node_id") + ":" + row.getString("status") + ":" + row.getBoolean("has_output")));
            assertThat(saved).containsExactly("call:SUCCEEDED:true", "done:SUCCEEDED:true", "price:SUCCEEDED:true",
                    "start:SUCCEEDED:true");
        } finally {
            server.stop(0);
        }
    }

    @Test
    void anUnreadableRequestBecomesADeadLetterWithItsBytes() throws Exception {
        long[] at = kafka.sendRaw("{ this is not a cloud event".getBytes(java.nio.charset.StandardCharsets.UTF_8));

        Row row = null;
        long deadline = System.nanoTime() + WITHIN.toNanos();
        while (row == null && System.nanoTime() < deadline) {
            var rows = pool.preparedQuery("SELECT reason, message, convert_from(payload, 'UTF8') AS payload FROM dead_letters"
                            + " WHERE source_topic = $3 AND source_partition = $1 AND source_offset = $2")
                    .execute(Tuple.of((int) at[0], at[1], TestTopics.EXECUTION_REQUESTS)).await().atMost(Duration.ofSeconds(5));
            row = rows.rowCount() == 0 ? null : rows.iterator().next();
            if (row == null) {
                Thread.sleep(200);
            }
        }
        assertThat(row).as("dead letter stored").isNotNull();
        assertThat(row.getString("reason")).isEqualTo("UNREADABLE_MESSAGE");
        assertThat(row.getString("message")).isNotBlank();
        assertThat(row.getString("payload")).isEqualTo("{ this is not a cloud event");
        var announced = kafka.deadLetterFor(at[0], at[1], WITHIN);
        assertThat(announced.reason()).isEqualTo(io.weft.contracts.events.DeadLetter.Reason.UNREADABLE_MESSAGE);
        assertThat(announced.payloadPreview()).isEqualTo("{ this is not a cloud event");
    }

    /** An event committed {@code secondsAgo} by an executor that died before Kafka had it. */
    private void leftInOutbox(ExecutionEvent event, int secondsAgo) {
        EventOutbox.Encoded encoded = outbox.encode(event);
        pool.preparedQuery("INSERT INTO event_outbox (execution_id, sequence, tenant_id, event_type, event_id, data, created_at)"
                        + " VALUES ($1, $2, $3, $4, $5, $6, now() - $7 * interval '1 second')")
                .execute(Tuple.from(List.of(event.executionId(), event.sequence(), event.tenantId(), encoded.type(), event.eventId(),
                        encoded.data(), secondsAgo)))
                .await().atMost(Duration.ofSeconds(5));
    }

    private void checkpoint(String execution, String node, String output) {
        pool.preparedQuery("INSERT INTO node_checkpoints (execution_id, node_id, status, attempt, output, duration_ns)"
                        + " VALUES ($1, $2, 'SUCCEEDED', 1, $3::text::jsonb, 1000)")
                .execute(Tuple.of(execution, node, output)).await().atMost(Duration.ofSeconds(5));
    }
}
