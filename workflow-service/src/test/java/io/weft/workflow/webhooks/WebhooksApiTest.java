package io.weft.workflow.webhooks;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.weft.contracts.events.ErrorKind;
import io.weft.contracts.events.ExecutionError;
import io.weft.contracts.events.ExecutionEvent;
import io.weft.contracts.events.ExecutionRequested;
import io.weft.contracts.events.TriggerKind;
import io.weft.contracts.json.WeftJson;
import io.weft.testsupport.InternalTokens;
import io.weft.workflow.FakeCompiler;
import io.weft.workflow.executions.KafkaApiTest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** Webhook calls onto real Kafka; synchronous answers from events on real Kafka (the test plays the executor). */
@QuarkusTest
@QuarkusTestResource(value = FakeCompiler.class, restrictToAnnotatedClass = false)
class WebhooksApiTest extends KafkaApiTest {
    private static final String WORKFLOWS = "/api/orchestrator/workflows";




    private static String hook(String id, String method, String path, String respond, String authentication) {
        return "{\"id\":\"" + id + "\",\"name\":\"" + id + "\",\"type\":\"trigger.webhook\",\"typeVersion\":1,\"parameters\":{\"method\":\""
                + method + "\",\"path\":\"" + path + "\",\"respond\":\"" + respond + "\",\"authentication\":\"" + authentication
                + "\",\"responseTimeoutMs\":1500}}";
    }

    /** An active workflow with three webhooks; answers its id. */
    private String activeWorkflow() {
        String definition = "{\"name\":\"Hooks\",\"nodes\":[{\"id\":\"manual\",\"name\":\"Manual\",\"type\":\"trigger.manual\",\"typeVersion\":1},"
                + hook("orders", "POST", "orders/new", "immediately", "none") + ","
                + hook("sync", "POST", "sync", "usingRespondNode", "none") + ","
                + hook("secure", "POST", "secure", "immediately", "hmac") + "],\"connections\":[]}";
        String id = given().auth().oauth2(editor).contentType(ContentType.JSON).body("{\"definition\":" + definition + "}")
                .post(WORKFLOWS).then().statusCode(201).extract().path("id");
        given().auth().oauth2(editor).post(WORKFLOWS + "/" + id + "/activate").then().statusCode(200);
        return id;
    }

    private String address(String workflowId, String nodeId) {
        List<Map<String, Object>> hooks = given().auth().oauth2(editor).get(WORKFLOWS + "/" + workflowId + "/webhooks")
                .then().statusCode(200).extract().path("webhooks");
        return hooks.stream().filter(hook -> hook.get("nodeId").equals(nodeId)).map(hook -> (String) hook.get("url")).findFirst()
                .orElseThrow();
    }

    @Test
    void anAsynchronousWebhookQueuesTheCallAsTheTriggersItemWithoutTheCallersCredentials() {
        String workflowId = activeWorkflow();
        given().auth().oauth2(editor).get(WORKFLOWS + "/" + workflowId + "/webhooks").then().statusCode(200)
                .body("webhooks", hasSize(3)).body("webhooks[0].url", containsString("/webhook/"));
        String url = address(workflowId, "orders");
        assertThat(url).matches("/webhook/[0-9a-f]{32}/orders/new");

        // As the gateway forwards it: the public host, the caller's address and a trace of the fleet's own.
        String execution = given().header("Authorization", "Bearer caller-secret").header("Cookie", "session=abc")
                .header("X-Forwarded-Host", "hooks.example.com").header("X-Forwarded-For", "203.0.113.7")
                .header("X-Forwarded-Proto", "https").header("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01")
                .header("X-Order", "A-1").contentType(ContentType.JSON).queryParam("source", "shop")
                .body("{\"sku\":\"A-1\",\"qty\":2}").post(url)
                .then().statusCode(202).extract().path("executionId");

        ExecutionRequested request = kafka.requestFor(execution, WITHIN);
        assertThat(request.trigger()).isEqualTo(TriggerKind.WEBHOOK);
        assertThat(request.triggerNodeId()).isEqualTo("orders");
        assertThat(request.workflowId()).isEqualTo(workflowId);
        assertThat(request.tenantId()).isEqualTo(tenant.toString());
        assertThat(request.triggerData().at("/body/qty").asInt()).isEqualTo(2);
        assertThat(request.triggerData().at("/query/source").asText()).isEqualTo("shop");
        assertThat(request.triggerData().at("/headers/x-order").asText()).isEqualTo("A-1");
        assertThat(request.triggerData().toString()).doesNotContain("caller-secret").doesNotContain("session=abc");
        assertThat(request.triggerData().at("/headers/host").asText()).as("the address the caller used").isEqualTo("hooks.example.com");
        assertThat(request.triggerData().path("headers").fieldNames()).toIterable()
                .as("no header the fleet added on the way").doesNotContain("traceparent", "x-forwarded-for", "x-forwarded-proto",
                        "x-forwarded-host");
        given().auth().oauth2(editor).get("/api/orchestrator/executions/" + execution).then().statusCode(200)
                .body("trigger", equalTo("WEBHOOK")).body("status", equalTo("queued"));

        String binary = given().contentType("application/octet-stream").body(new byte[] {(byte) 0xff, (byte) 0xfe, 0, 1}).post(url)
                .then().statusCode(202).extract().path("executionId");
        ExecutionRequested raw = kafka.requestFor(binary, WITHIN);
        assertThat(raw.triggerData().path("bodyEncoding").asText()).isEqualTo("base64");
        assertThat(raw.triggerData().path("body").asText()).isEqualTo("//4AAQ==");
    }

    /** An operator suspended the tenant at the gateway: its webhooks and runs are refused, and work again once reactivated. */
    @Test
    void aSuspendedTenantsWebhooksAndRunsAreRefusedUntilItIsReactivated() {
        String workflowId = activeWorkflow();
        String url = address(workflowId, "orders");
        FakeCompiler.SUSPENDED.put(tenant.toString(), true);
        try {
            given().contentType(ContentType.JSON).body("{}").post(url).then().statusCode(403).contentType("application/problem+json")
                    .body("detail", containsString("suspended"));
            given().auth().oauth2(editor).contentType(ContentType.JSON).body("{}").post(WORKFLOWS + "/" + workflowId + "/run")
                    .then().statusCode(403).body("detail", containsString("suspended"));
            assertThat(kafka.requestsOf(workflowId, Duration.ofSeconds(1))).as("nothing was queued").isEmpty();
            given().auth().oauth2(editor).get("/api/orchestrator/executions?workflowId=" + workflowId).then().statusCode(200)
                    .body("items", hasSize(0));
            // While the gateway answers garbage or errors, what was learned last holds: a suspended tenant stays refused.
            for (int broken : new int[] {200, 503}) {
                FakeCompiler.TIERS_BROKEN_WITH.set(broken);
                FakeCompiler.SUSPENDED.put(tenant.toString(), false);
                given().contentType(ContentType.JSON).body("{}").post(url).then().statusCode(403);
            }
            FakeCompiler.TIERS_BROKEN_WITH.set(0);
            String execution = given().contentType(ContentType.JSON).body("{}").post(url).then().statusCode(202)
                    .extract().path("executionId");
            kafka.requestFor(execution, WITHIN);
        } finally {
            FakeCompiler.TIERS_BROKEN_WITH.set(0);
            FakeCompiler.SUSPENDED.remove(tenant.toString());
        }
    }

    @Test
    void wrongAddressesMethodsAndBodiesAreClearProblemsAndRevealNothing() {
        String workflowId = activeWorkflow();
        String url = address(workflowId, "orders");
        String prefix = url.split("/")[2];
        given().get(url).then().statusCode(405).contentType("application/problem+json").body("detail", containsString("POST"));
        given().contentType(ContentType.JSON).body("{}").post("/webhook/" + prefix + "/nowhere").then().statusCode(404)
                .contentType("application/problem+json");
        given().contentType(ContentType.JSON).body("{}").post("/webhook/" + "0".repeat(32) + "/orders/new").then().statusCode(404);
        given().contentType(ContentType.JSON).body("{}").post("/webhook/not-a-prefix/orders/new").then().statusCode(404);
        given().contentType(ContentType.JSON).body("{}").post("/webhook/" + prefix + "/../../etc/passwd").then().statusCode(404);
        given().contentType(ContentType.JSON).body("{\"broken\":").post(url).then().statusCode(400).contentType("application/problem+json");
        given().contentType(ContentType.TEXT).body("x".repeat(3 * 1024 * 1024)).post(url).then().statusCode(413);
        given().contentType(ContentType.JSON).body("{}").post(address(workflowId, "secure")).then().statusCode(503)
                .contentType("application/problem+json").body("detail", containsString("hmac"));
        given().auth().oauth2(InternalTokens.user(UUID.randomUUID(), "x", "owner")).get(WORKFLOWS + "/" + workflowId + "/webhooks")
                .then().statusCode(404);

        given().auth().oauth2(editor).post(WORKFLOWS + "/" + workflowId + "/deactivate").then().statusCode(200);
        given().contentType(ContentType.JSON).body("{}").post(url).then().statusCode(404);
        given().auth().oauth2(editor).get(WORKFLOWS + "/" + workflowId + "/webhooks").then().statusCode(200).body("webhooks", hasSize(0));
    }

    @Test
    void everyMethodCallsItsOwnWebhookAndHostileAddressesAreProblems() {
        // The fake compiler passes a workflow with a Manual Trigger.
        String definition = "{\"name\":\"Methods\",\"nodes\":[{\"id\":\"manual\",\"name\":\"Manual\",\"type\":\"trigger.manual\","
                + "\"typeVersion\":1}," + hook("get", "GET", "items", "immediately", "none") + ","
                + hook("put", "PUT", "items", "immediately", "none") + "," + hook("patch", "PATCH", "items", "immediately", "none") + ","
                + hook("delete", "DELETE", "items", "immediately", "none") + "],\"connections\":[]}";
        String workflowId = given().auth().oauth2(editor).contentType(ContentType.JSON).body("{\"definition\":" + definition + "}")
                .post(WORKFLOWS).then().statusCode(201).extract().path("id");
        given().auth().oauth2(editor).post(WORKFLOWS + "/" + workflowId + "/activate").then().statusCode(200);
        String url = address(workflowId, "get");

        for (String method : List.of("GET", "PUT", "PATCH", "DELETE")) {
            var call = given().queryParam("n", "1");
            if (!method.equals("GET")) {
                call.contentType(ContentType.JSON).body("{\"m\":\"" + method + "\"}");
            }
            String execution = call.request(method, url).then().statusCode(202).extract().path("executionId");
            ExecutionRequested request = kafka.requestFor(execution, WITHIN);
            assertThat(request.triggerNodeId()).isEqualTo(method.toLowerCase(java.util.Locale.ROOT));
            assertThat(request.triggerData().path("method").asText()).isEqualTo(method);
            if (!method.equals("GET")) {
                assertThat(request.triggerData().at("/body/m").asText()).isEqualTo(method);
            }
        }
        given().contentType(ContentType.JSON).body("{}").post(url).then().statusCode(405).contentType("application/problem+json")
                .body("detail", containsString("PATCH"));

        String prefix = url.split("/")[2];
        for (String hostile : List.of("/webhook/" + prefix + "/items%00", "/webhook/" + prefix + "/" + "a".repeat(2_000),
                "/webhook/" + prefix + "/%2e%2e/%2e%2e/etc", "/webhook/" + prefix.toUpperCase(java.util.Locale.ROOT) + "/items",
                "/webhook/" + prefix + "/it%0D%0Ams", "/webhook/" + prefix + "%00/items", "/webhook/" + prefix + "/items%F0%9F%92%A5")) {
            for (String method : List.of("GET", "PUT", "PATCH", "DELETE")) {
                var answer = given().urlEncodingEnabled(false).request(method, hostile);
                assertThat(answer.statusCode()).as(method + " " + hostile.substring(0, Math.min(80, hostile.length()))).isEqualTo(404);
                assertThat(answer.contentType()).startsWith("application/problem+json");
            }
        }
    }

    @Test
    void aSynchronousWebhookAnswersWithWhatTheWorkflowResponds() throws Exception {
        String url = address(activeWorkflow(), "sync");
        CompletableFuture<Response> call = CompletableFuture.supplyAsync(() ->
                given().contentType(ContentType.JSON).body("{\"q\":1}").post(url).andReturn());
        String execution = waitForRequest();
        kafka.send(new ExecutionEvent.WebhookResponded("a1", tenant.toString(), execution, "wf", 5, "respond", 201,
                Map.of("X-Order", "A-1", "Set-Cookie", "session=stolen"), WeftJson.mapper().readTree("{\"accepted\":true}"),
                "application/json", Instant.now()));

        Response answer = call.get(WITHIN.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);
        assertThat(answer.statusCode()).isEqualTo(201);
        assertThat(answer.header("X-Order")).isEqualTo("A-1");
        assertThat(answer.header("X-Weft-Execution-Id")).isEqualTo(execution);
        assertThat(answer.header("Set-Cookie")).as("no cookies on the platform's origin").isNull();
        assertThat(answer.header("X-Content-Type-Options")).isEqualTo("nosniff");
        assertThat(answer.header("Content-Security-Policy")).isEqualTo("sandbox");
        assertThat(answer.jsonPath().getBoolean("accepted")).isTrue();
    }

    @Test
    void aSynchronousWebhookWhoseWorkflowFailsOrIsSlowGetsAProblem() throws Exception {
        String url = address(activeWorkflow(), "sync");
        CompletableFuture<Response> failing = CompletableFuture.supplyAsync(() ->
                given().contentType(ContentType.JSON).body("{}").post(url).andReturn());
        String execution = waitForRequest();
        kafka.send(new ExecutionEvent.ExecutionFailed("f1", tenant.toString(), execution, "wf", 9, 10, "call",
                new ExecutionError(ErrorKind.HTTP_SERVER_ERROR, "secret internal detail", false, "call", null), List.of(), Instant.now()));
        Response failed = failing.get(WITHIN.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);
        assertThat(failed.statusCode()).isEqualTo(502);
        assertThat(failed.contentType()).startsWith("application/problem+json");
        assertThat(failed.asString()).contains(execution).doesNotContain("secret internal detail");

        long started = System.nanoTime();
        given().contentType(ContentType.JSON).body("{}").post(url).then().statusCode(504).contentType("application/problem+json")
                .body("detail", containsString("1500 ms"));
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(1400));
    }

    /** The execution id of the next webhook request on Kafka. */
    private String waitForRequest() {
        return kafka.nextRequest(tenant.toString(), WITHIN).executionId();
    }
}
