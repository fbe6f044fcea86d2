package io.weft.logs.ingest;

import io.weft.testsupport.TestTopics;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Transaction;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import io.weft.contracts.events.ConsoleLine;
import io.weft.contracts.events.ExecutionEvent;
import io.weft.contracts.identity.Tier;
import io.weft.contracts.events.WeftEvent;
import io.weft.contracts.json.WeftJson;
import io.weft.logs.Events;
import io.weft.logs.Eventually;
import io.weft.logs.FakeGateway;
import io.weft.logs.LogsKafka;
import io.weft.logs.partitions.LogPartitions;
import io.weft.logs.partitions.LogTable;
import io.weft.logs.partitions.PartitionDay;
import io.weft.testsupport.InternalTokens;
import jakarta.inject.Inject;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** From execution events on the real broker to the timeline and history APIs, redacted, deduplicated, per tenant. */
@QuarkusTest
@QuarkusTestResource(value = FakeGateway.class, restrictToAnnotatedClass = false)
class ExecutionLogsTest {
    private static final String KEY = "sk-proj-" + "A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6";
    private static final String AWS = "AKIA" + "IOSFODNN7EXAMPLE";
    private static final String CARD = "4111 1111 1111 1111";

    @Inject
    Pool pool;

    @Inject
    LogPartitions partitions;

    @BeforeAll
    static void consumers() throws Exception {
        LogsKafka.awaitConsumers();
    }

    private static String viewer(UUID tenant) {
        return InternalTokens.user(tenant, "viewer-" + tenant, "viewer");
    }

    @Test
    void aRedeliveredAndReorderedExecutionBecomesOneRedactedTimeline() {
        UUID tenant = UUID.randomUUID();
        FakeGateway.TIERS.put(tenant.toString(), "pro");
        Events run = new Events(tenant, "wf-orders", Instant.now().truncatedTo(ChronoUnit.MILLIS));
        List<WeftEvent> events = new ArrayList<>(List.of(
                run.started(1),
                run.nodeStarted(2, "fetch", 1),
                run.nodeRetrying(3, "fetch", 1, "upstream said 503 to Authorization: Bearer " + KEY),
                run.nodeStarted(4, "fetch", 2),
                run.nodeSucceeded(5, "fetch", 2, 120, List.of(new ConsoleLine("info", "mailing ada@example.com"),
                        new ConsoleLine("warn", "key " + KEY.substring(0, 8) + "\0" + KEY.substring(8)))),
                run.nodeStarted(6, "charge", 1),
                run.nodeFailed(7, "charge", 1, 40, "card " + CARD + " refused with key " + AWS,
                        WeftJson.mapper().createObjectNode().put("status", 402).put("password", "hunter2")),
                run.failed(8, 200, "charge", "card " + CARD + " refused with key " + AWS)));
        List<WeftEvent> delivered = new ArrayList<>(events);
        delivered.addAll(events.subList(2, 6));
        Collections.shuffle(delivered, new Random(7));
        try (LogsKafka kafka = new LogsKafka()) {
            kafka.send(delivered);
        }

        Eventually.holds(() -> given().auth().oauth2(viewer(tenant)).get("/api/logs/executions/" + run.execution())
                .then().statusCode(200).body("status", equalTo("failed")).body("events", hasSize(8)));
        JsonPath timeline = given().auth().oauth2(viewer(tenant)).get("/api/logs/executions/" + run.execution()).then().extract().jsonPath();
        assertThat(timeline.getString("workflowId")).isEqualTo("wf-orders");
        assertThat(timeline.getList("events.sequence", Integer.class)).containsExactly(1, 2, 3, 4, 5, 6, 7, 8);
        assertThat(timeline.getList("nodes.nodeId")).containsExactly("fetch", "charge");
        assertThat(timeline.getString("nodes[0].status")).isEqualTo("succeeded");
        assertThat(timeline.getList("nodes[0].attempts.status")).containsExactly("retrying", "succeeded");
        assertThat(timeline.getLong("nodes[0].attempts[1].durationMs")).isEqualTo(120);
        assertThat(timeline.getString("nodes[0].attempts[0].errorMessage")).contains("Bearer [redacted:bearer-token]").doesNotContain(KEY);
        assertThat(timeline.getString("nodes[0].attempts[1].console[0].line")).isEqualTo("mailing [redacted:email]");
        assertThat(timeline.getString("nodes[0].attempts[1].console[1].line")).as("a key split by NUL is still a key")
                .isEqualTo("key [redacted:api-key]");
        assertThat(timeline.getString("nodes[1].attempts[0].errorMessage")).doesNotContain("4111").doesNotContain(AWS)
                .contains("[redacted:card-number]").contains("[redacted:cloud-access-key]");
        assertThat(timeline.getMap("events[6].redacted")).containsKeys("card-number", "cloud-access-key", "secret-field");
        assertThat(timeline.getString("events[6].facts.errorDetails.password")).isEqualTo("[redacted:secret-field]");
        assertThat(timeline.getInt("events[6].facts.errorDetails.status")).isEqualTo(402);

        // what is stored holds none of it either, and went to the tier's partition of the day
        List<Row> stored = rows("SELECT tableoid::regclass::text AS part, execution_log::text AS line FROM execution_log"
                + " WHERE tenant_id = $1", tenant);
        assertThat(stored).hasSize(8);
        for (Row row : stored) {
            assertThat(row.getString("line")).doesNotContain(KEY).doesNotContain(AWS).doesNotContain("4111 1111").doesNotContain("hunter2")
                    .doesNotContain("ada@example.com");
        }
        assertThat(stored.stream().map(row -> row.getString("part")).distinct().toList())
                .allSatisfy(part -> assertThat(part).matches("execution_log_pro_\\d{8}"));

        // what was masked is counted once per stored event, by category, never what it was
        JsonPath redactions = given().auth().oauth2(viewer(tenant)).get("/api/logs/redactions").then().statusCode(200).extract().jsonPath();
        assertThat(redactions.getInt("total.'card-number'")).isEqualTo(2);
        assertThat(redactions.getInt("total.'cloud-access-key'")).isEqualTo(2);
        assertThat(redactions.getInt("total.email")).isEqualTo(1);
        assertThat(redactions.getInt("total.'bearer-token'")).isEqualTo(1);
        assertThat(redactions.getInt("total.'secret-field'")).isEqualTo(1);
        assertThat(redactions.getList("days")).hasSize(1);
        given().auth().oauth2(viewer(UUID.randomUUID())).get("/api/logs/redactions").then().statusCode(200).body("days", hasSize(0));
        given().auth().oauth2(viewer(tenant)).get("/api/logs/redactions?from=tomorrow").then().statusCode(400)
                .contentType("application/problem+json");

        // one history entry, though its terminal event came twice
        given().auth().oauth2(viewer(tenant)).get("/api/logs/history").then().statusCode(200)
                .body("items", hasSize(1)).body("items[0].executionId", equalTo(run.execution()))
                .body("items[0].status", equalTo("failed")).body("items[0].durationMs", equalTo(200))
                .body("items[0].failedNodeId", equalTo("charge"));

        // another tenant sees nothing of it
        UUID other = UUID.randomUUID();
        given().auth().oauth2(viewer(other)).get("/api/logs/executions/" + run.execution()).then().statusCode(404)
                .contentType("application/problem+json");
        given().auth().oauth2(viewer(other)).get("/api/logs/history").then().statusCode(200).body("items", hasSize(0));
    }

    @Test
    void batchedTransitionsBecomeOneTimelineRowEachInTheirOrderWhateverIsRedelivered() {
        UUID tenant = UUID.randomUUID();
        FakeGateway.TIERS.put(tenant.toString(), "pro");
        Events run = new Events(tenant, "wf-batched", Instant.now().truncatedTo(ChronoUnit.MILLIS));
        // one checkpoint flush: the trigger done and a call that blocks; the end carries the rest
        List<WeftEvent> events = List.of(
                run.started(1),
                run.progressed(2, run.succeeded("hook", 1, run.instant(20), 1, List.of()), run.running("call", 1, run.instant(20))),
                run.succeeded(3, 90, run.succeeded("call", 1, run.instant(80), 60, List.of()),
                        run.succeeded("answer", 1, run.instant(85), 2, List.of())));
        List<WeftEvent> delivered = new ArrayList<>(events);
        delivered.addAll(events);
        Collections.shuffle(delivered, new Random(3));
        try (LogsKafka kafka = new LogsKafka()) {
            kafka.send(delivered);
        }

        Eventually.holds(() -> given().auth().oauth2(viewer(tenant)).get("/api/logs/executions/" + run.execution())
                .then().statusCode(200).body("status", equalTo("succeeded")).body("events", hasSize(6)));
        JsonPath timeline = given().auth().oauth2(viewer(tenant)).get("/api/logs/executions/" + run.execution()).then().extract().jsonPath();
        assertThat(timeline.getList("events.type")).containsExactly("execution.started", "node.succeeded", "node.started",
                "node.succeeded", "node.succeeded", "execution.succeeded");
        assertThat(timeline.getList("events.sequence", Integer.class)).containsExactly(1, 2, 2, 3, 3, 3);
        assertThat(timeline.getList("nodes.nodeId")).containsExactly("hook", "call", "answer");
        assertThat(timeline.getList("nodes.status")).containsOnly("succeeded");
        assertThat(timeline.getLong("nodes[1].attempts[0].durationMs")).isEqualTo(60);
        assertThat(timeline.getString("nodes[2].attempts[0].startedAt")).as("a fast node's start is its end less its duration")
                .isEqualTo(run.instant(83).toString());
        assertThat(rows("SELECT 1 FROM execution_log WHERE tenant_id = $1", tenant)).hasSize(6);
        assertThat(rows("SELECT sum(runs) AS runs FROM node_stats WHERE tenant_id = $1", tenant).get(0).getLong("runs"))
                .as("three finished nodes, counted once").isEqualTo(3);
    }

    /**
     * The tier is part of where a row lives, and the tier of a tenant is learned again every
     * {@code weft.logs.tier-cache}: an event redelivered after the tenant changed tier (an executor
     * that died between publishing and deleting its outbox rows) must still be stored once.
     */
    @Test
    void anEventRedeliveredAfterTheTenantChangedTierIsStoredOnce() {
        UUID tenant = UUID.randomUUID();
        FakeGateway.TIERS.put(tenant.toString(), "free");
        Events run = new Events(tenant, "wf-upgraded", Instant.now().truncatedTo(ChronoUnit.MILLIS));
        List<WeftEvent> first = List.of(run.started(1), run.nodeSucceeded(2, "fetch", 1, 5, List.of()), run.succeeded(3, 9),
                Events.audit(tenant, "user-1", "credential.create", "cred-upgraded", null, run.instant(1)));
        try (LogsKafka kafka = new LogsKafka()) {
            kafka.send(first);
        }
        Eventually.holds(() -> assertThat(rows("SELECT 1 FROM execution_history WHERE tenant_id = $1", tenant)).hasSize(1));
        Eventually.holds(() -> assertThat(rows("SELECT 1 FROM audit_log WHERE tenant_id = $1", tenant)).hasSize(1));

        FakeGateway.TIERS.put(tenant.toString(), "enterprise");
        Eventually.holds(() -> {
            Events later = new Events(tenant, "wf-later", Instant.now().truncatedTo(ChronoUnit.MILLIS));
            try (LogsKafka kafka = new LogsKafka()) {
                kafka.send(later.started(1));
            }
            Eventually.holds(() -> assertThat(rows("SELECT tableoid::regclass::text AS part FROM execution_log WHERE execution_id = '"
                    + later.execution() + "' AND tenant_id = $1", tenant)).hasSize(1));
            assertThat(rows("SELECT tableoid::regclass::text AS part FROM execution_log WHERE execution_id = '" + later.execution()
                    + "' AND tenant_id = $1", tenant)).as("logs-service has learned the new tier")
                    .allSatisfy(row -> assertThat(row.getString("part")).startsWith("execution_log_enterprise_"));
        });
        Events last = new Events(tenant, "wf-last", Instant.now().truncatedTo(ChronoUnit.MILLIS));
        try (LogsKafka kafka = new LogsKafka()) {
            kafka.send(first);
            kafka.send(last.succeeded(1, 4));
        }
        Eventually.holds(() -> assertThat(rows("SELECT 1 FROM execution_history WHERE tenant_id = $1", tenant)).hasSize(2));

        assertThat(rows("SELECT tableoid::regclass::text AS part FROM execution_log WHERE execution_id = '" + run.execution()
                + "' AND tenant_id = $1", tenant)).hasSize(3)
                .allSatisfy(row -> assertThat(row.getString("part")).startsWith("execution_log_free_"));
        assertThat(rows("SELECT 1 FROM execution_history WHERE execution_id = '" + run.execution() + "' AND tenant_id = $1", tenant))
                .hasSize(1);
        assertThat(rows("SELECT 1 FROM audit_log WHERE tenant_id = $1", tenant)).hasSize(1);
        assertThat(rows("SELECT sum(runs) AS runs FROM node_stats WHERE tenant_id = $1", tenant).get(0).getLong("runs"))
                .as("the node finished once").isEqualTo(1);
        given().auth().oauth2(viewer(tenant)).get("/api/logs/executions/" + run.execution()).then().statusCode(200)
                .body("events", hasSize(3));
    }

    @Test
    void deadLettersJoinTheirExecutionsTimelineRedacted() {
        UUID tenant = UUID.randomUUID();
        FakeGateway.TIERS.put(tenant.toString(), "free");
        Events run = new Events(tenant, "wf-dead", Instant.now());
        try (LogsKafka kafka = new LogsKafka()) {
            kafka.send(run.started(1), run.deadLetter("executor crashed 3 times", "{\"to\":\"bob@example.org\",\"key\":\"" + KEY + "\"}"));
        }
        Eventually.holds(() -> given().auth().oauth2(viewer(tenant)).get("/api/logs/executions/" + run.execution())
                .then().statusCode(200).body("deadLetters", hasSize(1)));
        JsonPath timeline = given().auth().oauth2(viewer(tenant)).get("/api/logs/executions/" + run.execution()).then().extract().jsonPath();
        assertThat(timeline.getString("deadLetters[0].reason")).isEqualTo("CRASHED_EXECUTOR_REPEATEDLY");
        assertThat(timeline.getString("deadLetters[0].payloadPreview")).doesNotContain("bob@example.org").doesNotContain(KEY);
        assertThat(rows("SELECT tableoid::regclass::text AS part FROM dead_letters WHERE tenant_id = $1", tenant))
                .allSatisfy(row -> assertThat(row.getString("part")).startsWith("dead_letters_free_"));
    }

    @Test
    void aTenantThatTurnsOffPersonalDataMaskingKeepsEmailsButNeverSecrets() {
        UUID tenant = UUID.randomUUID();
        FakeGateway.TIERS.put(tenant.toString(), "pro");
        String admin = InternalTokens.user(tenant, "admin-1", "admin");
        given().auth().oauth2(admin).contentType("application/json").body("{\"personalData\":[\"phone\"]}")
                .put("/api/logs/redaction-policy").then().statusCode(200)
                .body("personalData", equalTo(List.of("phone")));
        Events run = new Events(tenant, "wf-policy", Instant.now());
        try (LogsKafka kafka = new LogsKafka()) {
            kafka.send(run.started(1), run.nodeStarted(2, "mail", 1),
                    run.nodeSucceeded(3, "mail", 1, 5, List.of(new ConsoleLine("log", "to ada@example.com with " + KEY))));
        }
        Eventually.holds(() -> given().auth().oauth2(viewer(tenant)).get("/api/logs/executions/" + run.execution())
                .then().statusCode(200).body("events", hasSize(3)));
        String line = given().auth().oauth2(viewer(tenant)).get("/api/logs/executions/" + run.execution()).then().extract()
                .path("nodes[0].attempts[0].console[0].line");
        assertThat(line).isEqualTo("to ada@example.com with [redacted:api-key]");
    }

    @Test
    void whileTheGatewayCannotTellANewTenantsTierItsEventsWaitAndAreNotLost() {
        UUID tenant = UUID.randomUUID();
        FakeGateway.TIERS.put(tenant.toString(), "enterprise");
        Events run = new Events(tenant, "wf-wait", Instant.now());
        FakeGateway.DOWN.set(true);
        try (LogsKafka kafka = new LogsKafka()) {
            kafka.send(run.started(1), run.succeeded(2, 10));
            Eventually.holds(() -> assertThat(rows("SELECT 1 FROM execution_log WHERE tenant_id = $1", tenant)).isEmpty());
            sleep(1_500);
            assertThat(rows("SELECT 1 FROM execution_log WHERE tenant_id = $1", tenant)).isEmpty();
        } finally {
            FakeGateway.DOWN.set(false);
        }
        Eventually.holds(() -> assertThat(rows("SELECT tableoid::regclass::text AS part FROM execution_log WHERE tenant_id = $1", tenant))
                .hasSize(2).allSatisfy(row -> assertThat(row.getString("part")).startsWith("execution_log_enterprise_")));
    }

    @Test
    void unreadableRecordsAndEventsOlderThanTheTierKeepsAreLeftOut() throws Exception {
        UUID tenant = UUID.randomUUID();
        FakeGateway.TIERS.put(tenant.toString(), "free");
        Events old = new Events(tenant, "wf-old", Instant.now().minus(30, ChronoUnit.DAYS));
        Events fresh = new Events(tenant, "wf-fresh", Instant.now());
        try (LogsKafka kafka = new LogsKafka()) {
            kafka.sendRaw(TestTopics.EXECUTION_EVENTS, "not a cloud event".getBytes());
            kafka.send(old.started(1), fresh.started(1));
        }
        Eventually.holds(() -> assertThat(rows("SELECT workflow_id FROM execution_log WHERE tenant_id = $1", tenant)).hasSize(1)
                .allSatisfy(row -> assertThat(row.getString("workflow_id")).isEqualTo("wf-fresh")));
    }

    /**
     * Batches are written while the next is read, so a later batch may be stored first: the
     * consumer's committed offset must still not pass a batch that is not stored yet, or a restart
     * would skip it.
     */
    @Test
    void aBatchStillBeingWrittenHoldsBackTheCommittedOffsetWhileALaterOneIsStored() throws Exception {
        UUID slowTenant = UUID.randomUUID();
        UUID quickTenant = UUID.randomUUID();
        FakeGateway.TIERS.put(slowTenant.toString(), "pro");
        FakeGateway.TIERS.put(quickTenant.toString(), "pro");
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        Events slow = new Events(slowTenant, "wf-slow", now);
        Events quick = new Events(quickTenant, "wf-quick", now);
        ExecutionEvent.ExecutionStarted held = slow.started(1);
        partitions.ensure(List.of(PartitionDay.of(LogTable.EXECUTION_LOG, Tier.PRO, held.occurredAt()))).await().indefinitely();

        // the test's own transaction inserts the row the first batch will insert: that write waits for it
        SqlConnection blocker = pool.getConnection().await().indefinitely();
        Transaction holding = blocker.begin().await().indefinitely();
        try (LogsKafka kafka = new LogsKafka()) {
            blocker.preparedQuery("INSERT INTO execution_log (tier, occurred_at, tenant_id, execution_id, workflow_id, sequence, event_type)"
                    + " VALUES ('pro', $1, $2, $3, 'wf-slow', 1, 'execution.started')")
                    .execute(Tuple.of(held.occurredAt().atOffset(ZoneOffset.UTC), slowTenant, slow.execution())).await().indefinitely();
            long heldOffset = kafka.sendTo(0, held).getFirst();
            Eventually.holds(() -> assertThat(pool.query("SELECT pid FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
                    + " AND datname = current_database() AND query LIKE '%INSERT INTO execution_log%'").execute().await().indefinitely())
                    .as("the first batch's write waits").isNotEmpty());

            List<Long> later = kafka.sendTo(0, quick.started(1), quick.succeeded(2, 2));
            Eventually.holds(() -> given().auth().oauth2(viewer(quickTenant)).get("/api/logs/executions/" + quick.execution())
                    .then().statusCode(200).body("status", equalTo("succeeded")));
            sleep(1500); // three commit intervals of the test profile
            assertThat(LogsKafka.committed("weft-logs-executions-test", TestTopics.EXECUTION_EVENTS, 0))
                    .as("the offset committed while the first batch waits").isLessThanOrEqualTo(heldOffset);

            holding.rollback().await().indefinitely();
            Eventually.holds(() -> given().auth().oauth2(viewer(slowTenant)).get("/api/logs/executions/" + slow.execution())
                    .then().statusCode(200).body("events", hasSize(1)));
            Eventually.holds(() -> assertThat(LogsKafka.committed("weft-logs-executions-test", TestTopics.EXECUTION_EVENTS, 0))
                    .isGreaterThan(later.getLast()));
        } finally {
            blocker.close().await().indefinitely();
        }
    }

    private List<Row> rows(String sql, UUID tenant) {
        List<Row> rows = new ArrayList<>();
        pool.preparedQuery(sql).execute(Tuple.of(tenant)).await().indefinitely().forEach(rows::add);
        return rows;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
