package io.weft.logs.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.weft.contracts.events.ExecutionEvent;
import io.weft.contracts.events.ModelUsage;
import io.weft.contracts.events.NodeTransition;
import io.weft.contracts.events.WeftEvent;
import io.weft.contracts.json.WeftJson;
import io.weft.logs.Events;
import io.weft.logs.Eventually;
import io.weft.logs.FakeGateway;
import io.weft.logs.LogsKafka;
import io.weft.testsupport.InternalTokens;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Insights, the audit trail, exports, and what hostile or unauthorised calls get. */
@QuarkusTest
@QuarkusTestResource(value = FakeGateway.class, restrictToAnnotatedClass = false)
class LogsApiTest {

    @BeforeAll
    static void consumers() throws Exception {
        LogsKafka.awaitConsumers();
    }

    private static String viewer(UUID tenant) {
        return InternalTokens.user(tenant, "viewer-" + tenant, "viewer");
    }

    private static String admin(UUID tenant) {
        return InternalTokens.user(tenant, "admin-" + tenant, "admin");
    }

    @Test
    void insightsCountEachExecutionOnceHoweverOftenItsEventsCame() {
        UUID tenant = UUID.randomUUID();
        FakeGateway.TIERS.put(tenant.toString(), "pro");
        Instant start = Instant.now().minus(2, ChronoUnit.HOURS).truncatedTo(ChronoUnit.HOURS);
        List<WeftEvent> events = new ArrayList<>();
        long[] durations = {100, 300, 500};
        for (int i = 0; i < 3; i++) {
            Events run = new Events(tenant, i < 2 ? "wf-a" : "wf-b", start.plusSeconds(60L * i));
            events.add(run.started(1));
            events.add(run.nodeStarted(2, "slow", 1));
            if (i < 2) {
                events.add(run.nodeSucceeded(3, "slow", 1, durations[i], List.of()));
                events.add(run.succeeded(4, durations[i] + 10));
            } else {
                events.add(run.nodeFailed(3, "slow", 1, durations[i], "HTTP 404 from https://api.example.com", null));
                events.add(run.failed(4, durations[i] + 10, "slow", "HTTP 404 from https://api.example.com"));
            }
        }
        try (LogsKafka kafka = new LogsKafka()) {
            kafka.send(events);
            kafka.send(events); // every event twice
        }
        String range = "?from=" + start + "&to=" + start.plus(3, ChronoUnit.HOURS) + "&bucket=PT1H";
        Eventually.holds(() -> given().auth().oauth2(viewer(tenant)).get("/api/logs/insights" + range).then().statusCode(200)
                .body("totals.runs", equalTo(3)));
        JsonPath insights = given().auth().oauth2(viewer(tenant)).get("/api/logs/insights" + range).then().extract().jsonPath();
        assertThat(insights.getInt("totals.succeeded")).isEqualTo(2);
        assertThat(insights.getInt("totals.failed")).isEqualTo(1);
        assertThat(insights.getDouble("totals.failureRate")).isEqualTo(0.3333);
        // percentiles from the hourly histograms: within about 9% of 310 and 510
        assertThat(insights.getLong("totals.p50DurationMs")).isBetween(282L, 338L);
        assertThat(insights.getLong("totals.p95DurationMs")).isBetween(464L, 556L);
        assertThat(insights.getList("buckets")).hasSize(1);
        assertThat(insights.getString("buckets[0].start")).isEqualTo(start.toString());
        assertThat(insights.getList("workflows.workflowId")).containsExactly("wf-a", "wf-b");
        assertThat(insights.getInt("topErrors[0].count")).isEqualTo(1);
        assertThat(insights.getString("topErrors[0].kind")).isEqualTo("HTTP_CLIENT_ERROR");
        assertThat(insights.getString("slowestNodes[0].workflowId")).isEqualTo("wf-b");
        assertThat(insights.getLong("slowestNodes[0].p95DurationMs")).isBetween(455L, 545L);
        assertThat(insights.getInt("slowestNodes[0].failures")).isEqualTo(1);
        assertThat(insights.getInt("slowestNodes[1].runs")).isEqualTo(2);

        // in whole-day buckets, the days inside the range come from the daily statistics
        JsonPath days = given().auth().oauth2(viewer(tenant)).get("/api/logs/insights?from=" + start.minus(3, ChronoUnit.DAYS) + "&to="
                + start.plus(2, ChronoUnit.DAYS) + "&bucket=P1D").then().statusCode(200).extract().jsonPath();
        assertThat(days.getInt("totals.runs")).isEqualTo(3);
        assertThat(days.getLong("totals.p50DurationMs")).isEqualTo(insights.getLong("totals.p50DurationMs"));
        assertThat(days.getList("buckets")).hasSize(1);
        assertThat(days.getString("bucket")).isEqualTo("PT24H");

        JsonPath one = given().auth().oauth2(viewer(tenant)).get("/api/logs/insights" + range + "&workflowId=wf-a").then().statusCode(200)
                .extract().jsonPath();
        assertThat(one.getInt("totals.runs")).isEqualTo(2);
        assertThat(one.getDouble("totals.successRate")).isEqualTo(1.0);
        assertThat(one.getList("workflows")).isEmpty();

        given().auth().oauth2(viewer(UUID.randomUUID())).get("/api/logs/insights" + range).then().statusCode(200)
                .body("totals.runs", equalTo(0)).body("totals.failureRate", nullValue());
    }

    @Test
    void tokensOfModelCallsAreSummedPerDayModelAndWorkflowOnceHoweverOftenTheyCame() {
        UUID tenant = UUID.randomUUID();
        FakeGateway.TIERS.put(tenant.toString(), "pro");
        Instant start = Instant.now().minus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);
        List<WeftEvent> events = new ArrayList<>();
        String[] workflows = {"wf-support", "wf-support", "wf-triage"};
        for (int i = 0; i < 3; i++) {
            Events run = new Events(tenant, workflows[i], start.plusSeconds(60L * i));
            List<ModelUsage> usage = i < 2
                    ? List.of(new ModelUsage("OpenAI", "gpt-4o-mini", 100, 20, 2))
                    : List.of(new ModelUsage("OpenAI", "gpt-4o-mini", 10, 5, 1), new ModelUsage("Ollama", "llama3.2", 300, 40, 3));
            Instant finished = run.instant(30);
            events.add(run.started(1));
            events.add(run.succeeded(2, 40, new NodeTransition("agent", "Agent", "ai.agent", NodeTransition.Status.SUCCEEDED, 1, null,
                    finished.minusMillis(25), finished, 25L, 1, null, null, null, null, null, List.of(), usage)));
        }
        try (LogsKafka kafka = new LogsKafka()) {
            kafka.send(events);
            kafka.send(events); // every event twice
        }
        String range = "?from=" + start.minus(1, ChronoUnit.DAYS) + "&to=" + start.plus(1, ChronoUnit.DAYS);
        Eventually.holds(() -> given().auth().oauth2(viewer(tenant)).get("/api/logs/insights/tokens" + range).then().statusCode(200)
                .body("total.calls", equalTo(8)));
        JsonPath tokens = given().auth().oauth2(viewer(tenant)).get("/api/logs/insights/tokens" + range).then().extract().jsonPath();
        assertThat(tokens.getLong("total.inputTokens")).isEqualTo(510);
        assertThat(tokens.getLong("total.outputTokens")).isEqualTo(85);
        assertThat(tokens.getLong("total.totalTokens")).isEqualTo(595);
        assertThat(tokens.getList("models.model")).containsExactly("llama3.2", "gpt-4o-mini");
        assertThat(tokens.getLong("models[1].tokens.inputTokens")).isEqualTo(210);
        assertThat(tokens.getList("workflows.workflowId")).containsExactly("wf-triage", "wf-support");
        assertThat(tokens.getLong("workflows[1].tokens.calls")).isEqualTo(4);
        assertThat(tokens.getList("days")).isNotEmpty();
        // the timeline shows what each attempt used
        String anyExecution = ((ExecutionEvent) events.get(0)).executionId();
        given().auth().oauth2(viewer(tenant)).get("/api/logs/executions/" + anyExecution).then().statusCode(200)
                .body("events[1].facts.usage[0].inputTokens", equalTo(100)).body("events[1].facts.usage[0].model", equalTo("gpt-4o-mini"));

        JsonPath one = given().auth().oauth2(viewer(tenant)).get("/api/logs/insights/tokens" + range + "&workflowId=wf-triage")
                .then().statusCode(200).extract().jsonPath();
        assertThat(one.getLong("total.calls")).isEqualTo(4);
        given().auth().oauth2(viewer(UUID.randomUUID())).get("/api/logs/insights/tokens" + range).then().statusCode(200)
                .body("total.calls", equalTo(0)).body("models", hasSize(0));
        given().auth().oauth2(viewer(tenant)).get("/api/logs/insights/tokens?from=yesterday").then().statusCode(400)
                .contentType("application/problem+json");
        given().get("/api/logs/insights/tokens").then().statusCode(401);
    }

    @Test
    void theAuditTrailIsForAdminsRedactedFilteredAndPaged() {
        UUID tenant = UUID.randomUUID();
        FakeGateway.TIERS.put(tenant.toString(), "enterprise");
        Instant now = Instant.now();
        try (LogsKafka kafka = new LogsKafka()) {
            kafka.send(
                    Events.audit(tenant, "user-1", "credential.create", "cred-1",
                            WeftJson.mapper().createObjectNode().put("name", "Stripe").put("apiKey", "sk_live_abcdefghijklmnopqrstuvwx"),
                            now.minusSeconds(30)),
                    Events.audit(tenant, "user-2", "credential.delete", "cred-1", null, now.minusSeconds(20)),
                    Events.audit(tenant, "user-1", "user.login", null, null, now.minusSeconds(10)),
                    Events.audit(null, "nobody", "user.login", null, null, now.minusSeconds(5)));
        }
        Eventually.holds(() -> given().auth().oauth2(admin(tenant)).get("/api/logs/audit").then().statusCode(200)
                .body("items", hasSize(3)));
        JsonPath all = given().auth().oauth2(admin(tenant)).get("/api/logs/audit").then().extract().jsonPath();
        assertThat(all.getList("items.action")).containsExactly("user.login", "credential.delete", "credential.create");
        assertThat(all.getString("items[2].details.apiKey")).isEqualTo("[redacted:secret-field]");
        assertThat(all.getString("items[2].details.name")).isEqualTo("Stripe");
        assertThat(all.getString("items[2].sourceIp")).isEqualTo("203.0.113.7");

        given().auth().oauth2(admin(tenant)).get("/api/logs/audit?action=credential.").then().statusCode(200)
                .body("items", hasSize(2));
        given().auth().oauth2(admin(tenant)).get("/api/logs/audit?actor=user-2").then().statusCode(200)
                .body("items", hasSize(1)).body("items[0].action", equalTo("credential.delete"));
        String cursor = given().auth().oauth2(admin(tenant)).get("/api/logs/audit?limit=2").then().statusCode(200)
                .body("items", hasSize(2)).extract().path("nextCursor");
        given().auth().oauth2(admin(tenant)).get("/api/logs/audit?limit=2&cursor=" + cursor).then().statusCode(200)
                .body("items", hasSize(1)).body("items[0].action", equalTo("credential.create")).body("nextCursor", nullValue());

        given().auth().oauth2(InternalTokens.user(tenant, "owner-1", "owner")).get("/api/logs/audit").then().statusCode(200);
        given().auth().oauth2(InternalTokens.apiKey(tenant, "key-1", "audit:read")).get("/api/logs/audit").then().statusCode(200);
        for (String token : List.of(viewer(tenant), InternalTokens.user(tenant, "editor-1", "editor"),
                InternalTokens.apiKey(tenant, "key-2", "logs:read"))) {
            given().auth().oauth2(token).get("/api/logs/audit").then().statusCode(403).contentType("application/problem+json");
            given().auth().oauth2(token).get("/api/logs/audit/export").then().statusCode(403).contentType("application/problem+json");
        }
        given().auth().oauth2(admin(UUID.randomUUID())).get("/api/logs/audit").then().statusCode(200).body("items", hasSize(0));

        String csv = given().auth().oauth2(admin(tenant)).get("/api/logs/audit/export?format=csv").then().statusCode(200)
                .header("Content-Disposition", "attachment; filename=\"audit.csv\"").extract().asString();
        assertThat(csv.split("\r\n")).hasSize(4);
        assertThat(csv).startsWith("eventId,occurredAt,actorType,actorId,action").contains("credential.create")
                .doesNotContain("sk_live_abcdefghijklmnopqrstuvwx");
    }

    @Test
    void historyExportsStreamEveryPageAsNdjsonOrCsvWithoutFormulas() {
        UUID tenant = UUID.randomUUID();
        FakeGateway.TIERS.put(tenant.toString(), "pro");
        List<WeftEvent> events = new ArrayList<>();
        Instant start = Instant.now().minusSeconds(600);
        for (int i = 0; i < 25; i++) {
            Events run = new Events(tenant, i == 0 ? "=HYPERLINK(\"http://evil\")" : "wf-export", start.plusSeconds(i));
            events.add(run.succeeded(2, i));
        }
        try (LogsKafka kafka = new LogsKafka()) {
            kafka.send(events);
        }
        Eventually.holds(() -> given().auth().oauth2(viewer(tenant)).get("/api/logs/history?limit=100").then().statusCode(200)
                .body("items", hasSize(25)));
        String ndjson = given().auth().oauth2(viewer(tenant)).get("/api/logs/history/export?format=ndjson").then().statusCode(200)
                .contentType("application/x-ndjson").extract().asString();
        assertThat(ndjson.lines().toList()).hasSize(25)
                .allSatisfy(line -> assertThat(WeftJson.mapper().readTree(line).get("status").asText()).isEqualTo("succeeded"));
        String csv = given().auth().oauth2(viewer(tenant)).queryParam("format", "csv").queryParam("workflowId", "=HYPERLINK(\"http://evil\")")
                .get("/api/logs/history/export").then().statusCode(200)
                .contentType("text/csv").extract().asString();
        assertThat(csv.split("\r\n")).hasSize(2);
        assertThat(csv.split("\r\n")[1]).contains("\"'=HYPERLINK(\"\"http://evil\"\")\"");
    }

    @Test
    void hostileQueryParametersAre400Problems() {
        String token = admin(UUID.randomUUID());
        for (String query : List.of(
                "/api/logs/history?limit=0", "/api/logs/history?limit=101", "/api/logs/history?limit=abc",
                "/api/logs/history?cursor=not-a-cursor", "/api/logs/history?cursor=" + "A".repeat(300),
                "/api/logs/history?from=yesterday", "/api/logs/history?from=2026-11-26T10:00:00Z&to=2026-11-26T09:00:00Z",
                "/api/logs/history?status=exploded", "/api/logs/history?workflowId=" + "w".repeat(201),
                "/api/logs/history?workflowId=a%00b", "/api/logs/history/export?format=xlsx",
                "/api/logs/audit?action=" + "a".repeat(201), "/api/logs/audit?from=1e9", "/api/logs/audit/export?format=pdf",
                "/api/logs/insights?bucket=P40D", "/api/logs/insights?bucket=forever",
                "/api/logs/insights?from=2020-01-01T00:00:00Z&to=2026-01-01T00:00:00Z",
                "/api/logs/insights?from=2025-11-01T00:00:00Z&to=2026-11-20T00:00:00Z&bucket=PT1H",
                "/api/logs/insights?bucket=PT90M", "/api/logs/insights?bucket=PT1M",
                "/api/logs/history?from=%2B200000-01-01T00:00:00Z", "/api/logs/insights?to=%2B1000000000-01-01T00:00:00Z",
                "/api/logs/audit?to=-5000-01-01T00:00:00Z", "/api/logs/redactions?from=%2B200000-01-01T00:00:00Z")) {
            io.restassured.response.Response answer = given().urlEncodingEnabled(false).auth().oauth2(token).get(query);
            assertThat(answer.statusCode()).as(query).isEqualTo(400);
            assertThat(answer.contentType()).as(query).startsWith("application/problem+json");
        }
        given().auth().oauth2(token).get("/api/logs/executions/" + "x".repeat(300)).then().statusCode(404)
                .contentType("application/problem+json");
        given().auth().oauth2(token).get("/api/logs/executions/" + UUID.randomUUID()).then().statusCode(404);
        given().get("/api/logs/history").then().statusCode(401);
    }

    @Test
    void onlyAdminsChangeTheRedactionPolicyAndOnlyToPersonalDataCategories() {
        UUID tenant = UUID.randomUUID();
        given().auth().oauth2(viewer(tenant)).get("/api/logs/redaction-policy").then().statusCode(200)
                .body("personalData", equalTo(List.of("email", "phone", "card-number", "iban")));
        for (String token : List.of(viewer(tenant), InternalTokens.user(tenant, "e", "editor"), InternalTokens.apiKey(tenant, "k", "logs:read"))) {
            given().auth().oauth2(token).contentType("application/json").body(Map.of("personalData", List.of()))
                    .put("/api/logs/redaction-policy").then().statusCode(403);
        }
        for (Object body : List.of(Map.of("personalData", List.of("api-key")), Map.of("personalData", List.of("shoe-size")),
                Map.of(), "{\"personalData\":", "[]", Map.of("personalData", java.util.Collections.nCopies(21, "email")))) {
            given().auth().oauth2(admin(tenant)).contentType("application/json").body(body).put("/api/logs/redaction-policy").then()
                    .statusCode(400).contentType("application/problem+json");
        }
        given().auth().oauth2(admin(tenant)).contentType("application/json").body(Map.of("personalData", List.of("iban", "email")))
                .put("/api/logs/redaction-policy").then().statusCode(200).body("personalData", equalTo(List.of("email", "iban")));
        given().auth().oauth2(viewer(tenant)).get("/api/logs/redaction-policy").then().statusCode(200)
                .body("personalData", equalTo(List.of("email", "iban")))
                .body("secrets[0]", equalTo("api-key"));
    }
}
