package io.weft.workflow.schedules;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import io.weft.contracts.events.ExecutionRequested;
import io.weft.contracts.events.TriggerKind;
import io.weft.testsupport.InternalTokens;
import io.weft.workflow.FakeCompiler;
import io.weft.workflow.executions.ExecutionsKafka;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Schedules against real PostgreSQL (the claim) and real Kafka (the requests); several pollers stand in for replicas. */
@QuarkusTest
@QuarkusTestResource(value = FakeCompiler.class, restrictToAnnotatedClass = false)
class SchedulesTest {
    private static final String WORKFLOWS = "/api/orchestrator/workflows";

    @Inject
    SchedulePoller poller;

    @Inject
    Pool pool;

    private final UUID tenant = UUID.randomUUID();
    private final String editor = InternalTokens.user(tenant, "editor-1", "editor");
    private ExecutionsKafka kafka;

    @BeforeEach
    void connect() {
        kafka = new ExecutionsKafka();
    }

    @AfterEach
    void disconnect() {
        kafka.close();
    }

    private static String schedule(String id, String cron, String timezone, String whenMissed) {
        return "{\"id\":\"" + id + "\",\"name\":\"" + id + "\",\"type\":\"trigger.schedule\",\"typeVersion\":1,\"parameters\":{\"cron\":\""
                + cron + "\"" + (timezone == null ? "" : ",\"timezone\":\"" + timezone + "\"") + ",\"whenMissed\":\"" + whenMissed + "\"}}";
    }

    private String workflow(String... schedules) {
        String definition = "{\"name\":\"Ticks\",\"nodes\":[{\"id\":\"manual\",\"name\":\"Manual\",\"type\":\"trigger.manual\",\"typeVersion\":1},"
                + String.join(",", schedules) + "],\"connections\":[]}";
        return given().auth().oauth2(editor).contentType(ContentType.JSON).body("{\"definition\":" + definition + "}")
                .post(WORKFLOWS).then().statusCode(201).extract().path("id");
    }

    private void activate(String workflowId) {
        given().auth().oauth2(editor).post(WORKFLOWS + "/" + workflowId + "/activate").then().statusCode(200);
    }

    @Test
    void eachTickFiresOnceWhileSeveralPollersRaceAndStopsWithDeactivation() throws Exception {
        String workflowId = workflow(schedule("tick", "* * * * * *", null, "skip"));
        activate(workflowId);
        // Two more pollers, as two more replicas would be, next to the application's own.
        long until = System.nanoTime() + Duration.ofMillis(3500).toNanos();
        List<CompletableFuture<Void>> replicas = List.of(1, 2).stream().map(i -> CompletableFuture.runAsync(() -> {
            while (System.nanoTime() < until) {
                poller.fireDue().await().atMost(Duration.ofSeconds(5));
            }
        })).toList();

        List<ExecutionRequested> requests = kafka.requestsOf(workflowId, Duration.ofSeconds(4));
        replicas.forEach(CompletableFuture::join);

        assertThat(requests).hasSizeGreaterThanOrEqualTo(2);
        assertThat(requests).allSatisfy(request -> {
            assertThat(request.trigger()).isEqualTo(TriggerKind.SCHEDULE);
            assertThat(request.triggerNodeId()).isEqualTo("tick");
            assertThat(request.tenantId()).isEqualTo(tenant.toString());
            assertThat(Instant.parse(request.triggerData().path("timestamp").asText()).getNano()).isZero();
        });
        Set<String> ticks = requests.stream().map(r -> r.triggerData().path("timestamp").asText()).collect(Collectors.toSet());
        assertThat(ticks).as("one request per tick").hasSize(requests.size());
        assertThat(requests.stream().map(ExecutionRequested::executionId).distinct()).hasSize(requests.size());

        given().auth().oauth2(editor).post(WORKFLOWS + "/" + workflowId + "/deactivate").then().statusCode(200);
        kafka.requestsOf(workflowId, Duration.ofMillis(1500));
        assertThat(kafka.requestsOf(workflowId, Duration.ofSeconds(2))).as("no ticks once deactivated").isEmpty();
    }

    @Test
    void aSuspendedTenantsSchedulesPauseAndGoOnOnceItIsReactivated() {
        String workflowId = workflow(schedule("tick", "* * * * * *", null, "skip"));
        activate(workflowId);
        FakeCompiler.SUSPENDED.put(tenant.toString(), true);
        try {
            kafka.requestsOf(workflowId, Duration.ofMillis(1200)); // a tick already under way when the suspension came
            for (int i = 0; i < 3; i++) {
                poller.fireDue().await().atMost(Duration.ofSeconds(5));
            }
            assertThat(kafka.requestsOf(workflowId, Duration.ofMillis(2500))).as("no ticks while suspended").isEmpty();
            long moving = pool.preparedQuery("SELECT count(*) AS n FROM schedules WHERE workflow_id = $1 AND next_fire_at > now() - interval '2 seconds'")
                    .execute(Tuple.of(UUID.fromString(workflowId))).await().atMost(Duration.ofSeconds(5)).iterator().next().getLong("n");
            assertThat(moving).as("the schedule moved on past the dropped ticks").isEqualTo(1);

            FakeCompiler.SUSPENDED.put(tenant.toString(), false);
            assertThat(kafka.requestsOf(workflowId, Duration.ofSeconds(3))).as("ticks again once reactivated").isNotEmpty();
        } finally {
            FakeCompiler.SUSPENDED.remove(tenant.toString());
            given().auth().oauth2(editor).post(WORKFLOWS + "/" + workflowId + "/deactivate").then().statusCode(200);
        }
    }

    @Test
    void missedTicksAreSkippedOrRunOnceAsEachTriggerSays() {
        String workflowId = workflow(schedule("skipper", "* * * * *", null, "skip"), schedule("catcher", "* * * * *", null, "runOnce"));
        activate(workflowId);
        pool.preparedQuery("UPDATE schedules SET next_fire_at = now() - interval '3 hours' WHERE workflow_id = $1")
                .execute(Tuple.of(UUID.fromString(workflowId))).await().atMost(Duration.ofSeconds(5));
        Instant asOf = Instant.now();

        poller.fireDue().await().atMost(Duration.ofSeconds(10));
        // Ticks after asOf are regular ones (a minute may turn while the test looks): only earlier ones were missed.
        List<ExecutionRequested> requests = kafka.requestsOf(workflowId, Duration.ofSeconds(2)).stream()
                .filter(r -> !Instant.parse(r.triggerData().path("timestamp").asText()).isAfter(asOf)).toList();

        assertThat(requests).hasSize(1);
        ExecutionRequested caught = requests.get(0);
        assertThat(caught.triggerNodeId()).isEqualTo("catcher");
        Instant tick = Instant.parse(caught.triggerData().path("timestamp").asText());
        assertThat(tick).isBeforeOrEqualTo(asOf.plusSeconds(1)).isAfter(asOf.minusSeconds(61));
        assertThat(tick.getEpochSecond() % 60).isZero();
        long stillDue = pool.preparedQuery("SELECT count(*) AS n FROM schedules WHERE workflow_id = $1 AND next_fire_at <= $2")
                .execute(Tuple.of(UUID.fromString(workflowId), asOf.atOffset(java.time.ZoneOffset.UTC)))
                .await().atMost(Duration.ofSeconds(5)).iterator().next().getLong("n");
        assertThat(stillDue).isZero();
    }

    @Test
    void schedulesFollowTheirTimeZoneAndBadOnesRefuseTheActivation() {
        String paris = workflow(schedule("morning", "0 9 * * *", "Europe/Paris", "skip"));
        activate(paris);
        String next = given().auth().oauth2(editor).get(WORKFLOWS + "/" + paris + "/schedules").then().statusCode(200)
                .body("schedules", hasSize(1)).body("schedules[0].timezone", equalTo("Europe/Paris"))
                .extract().path("schedules[0].nextFireAt");
        assertThat(Instant.parse(next).atZone(ZoneId.of("Europe/Paris")).getHour()).isEqualTo(9);
        given().auth().oauth2(InternalTokens.user(UUID.randomUUID(), "x", "owner")).get(WORKFLOWS + "/" + paris + "/schedules")
                .then().statusCode(404);

        for (String bad : List.of(schedule("bad", "61 * * * *", null, "skip"), schedule("bad", "* * * * *", "Mars/Olympus", "skip"),
                schedule("bad", "0 0 31 2 *", null, "skip"))) {
            String workflowId = workflow(bad);
            given().auth().oauth2(editor).post(WORKFLOWS + "/" + workflowId + "/activate").then().statusCode(400)
                    .contentType("application/problem+json").body("detail", containsString("node \"bad\""));
            given().auth().oauth2(editor).get(WORKFLOWS + "/" + workflowId).then().body("active", org.hamcrest.Matchers.nullValue());
        }
    }
}
