package io.weft.executor.nodes.custom;

import static io.weft.executor.engine.TestPlans.plan;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.weft.contracts.events.ErrorKind;
import io.weft.contracts.json.WeftJson;
import io.weft.contracts.nodes.NodeFamily;
import io.weft.contracts.nodes.NodeTypeDescriptor;
import io.weft.contracts.nodes.PortDescriptor;
import io.weft.contracts.nodes.PortType;
import io.weft.executor.engine.Backoff;
import io.weft.executor.engine.Credentials;
import io.weft.executor.engine.ExecutionOutcome;
import io.weft.executor.engine.Item;
import io.weft.executor.engine.NodeOutcome;
import io.weft.executor.engine.PlanRunner;
import io.weft.executor.engine.RunInput;
import io.weft.executor.engine.TestPlans;
import io.weft.executor.expressions.ExpressionEvaluator;
import io.weft.executor.nodes.CoreNodeTypes;
import io.weft.executor.nodes.NodeCatalog;
import io.weft.executor.nodes.NodeType;
import io.weft.executor.outbound.OutboundHttp;
import io.weft.executor.sandbox.Sandbox;
import io.weft.executor.sandbox.SandboxLimits;
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
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A tenant's own node type run by the plan runner: its code in the sandbox, ctx.http against a real server on 127.0.0.1. */
class CustomNodeTypeTest {
    private static final Sandbox SANDBOX = new Sandbox(SandboxLimits.defaults().withStatements(2_000_000).withAllocatedBytes(256L << 20));
    private static final String SECRET = "s3cret-api-key-1234";
    private static HttpServer server;
    private static String base;
    private static final List<String> keysSeen = new CopyOnWriteArrayList<>();
    private static final AtomicInteger limitedCalls = new AtomicInteger();

    private final List<Duration> pauses = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/people", exchange -> {
            keysSeen.add(exchange.getRequestHeaders().getFirst("X-Api-Key"));
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            reply(exchange, 200, "application/json", WeftJson.mapper().createObjectNode().put("method", exchange.getRequestMethod())
                    .put("query", exchange.getRequestURI().getRawQuery()).put("received", body)
                    .put("contentType", exchange.getRequestHeaders().getFirst("Content-Type")).toString());
        });
        server.createContext("/limited", exchange -> {
            limitedCalls.incrementAndGet();
            exchange.getResponseHeaders().add("Retry-After", "7");
            reply(exchange, 429, "application/json", "{\"error\":\"slow down\"}");
        });
        server.createContext("/missing", exchange -> reply(exchange, 404, "text/plain", "no such person"));
        server.start();
        base = "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @AfterAll
    static void stop() {
        server.stop(0);
        SANDBOX.close();
    }

    private static void reply(HttpExchange exchange, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", type);
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    static NodeTypeDescriptor descriptor(String outputs, String... credentialTypes) {
        List<PortDescriptor> ports = new ArrayList<>();
        for (String name : outputs.split(",")) {
            ports.add(new PortDescriptor(name, PortType.MAIN, name, false));
        }
        return new NodeTypeDescriptor("custom.enrich", 1, "Enrich", null, NodeFamily.CUSTOM, false,
                WeftJson.mapper().createObjectNode().put("type", "object").set("properties", json("{\"greeting\":{\"type\":\"string\",\"default\":\"Hello\"}}")),
                List.of(new PortDescriptor("main", PortType.MAIN, "Input", true)), ports, List.of(credentialTypes));
    }

    private static JsonNode json(String text) {
        try {
            return WeftJson.mapper().readTree(text);
        } catch (IOException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private ExecutionOutcome run(NodeTypeDescriptor descriptor, String code, String parameters, String policy, List<String> items) {
        List<NodeType> types = new ArrayList<>(CoreNodeTypes.ALL);
        types.add(new CustomNodeType(descriptor, code, new OutboundHttp(new OutboundAddresses(List.of("127.0.0.1/32")))));
        Credentials credentials = (tenant, id, execution, node) -> new Credentials.Resolved("httpHeaderAuth",
                json("{\"name\":\"X-Api-Key\",\"value\":\"" + SECRET + "\"}"));
        PlanRunner runner = new PlanRunner(new NodeCatalog(types), new ExpressionEvaluator(), SANDBOX, null, credentials,
                new Backoff(new Random(7)), pauses::add);
        TestPlans plan = plan().node("start", "trigger.manual", "{}").node("own", "custom.enrich", parameters)
                .connect("start", "main", "own", "main");
        if (!descriptor.credentialTypes().isEmpty()) {
            plan.withCredential("own", "httpHeaderAuth", "cred-1");
        }
        for (PortDescriptor port : descriptor.outputs()) {
            plan.node("after-" + port.name(), "core.noOp", "{}").connect("own", port.name(), "after-" + port.name(), "main");
        }
        return runner.run(policy == null ? plan.build() : plan.withPolicy("own", policy).build(), new RunInput("t1", "e1", "w1", null,
                items.stream().map(text -> Item.of((ObjectNode) json(text))).toList(), WeftJson.mapper().createObjectNode(), Clock.systemUTC()));
    }

    private ExecutionOutcome run(String code, String parameters) {
        return run(descriptor("main"), code, parameters, null, List.of("{\"name\":\"ada\",\"id\":1}", "{\"name\":\"alan\",\"id\":2}"));
    }

    private static List<String> output(ExecutionOutcome outcome, String port) {
        return outcome.node("own").output().port(port).stream().map(item -> item.json().toString()).toList();
    }

    @Test
    void executeGetsTheItemsTheParametersWithDefaultsAndEachItemsParameters() {
        ExecutionOutcome outcome = run("""
                function execute(items, params, ctx) {
                  return items.map((item, i) => ({ line: params.greeting + ', ' + item.json.name, tag: ctx.params(i).tag,
                    node: ctx.node.name + ' ' + ctx.node.type + ' v' + ctx.node.version, execution: ctx.execution.id }));
                }""", "{\"tag\":\"#{{ $json.id }}\"}");

        assertThat(outcome.succeeded()).as(String.valueOf(outcome.node("own").error())).isTrue();
        assertThat(output(outcome, "main")).containsExactly(
                "{\"line\":\"Hello, ada\",\"tag\":\"#1\",\"node\":\"Own custom.enrich v1\",\"execution\":\"e1\"}",
                "{\"line\":\"Hello, alan\",\"tag\":\"#2\",\"node\":\"Own custom.enrich v1\",\"execution\":\"e1\"}");
    }

    @Test
    void itemsGoToTheOutputsTheCodeNames() {
        ExecutionOutcome outcome = run(descriptor("main,rejected"), """
                function execute(items) {
                  return { main: items.filter(i => i.json.id === 1), rejected: items.filter(i => i.json.id !== 1).map(i => ({ why: 'odd', ...i.json })) };
                }""", "{}", null, List.of("{\"name\":\"ada\",\"id\":1}", "{\"name\":\"alan\",\"id\":2}"));

        assertThat(output(outcome, "main")).containsExactly("{\"name\":\"ada\",\"id\":1}");
        assertThat(output(outcome, "rejected")).containsExactly("{\"why\":\"odd\",\"name\":\"alan\",\"id\":2}");
        assertThat(outcome.node("after-rejected").output().port("main")).hasSize(1);

        ExecutionOutcome wrong = run(descriptor("main"), "function execute(items) { return { elsewhere: items }; }", "{}", null, List.of("{}"));
        assertThat(wrong.node("own").error().getMessage()).contains("\"elsewhere\", which is not an output of this node (main)");
    }

    @Test
    void ctxHttpCallsOutWithTheCredentialWhichNeverShowsInOutputOrConsole() {
        ExecutionOutcome outcome = run(descriptor("main", "httpHeaderAuth"), """
                function execute(items, params, ctx) {
                  const key = ctx.credential('httpHeaderAuth');
                  console.log('using', key.value);
                  const answer = ctx.http({ method: 'POST', url: '%s/people', query: { name: items[0].json.name },
                    headers: { [key.name]: key.value }, body: { id: items[0].json.id } });
                  return [{ status: answer.status, body: answer.body, leaked: key.value, type: answer.headers['content-type'] }];
                }""".formatted(base), "{}", null, List.of("{\"name\":\"ada\",\"id\":1}"));

        assertThat(outcome.succeeded()).as(String.valueOf(outcome.node("own").error())).isTrue();
        JsonNode item = outcome.node("own").output().port("main").get(0).json();
        assertThat(item.path("status").asInt()).isEqualTo(200);
        assertThat(item.at("/body/method").asText()).isEqualTo("POST");
        assertThat(item.at("/body/query").asText()).isEqualTo("name=ada");
        assertThat(item.at("/body/received").asText()).isEqualTo("{\"id\":1}");
        assertThat(item.at("/body/contentType").asText()).isEqualTo("application/json");
        assertThat(item.path("leaked").asText()).isEqualTo("[redacted]");
        assertThat(keysSeen).contains(SECRET);
        assertThat(outcome.node("own").console()).extracting(line -> line.line()).containsExactly("using [redacted]");
        assertThat(outcome.toString()).doesNotContain(SECRET);
    }

    @Test
    void aCredentialTheNodeDoesNotHaveIsAClearError() {
        ExecutionOutcome outcome = run(descriptor("main", "httpHeaderAuth"), "function execute(items, p, ctx) { ctx.credential('slackApi'); }",
                "{}", null, List.of("{}"));
        assertThat(outcome.node("own").error().getMessage()).contains("this node has no credential of type \"slackApi\" (it accepts httpHeaderAuth)");
    }

    @Test
    void errorStatusesAreTypedForTheRetryPolicyUnlessTheCodeHandlesThem() {
        ExecutionOutcome limited = run(descriptor("main"), "function execute(items, p, ctx) { return [ctx.http({ url: '%s/limited' }).body]; }"
                .formatted(base), "{}", "{\"maxAttempts\":2,\"backoff\":\"fixed\",\"initialIntervalMs\":100,\"backoffCoefficient\":1.0,"
                + "\"maxIntervalMs\":1000,\"jitter\":false,\"retryOn\":[]}", List.of("{}"));
        NodeOutcome own = limited.node("own");
        assertThat(own.error().kind()).isEqualTo(ErrorKind.RATE_LIMITED);
        assertThat(own.error().retryable()).isTrue();
        assertThat(own.error().getMessage()).contains("HttpError: GET 127.0.0.1/limited answered 429");
        assertThat(pauses).containsExactly(Duration.ofSeconds(7));
        assertThat(limitedCalls.get()).isEqualTo(2);

        ExecutionOutcome handled = run("""
                function execute(items, p, ctx) {
                  try { ctx.http({ url: '%1$s/missing' }); } catch (e) { return [{ name: e.name, status: e.response.status, body: e.response.body }]; }
                }""".formatted(base), "{}");
        assertThat(output(handled, "main")).containsExactly("{\"name\":\"HttpError\",\"status\":404,\"body\":\"no such person\"}");

        ExecutionOutcome ignored = run("function execute(items, p, ctx) { return [{ status: ctx.http({ url: '%s/missing', ignoreHttpErrors: true }).status }]; }"
                .formatted(base), "{}");
        assertThat(output(ignored, "main")).containsExactly("{\"status\":404}");
    }

    @Test
    void ctxHttpKeepsTheSsrfGuardAndRefusesBadRequests() {
        for (String url : List.of("http://10.1.2.3/", "http://169.254.169.254/latest/meta-data/", "http://[::1]:8080/")) {
            ExecutionOutcome outcome = run("function execute(items, p, ctx) { ctx.http({ url: '" + url + "' }); }", "{}");
            assertThat(outcome.node("own").error().kind()).as(url).isEqualTo(ErrorKind.INVALID_PARAMETERS);
            assertThat(outcome.node("own").error().getMessage()).as(url).contains("internal");
        }
        assertThat(run("function execute(items, p, ctx) { ctx.http({ url: 'file:///etc/passwd' }); }", "{}").node("own").error().getMessage())
                .contains("the url must be http or https");
        assertThat(run("function execute(items, p, ctx) { ctx.http('%s/people'); }".formatted(base), "{}").node("own").error().getMessage())
                .contains("ctx.http takes a request object");
        assertThat(run("function execute(items, p, ctx) { ctx.http({ url: '%s/people', method: 'TRACE' }); }".formatted(base), "{}")
                .node("own").error().getMessage()).contains("method must be one of");
        assertThat(run("function execute(items, p, ctx) { ctx.http({ url: '%s/people', headers: { Host: 'evil' } }); }".formatted(base), "{}")
                .node("own").error().getMessage()).contains("the header \"Host\" cannot be set");
    }

    @Test
    void anAsyncExecuteIsAwaited() {
        ExecutionOutcome outcome = run("""
                async function execute(items, params, ctx) {
                  const answer = await ctx.http({ url: '%s/people' });
                  return [{ status: answer.status }];
                }""".formatted(base), "{}");
        assertThat(output(outcome, "main")).containsExactly("{\"status\":200}");

        ExecutionOutcome rejected = run("async function execute() { throw new Error('nope'); }", "{}");
        assertThat(rejected.node("own").error().getMessage()).contains("Error: nope");
    }

    @Test
    void codeThatDefinesNoExecuteOrReturnsNothingFailsClearly() {
        assertThat(run("function run(items) { return items; }", "{}").node("own").error().getMessage())
                .contains("the code must define function execute(items, params, ctx)");
        assertThat(run("function execute(items) { }", "{}").node("own").error().getMessage())
                .contains("execute returned nothing");
        assertThat(run("function execute(items) {\n  return items.map(i => i.json.missing.deeper);\n}", "{}").node("own").error().getMessage())
                .contains("(line 2)");
    }

    @Test
    void hostileCodeIsContained() {
        ExecutionOutcome loop = run("function execute() { while (true) {} }", "{}");
        assertThat(loop.node("own").error().getMessage()).contains("statements");
        ExecutionOutcome bomb = run("function execute() { const a = []; while (true) a.push('x'.repeat(1 << 20)); }", "{}");
        assertThat(bomb.node("own").error().getMessage()).containsAnyOf("memory", "statements");
        ExecutionOutcome host = run("""
                function execute(items, p, ctx) {
                  return [{ java: typeof Java, polyglot: typeof Polyglot, ctor: typeof ctx.http.constructor('return this')().Java,
                            frozen: Object.isFrozen(ctx), kept: (() => { try { ctx.http = null; } catch (e) { } return typeof ctx.http; })() }];
                }""", "{}");
        assertThat(output(host, "main")).containsExactly(
                "{\"java\":\"undefined\",\"polyglot\":\"undefined\",\"ctor\":\"undefined\",\"frozen\":true,\"kept\":\"function\"}");
        run("function execute(items) { Object.prototype.polluted = 'yes'; JSON.parse = () => ({ forged: true }); return items; }", "{}");
        assertThat(output(run("function execute() { return [{ clean: ({}).polluted === undefined }]; }", "{}"), "main"))
                .containsExactly("{\"clean\":true}");
        ExecutionOutcome forged = run("""
                function execute(items, p, ctx) { const e = new Error('forged'); e.name = 'HttpError'; e.kind = 'RATE_LIMITED'; throw e; }""", "{}");
        assertThat(forged.node("own").error().kind()).isEqualTo(ErrorKind.SCRIPT);
    }
}
