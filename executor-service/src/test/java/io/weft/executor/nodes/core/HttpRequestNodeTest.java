package io.weft.executor.nodes.core;

import static io.weft.executor.engine.TestPlans.plan;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.weft.contracts.events.ErrorKind;
import io.weft.contracts.json.WeftJson;
import io.weft.executor.engine.Backoff;
import io.weft.executor.engine.Credentials;
import io.weft.executor.engine.ExecutionOutcome;
import io.weft.executor.engine.Item;
import io.weft.executor.engine.NodeOutcome;
import io.weft.executor.engine.Payloads;
import io.weft.executor.engine.PlanRunner;
import io.weft.executor.engine.RunInput;
import io.weft.executor.engine.TestPlans;
import io.weft.executor.expressions.ExpressionEvaluator;
import io.weft.executor.nodes.CoreNodeTypes;
import io.weft.executor.nodes.NodeCatalog;
import io.weft.executor.nodes.NodeType;
import io.weft.platform.net.OutboundAddresses;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The HTTP Request node against a real HTTP server on 127.0.0.1, through the plan runner. */
class HttpRequestNodeTest {
    private static HttpServer server;
    private static String base;
    private static HttpServer other;
    private static String otherOrigin;
    private static final List<String> idempotencyKeys = new CopyOnWriteArrayList<>();
    private static final AtomicInteger flakyCalls = new AtomicInteger();
    private static final AtomicInteger limitedCalls = new AtomicInteger();
    private static final AtomicInteger notFoundCalls = new AtomicInteger();
    private static volatile CountDownLatch slowCallAborted = new CountDownLatch(1);

    private final List<Duration> pauses = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/json", exchange -> {
            idempotencyKeys.add(exchange.getRequestHeaders().getFirst("Idempotency-Key"));
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            reply(exchange, 200, "application/json", WeftJson.mapper().createObjectNode()
                    .put("method", exchange.getRequestMethod())
                    .put("query", exchange.getRequestURI().getRawQuery())
                    .put("received", body)
                    .put("token", exchange.getRequestHeaders().getFirst("X-Token")).toString());
        });
        server.createContext("/whoami", exchange -> reply(exchange, 200, "application/json", WeftJson.mapper().createObjectNode()
                .put("authorization", exchange.getRequestHeaders().getFirst("Authorization"))
                .put("apiKey", exchange.getRequestHeaders().getFirst("X-Api-Key")).toString()));
        server.createContext("/elsewhere", exchange -> {
            exchange.getResponseHeaders().add("Location", otherOrigin + "/whoami");
            exchange.sendResponseHeaders(302, -1);
            exchange.close();
        });
        server.createContext("/text", exchange -> reply(exchange, 200, "text/plain", "plain words"));
        server.createContext("/flaky", exchange -> {
            boolean fail = flakyCalls.incrementAndGet() <= 2;
            reply(exchange, fail ? 503 : 200, "application/json", fail ? "{\"error\":\"busy\"}" : "{\"ok\":true}");
        });
        server.createContext("/missing", exchange -> {
            notFoundCalls.incrementAndGet();
            reply(exchange, 404, "application/json", "{\"error\":\"no such thing\"}");
        });
        server.createContext("/limited", exchange -> {
            if (limitedCalls.incrementAndGet() == 1) {
                exchange.getResponseHeaders().add("Retry-After", "4");
                reply(exchange, 429, "application/json", "{\"error\":\"slow down\"}");
            } else {
                reply(exchange, 200, "application/json", "{\"ok\":true}");
            }
        });
        server.createContext("/redirect", exchange -> {
            exchange.getResponseHeaders().add("Location", "/json?from=redirect");
            exchange.sendResponseHeaders(302, -1);
            exchange.close();
        });
        server.createContext("/to-metadata", exchange -> {
            exchange.getResponseHeaders().add("Location", "http://169.254.169.254/latest/meta-data/");
            exchange.sendResponseHeaders(302, -1);
            exchange.close();
        });
        server.createContext("/slow", exchange -> {
            try {
                exchange.sendResponseHeaders(200, 0);
                for (int i = 0; i < 100; i++) {
                    Thread.sleep(100);
                    exchange.getResponseBody().write(' ');
                    exchange.getResponseBody().flush();
                }
                exchange.close();
            } catch (IOException | InterruptedException e) {
                slowCallAborted.countDown();
            }
        });
        server.start();
        base = "http://127.0.0.1:" + server.getAddress().getPort();
        other = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        other.createContext("/whoami", exchange -> reply(exchange, 200, "application/json", WeftJson.mapper().createObjectNode()
                .put("authorization", exchange.getRequestHeaders().getFirst("Authorization")).toString()));
        other.start();
        otherOrigin = "http://127.0.0.1:" + other.getAddress().getPort();
    }

    @AfterAll
    static void stop() {
        server.stop(0);
        other.stop(0);
    }

    @BeforeEach
    void reset() {
        idempotencyKeys.clear();
        flakyCalls.set(0);
        limitedCalls.set(0);
        notFoundCalls.set(0);
        slowCallAborted = new CountDownLatch(1);
    }

    private static void reply(HttpExchange exchange, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", type);
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    private ExecutionOutcome run(OutboundAddresses addresses, String parameters, String policy) {
        List<NodeType> types = new ArrayList<>(CoreNodeTypes.ALL.stream().filter(t -> !(t instanceof HttpRequestNode)).toList());
        types.add(new HttpRequestNode(addresses));
        PlanRunner runner = new PlanRunner(new NodeCatalog(types), new ExpressionEvaluator(), null, new Backoff(new Random(7)), pauses::add);
        TestPlans plan = plan().node("start", "trigger.manual", "{}").node("call", "core.httpRequest", parameters)
                .connect("start", "main", "call", "main");
        return runner.run(policy == null ? plan.build() : plan.withPolicy("call", policy).build(),
                new RunInput("t1", "e1", "w1", null, List.of(Item.of(WeftJson.mapper().createObjectNode().put("id", 42))),
                        WeftJson.mapper().createObjectNode(), Clock.systemUTC()));
    }

    private ExecutionOutcome run(String parameters) {
        return run(new OutboundAddresses(List.of("127.0.0.1/32")), parameters, null);
    }

    private static JsonNode body(ExecutionOutcome outcome) {
        return outcome.node("call").output().port("main").get(0).json();
    }

    @Test
    void callsWithQueryHeadersAndJsonBodyAndPassesTheIdempotencyKey() {
        ExecutionOutcome outcome = run("""
                {"method":"POST","url":"%s/json","query":{"id":"{{ $json.id }}","q":"a b"},"headers":{"X-Token":"t-{{ $json.id }}"},
                 "body":{"type":"json","json":{"id":"{{ $json.id }}"}}}""".formatted(base));

        assertThat(outcome.succeeded()).as(String.valueOf(outcome.node("call").error())).isTrue();
        JsonNode item = body(outcome);
        assertThat(item.get("statusCode").asInt()).isEqualTo(200);
        assertThat(item.at("/body/method").asText()).isEqualTo("POST");
        assertThat(item.at("/body/query").asText()).isEqualTo("id=42&q=a+b");
        assertThat(item.at("/body/token").asText()).isEqualTo("t-42");
        assertThat(item.at("/body/received").asText()).isEqualTo("{\"id\":42}");
        assertThat(item.at("/headers/content-type").asText()).isEqualTo("application/json");
        assertThat(idempotencyKeys).containsExactly("t1:e1:call:1:0");
    }

    @Test
    void textRedirectsAndFormBodies() {
        assertThat(body(run("{\"url\":\"" + base + "/text\"}")).get("body").asText()).isEqualTo("plain words");
        assertThat(body(run("{\"url\":\"" + base + "/redirect\"}")).at("/body/query").asText()).isEqualTo("from=redirect");
        assertThat(run("{\"url\":\"" + base + "/redirect\",\"followRedirects\":false,\"failOnHttpError\":false}")
                .node("call").output().port("main").get(0).json().get("statusCode").asInt()).isEqualTo(302);
        assertThat(body(run("{\"method\":\"PUT\",\"url\":\"" + base + "/json\",\"body\":{\"type\":\"form\",\"form\":{\"a\":\"1 2\"}}}"))
                .at("/body/received").asText()).isEqualTo("a=1+2");
    }

    @Test
    void retriesServerErrorsWithBackoffAndSucceeds() {
        ExecutionOutcome outcome = run(new OutboundAddresses(List.of("127.0.0.1/32")), "{\"url\":\"" + base + "/flaky\"}",
                "{\"maxAttempts\":3,\"backoff\":\"exponential\",\"initialIntervalMs\":100,\"backoffCoefficient\":3.0,"
                        + "\"maxIntervalMs\":60000,\"jitter\":false,\"retryOn\":[]}");

        assertThat(outcome.succeeded()).isTrue();
        assertThat(flakyCalls.get()).isEqualTo(3);
        assertThat(pauses).containsExactly(Duration.ofMillis(100), Duration.ofMillis(300));
    }

    @Test
    void aRateLimitWaitsForTheServersRetryAfter() {
        ExecutionOutcome outcome = run(new OutboundAddresses(List.of("127.0.0.1/32")), "{\"url\":\"" + base + "/limited\"}",
                "{\"maxAttempts\":2,\"backoff\":\"fixed\",\"initialIntervalMs\":100,\"backoffCoefficient\":1.0,"
                        + "\"maxIntervalMs\":1000,\"jitter\":false,\"retryOn\":[]}");

        assertThat(outcome.succeeded()).isTrue();
        assertThat(limitedCalls.get()).isEqualTo(2);
        assertThat(pauses).as("the policy says 100 ms; the server asked for 4 s").containsExactly(Duration.ofSeconds(4));
    }

    @Test
    void clientErrorsAreNotRetried() {
        ExecutionOutcome outcome = run(new OutboundAddresses(List.of("127.0.0.1/32")), "{\"url\":\"" + base + "/missing\"}",
                "{\"maxAttempts\":5,\"backoff\":\"fixed\",\"initialIntervalMs\":10,\"backoffCoefficient\":2.0,"
                        + "\"maxIntervalMs\":100,\"jitter\":true,\"retryOn\":[]}");

        assertThat(outcome.node("call").error().kind()).isEqualTo(ErrorKind.HTTP_CLIENT_ERROR);
        assertThat(outcome.node("call").error().getMessage()).isEqualTo("GET 127.0.0.1/missing answered 404");
        assertThat(notFoundCalls.get()).isEqualTo(1);
        assertThat(pauses).isEmpty();
    }

    @Test
    void theNodeTimeoutStopsASlowCall() throws InterruptedException {
        ExecutionOutcome outcome = run(new OutboundAddresses(List.of("127.0.0.1/32")), "{\"url\":\"" + base + "/slow\"}",
                "timeout:300");

        NodeOutcome call = outcome.node("call");
        assertThat(call.error().kind()).isEqualTo(ErrorKind.TIMEOUT);
        assertThat(call.error().getMessage()).contains("did not finish within 300 ms");
        assertThat(slowCallAborted.await(5, TimeUnit.SECONDS)).as("the server saw the call cut off").isTrue();
    }

    @Test
    void internalAddressesAreRefusedUnlessAllowed() {
        for (String url : List.of(base + "/json", "http://localhost:1/", "http://10.1.2.3/", "http://169.254.169.254/latest/",
                "http://[::1]:8080/", "http://100.64.0.1/", "http://0.0.0.0/", "http://192.0.2.1/", "http://[64:ff9b::a9fe:a9fe]/",
                "http://[::a9fe:a9fe]/", "http://[2002:a00:1::1]/")) {
            ExecutionOutcome outcome = run(OutboundAddresses.publicOnly(), "{\"url\":\"" + url + "\"}", null);
            assertThat(outcome.node("call").error().kind()).as(url).isEqualTo(ErrorKind.INVALID_PARAMETERS);
            assertThat(outcome.node("call").error().getMessage()).as(url).contains("an internal");
        }
        assertThat(idempotencyKeys).isEmpty();

        ExecutionOutcome redirected = run("{\"url\":\"" + base + "/to-metadata\"}");
        assertThat(redirected.node("call").error().getMessage()).contains("169.254.169.254");

        ExecutionOutcome file = run("{\"url\":\"file:///etc/passwd\"}");
        assertThat(file.node("call").error().getMessage()).isEqualTo("url must be http or https, not file");
    }

    private ExecutionOutcome runWithCredential(String parameters, String type, Credentials credentials) {
        List<NodeType> types = new ArrayList<>(CoreNodeTypes.ALL.stream().filter(t -> !(t instanceof HttpRequestNode)).toList());
        types.add(new HttpRequestNode(new OutboundAddresses(List.of("127.0.0.1/32"))));
        PlanRunner runner = new PlanRunner(new NodeCatalog(types), new ExpressionEvaluator(), null, Payloads.NONE, credentials,
                new Backoff(new Random(7)), pauses::add);
        return runner.run(plan().node("start", "trigger.manual", "{}").node("call", "core.httpRequest", parameters)
                        .connect("start", "main", "call", "main").withCredential("call", type, "cred-1").build(),
                new RunInput("t1", "e1", "w1", null, List.of(Item.of(WeftJson.mapper().createObjectNode().put("id", 42))),
                        WeftJson.mapper().createObjectNode(), Clock.systemUTC()));
    }

    private static Credentials stored(String type, String data) {
        return (tenantId, credentialId, executionId, nodeId) -> {
            assertThat(List.of(tenantId, credentialId, executionId, nodeId)).containsExactly("t1", "cred-1", "e1", "call");
            try {
                return new Credentials.Resolved(type, WeftJson.mapper().readTree(data));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        };
    }

    @Test
    void aCredentialAuthenticatesEachRequestAndNeverShowsInTheOutput() {
        String withCredential = "{\"url\":\"" + base + "/whoami\",\"authentication\":\"credential\"}";
        ExecutionOutcome basic = runWithCredential(withCredential, "httpBasicAuth",
                stored("httpBasicAuth", "{\"user\":\"alice\",\"password\":\"s3cret-pw\"}"));
        assertThat(body(basic).at("/body/authorization").asText())
                .isEqualTo("Basic " + java.util.Base64.getEncoder().encodeToString("alice:s3cret-pw".getBytes(StandardCharsets.UTF_8)));
        ExecutionOutcome quiet = runWithCredential("{\"url\":\"" + base + "/text\",\"authentication\":\"credential\"}",
                "httpBasicAuth", stored("httpBasicAuth", "{\"user\":\"alice\",\"password\":\"s3cret-pw\"}"));
        assertThat(quiet.succeeded()).isTrue();
        assertThat(quiet.node("call").output().toString()).as("the request's headers are not in the item")
                .doesNotContain("s3cret-pw").doesNotContain("YWxpY2U6czNjcmV0LXB3");

        assertThat(body(runWithCredential(withCredential, "httpHeaderAuth",
                stored("httpHeaderAuth", "{\"name\":\"X-Api-Key\",\"value\":\"k-123\"}"))).at("/body/apiKey").asText()).isEqualTo("k-123");
        assertThat(body(runWithCredential(withCredential, "httpBearerAuth", stored("httpBearerAuth", "{\"token\":\"tok\"}")))
                .at("/body/authorization").asText()).isEqualTo("Bearer tok");
        assertThat(body(runWithCredential(withCredential, "oAuth2Api",
                stored("oAuth2Api", "{\"oauthTokenData\":{\"accessToken\":\"at-1\"}}"))).at("/body/authorization").asText())
                .isEqualTo("Bearer at-1");
    }

    @Test
    void aRedirectToAnotherOriginGoesWithoutTheCredential() {
        ExecutionOutcome outcome = runWithCredential("{\"url\":\"" + base + "/elsewhere\",\"authentication\":\"credential\"}",
                "httpBearerAuth", stored("httpBearerAuth", "{\"token\":\"tok\"}"));
        assertThat(outcome.succeeded()).isTrue();
        assertThat(body(outcome).at("/body/authorization").isNull()).as("no Authorization at the other origin").isTrue();
    }

    @Test
    void aCredentialThatCannotBeUsedFailsTheNodeWithoutItsValue() {
        String withCredential = "{\"url\":\"" + base + "/whoami\",\"authentication\":\"credential\"}";
        ExecutionOutcome unresolved = runWithCredential(withCredential, "httpBasicAuth", Credentials.NONE);
        assertThat(unresolved.node("call").error().kind()).isEqualTo(ErrorKind.CREDENTIALS);

        ExecutionOutcome badHeader = runWithCredential(withCredential, "httpHeaderAuth",
                stored("httpHeaderAuth", "{\"name\":\"X-Api-Key\",\"value\":\"v\\r\\nX-Injected: secret-v\"}"));
        assertThat(badHeader.node("call").error().kind()).isEqualTo(ErrorKind.CREDENTIALS);
        assertThat(badHeader.node("call").error().getMessage()).doesNotContain("secret-v");

        ExecutionOutcome notConnected = runWithCredential(withCredential, "oAuth2Api", stored("oAuth2Api", "{}"));
        assertThat(notConnected.node("call").error().getMessage()).contains("connect");

        ExecutionOutcome noSlot = runWithCredential(withCredential, "slackApi", stored("slackApi", "{}"));
        assertThat(noSlot.node("call").error().kind()).isEqualTo(ErrorKind.INVALID_PARAMETERS);
    }
}
