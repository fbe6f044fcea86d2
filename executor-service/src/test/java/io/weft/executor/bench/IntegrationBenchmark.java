package io.weft.executor.bench;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import io.weft.contracts.json.WeftJson;
import io.weft.contracts.plan.ExecutionPlan;
import io.weft.executor.engine.Backoff;
import io.weft.executor.engine.Credentials;
import io.weft.executor.engine.ExecutionOutcome;
import io.weft.executor.engine.Item;
import io.weft.executor.engine.Payloads;
import io.weft.executor.engine.PlanRunner;
import io.weft.executor.engine.RunInput;
import io.weft.executor.engine.TestPlans;
import io.weft.executor.expressions.ExpressionEvaluator;
import io.weft.executor.nodes.CoreNodeTypes;
import io.weft.executor.nodes.NodeCatalog;
import io.weft.executor.nodes.NodeType;
import io.weft.executor.nodes.integrations.SlackNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * An integration call's cost besides the provider's: a run of Manual Trigger → Slack (post a message
 * with blocks, the post recorded as the executor records it, here in memory) against a WireMock
 * replica of Slack's Web API that answers at once. {@code providerOnly} makes the same HTTP exchange
 * with the JDK client and nothing else: the difference is the engine's and the node's overhead per
 * call. Run with {@code ./weft bench executor IntegrationBenchmark}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(1)
public class IntegrationBenchmark {
    private static final String POSTED = "{\"ok\":true,\"channel\":\"C024BE91L\",\"ts\":\"1503435956.000247\",\"message\":{\"type\":\"message\","
            + "\"text\":\"Order A-7 shipped\",\"ts\":\"1503435956.000247\"}}";

    private WireMockServer slack;
    private String base;
    private PlanRunner runner;
    private ExecutionPlan plan;
    private RunInput input;
    private HttpClient http;

    @Setup
    public void setUp() {
        slack = new WireMockServer(WireMockConfiguration.options().dynamicPort().bindAddress("127.0.0.1")
                .disableRequestJournal().containerThreads(8));
        slack.start();
        base = "http://127.0.0.1:" + slack.port();
        slack.stubFor(post(urlEqualTo("/api/chat.postMessage")).willReturn(aResponse().withHeader("Content-Type", "application/json")
                .withBody(POSTED)));
        List<NodeType> types = new ArrayList<>(CoreNodeTypes.ALL.stream().filter(type -> !(type instanceof SlackNode)).toList());
        types.add(new SlackNode(URI.create(base + "/api")));
        JsonNode token = WeftJson.mapper().createObjectNode().put("botToken", "xoxb-bench");
        Credentials credentials = (tenant, id, execution, node) -> new Credentials.Resolved("slackApi", token);
        runner = new PlanRunner(new NodeCatalog(types), new ExpressionEvaluator(), null, Payloads.NONE, credentials,
                new Backoff(new Random(7)), pause -> { });
        plan = TestPlans.plan().node("start", "trigger.manual", "{}")
                .node("slack", "integration.slack", "{\"channel\":\"C024BE91L\",\"text\":\"Order {{ $json.order }} shipped\","
                        + "\"blocks\":[{\"type\":\"section\",\"text\":{\"type\":\"mrkdwn\",\"text\":\"Order *{{ $json.order }}* shipped\"}}]}")
                .withCredential("slack", "slackApi", "cred-1")
                .connect("start", "main", "slack", "main")
                .build();
        input = new RunInput("tenant-1", "e1", "w1", null, List.of(Item.of(WeftJson.mapper().createObjectNode().put("order", "A-7"))),
                WeftJson.mapper().createObjectNode(), Clock.systemUTC());
        http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        if (!slackPost().succeeded()) {
            throw new IllegalStateException("the Slack node did not post: " + slackPost().node("slack").error());
        }
    }

    @TearDown
    public void tearDown() {
        slack.stop();
    }

    @Benchmark
    public ExecutionOutcome slackPost() {
        return runner.run(plan, input, Map.of(), new CallJournal());
    }

    @Benchmark
    public int providerOnly() throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base + "/api/chat.postMessage")).header("Authorization", "Bearer xoxb-bench")
                .header("Content-Type", "application/json; charset=utf-8")
                .POST(HttpRequest.BodyPublishers.ofString("{\"channel\":\"C024BE91L\",\"text\":\"Order A-7 shipped\",\"blocks\":[{\"type\":"
                        + "\"section\",\"text\":{\"type\":\"mrkdwn\",\"text\":\"Order *A-7* shipped\"}}],\"metadata\":{\"event_type\":"
                        + "\"weft_node_run\",\"event_payload\":{\"idempotency_key\":\"tenant-1:e1:slack:1:0\"}}}")).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode();
    }
}
