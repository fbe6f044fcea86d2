package io.weft.workflow.webhooks;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.weft.contracts.events.ErrorKind;
import io.weft.contracts.events.ExecutionError;
import io.weft.contracts.events.ExecutionEvent;
import io.weft.contracts.json.WeftJson;
import io.weft.contracts.live.TokenChunk;
import io.weft.workflow.FakeCompiler;
import io.weft.workflow.executions.KafkaApiTest;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * A webhook whose Respond to Webhook node streams: the caller reads NDJSON lines while the run goes
 * on — AI nodes' token chunks as an executor publishes them on real Redis, then the Respond node's
 * answer from real Kafka (the test plays the executor).
 */
@QuarkusTest
@QuarkusTestResource(value = FakeCompiler.class, restrictToAnnotatedClass = false)
class StreamingWebhookTest extends KafkaApiTest {
    private static final String WORKFLOWS = "/api/orchestrator/workflows";

    @TestHTTPResource("/")
    URL root;

    @Inject
    ReactiveRedisDataSource redis;

    /** The address of an active workflow: a webhook that responds using a Respond node that streams. */
    private URI streamingWebhook() {
        String definition = """
                {"name":"Chat","nodes":[
                 {"id":"manual","name":"Manual","type":"trigger.manual","typeVersion":1},
                 {"id":"hook","name":"Hook","type":"trigger.webhook","typeVersion":1,
                  "parameters":{"method":"POST","path":"chat","respond":"usingRespondNode","responseTimeoutMs":2000}},
                 {"id":"agent","name":"Agent","type":"ai.agent","typeVersion":1,"parameters":{"prompt":"{{ $json.body.q }}","streamTokens":true}},
                 {"id":"respond","name":"Respond","type":"core.respondToWebhook","typeVersion":1,"parameters":{"stream":true}}],
                 "connections":[]}""";
        String id = given().auth().oauth2(editor).contentType(ContentType.JSON).body("{\"definition\":" + definition + "}")
                .post(WORKFLOWS).then().statusCode(201).extract().path("id");
        given().auth().oauth2(editor).post(WORKFLOWS + "/" + id + "/activate").then().statusCode(200);
        List<Map<String, Object>> hooks = given().auth().oauth2(editor).get(WORKFLOWS + "/" + id + "/webhooks")
                .then().statusCode(200).extract().path("webhooks");
        return URI.create(root.toString()).resolve(hooks.stream().filter(hook -> hook.get("nodeId").equals("hook"))
                .map(hook -> (String) hook.get("url")).findFirst().orElseThrow());
    }

    private static CompletableFuture<HttpResponse<Stream<String>>> call(URI webhook) {
        return HttpClient.newHttpClient().sendAsync(HttpRequest.newBuilder(webhook).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"q\":\"hi\"}")).build(), HttpResponse.BodyHandlers.ofLines());
    }

    /** Publishes as an executor does, once the call listens (it subscribes as it starts). */
    private void publish(String execution, TokenChunk chunk) throws InterruptedException {
        long deadline = System.nanoTime() + WITHIN.toNanos();
        while (redis.execute("PUBLISH", TokenChunk.channel(tenant.toString(), execution), WeftJson.mapper().valueToTree(chunk).toString())
                .await().atMost(WITHIN).toLong() == 0) {
            assertThat(System.nanoTime()).as("the call never listened to its execution's tokens").isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    private static JsonNode line(Iterator<String> lines) throws Exception {
        return WeftJson.mapper().readTree(lines.next());
    }

    @Test
    void theCallerReadsTheTokensAsTheyComeAndThenTheRespondNodesAnswer() throws Exception {
        CompletableFuture<HttpResponse<Stream<String>>> call = call(streamingWebhook());
        String execution = kafka.nextRequest(tenant.toString(), WITHIN).executionId();

        publish(execution, new TokenChunk("agent", 0, 1, "Hel"));
        HttpResponse<Stream<String>> answer = call.get(WITHIN.toSeconds(), TimeUnit.SECONDS);
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/x-ndjson");
        assertThat(answer.headers().firstValue("X-Weft-Execution-Id")).contains(execution);
        Iterator<String> lines = answer.body().iterator();
        assertThat(line(lines).toString()).isEqualTo("{\"type\":\"token\",\"nodeId\":\"agent\",\"item\":0,\"text\":\"Hel\"}");

        publish(execution, new TokenChunk("agent", 0, 2, "lo!"));
        assertThat(line(lines).path("text").asText()).as("the second chunk comes while the run still goes on").isEqualTo("lo!");

        kafka.send(new ExecutionEvent.WebhookResponded("a1", tenant.toString(), execution, "wf", 5, "respond", 200, Map.of(),
                WeftJson.mapper().readTree("{\"reply\":\"Hello!\"}"), "application/json", Instant.now()));
        JsonNode end = line(lines);
        assertThat(end.path("type").asText()).isEqualTo("end");
        assertThat(end.path("statusCode").asInt()).isEqualTo(200);
        assertThat(end.path("body").path("reply").asText()).isEqualTo("Hello!");
        assertThat(lines.hasNext()).as("the answer ends with the Respond node's line").isFalse();
    }

    @Test
    void aRunThatFailsBeforeAnyTokenIsAProblemAndOneThatFailsAfterEndsTheStreamWithAnErrorLine() throws Exception {
        URI webhook = streamingWebhook();
        CompletableFuture<HttpResponse<Stream<String>>> early = call(webhook);
        String first = kafka.nextRequest(tenant.toString(), WITHIN).executionId();
        kafka.send(failed(first));
        HttpResponse<Stream<String>> problem = early.get(WITHIN.toSeconds(), TimeUnit.SECONDS);
        assertThat(problem.statusCode()).isEqualTo(502);
        assertThat(problem.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/problem+json");
        assertThat(String.join("\n", problem.body().toList())).contains(first).doesNotContain("secret internal detail");

        CompletableFuture<HttpResponse<Stream<String>>> late = call(webhook);
        String second = kafka.nextRequest(tenant.toString(), WITHIN).executionId();
        publish(second, new TokenChunk("agent", 0, 1, "Thinking"));
        HttpResponse<Stream<String>> stream = late.get(WITHIN.toSeconds(), TimeUnit.SECONDS);
        assertThat(stream.statusCode()).isEqualTo(200);
        Iterator<String> lines = stream.body().iterator();
        assertThat(line(lines).path("text").asText()).isEqualTo("Thinking");
        kafka.send(failed(second));
        JsonNode error = line(lines);
        assertThat(error.path("type").asText()).isEqualTo("error");
        assertThat(error.path("message").asText()).contains("failed before it answered").contains(second)
                .doesNotContain("secret internal detail");
        assertThat(lines.hasNext()).isFalse();
    }

    @Test
    void aStreamThatOutlivesTheResponseTimeoutEndsWithAnErrorLineAndASilentRunIs504() throws Exception {
        URI webhook = streamingWebhook();
        CompletableFuture<HttpResponse<Stream<String>>> silent = call(webhook);
        kafka.nextRequest(tenant.toString(), WITHIN);
        HttpResponse<Stream<String>> timedOut = silent.get(WITHIN.toSeconds(), TimeUnit.SECONDS);
        assertThat(timedOut.statusCode()).isEqualTo(504);

        CompletableFuture<HttpResponse<Stream<String>>> slow = call(webhook);
        String execution = kafka.nextRequest(tenant.toString(), WITHIN).executionId();
        publish(execution, new TokenChunk("agent", 0, 1, "Let me think"));
        Iterator<String> lines = slow.get(WITHIN.toSeconds(), TimeUnit.SECONDS).body().iterator();
        assertThat(line(lines).path("type").asText()).isEqualTo("token");
        JsonNode error = line(lines);
        assertThat(error.path("type").asText()).isEqualTo("error");
        assertThat(error.path("message").asText()).contains("within 2000 ms").contains(execution);
        assertThat(lines.hasNext()).isFalse();
    }

    private ExecutionEvent failed(String execution) {
        return new ExecutionEvent.ExecutionFailed("f-" + execution, tenant.toString(), execution, "wf", 9, 10, "agent",
                new ExecutionError(ErrorKind.HTTP_SERVER_ERROR, "secret internal detail", false, "agent", null), List.of(), Instant.now());
    }
}
