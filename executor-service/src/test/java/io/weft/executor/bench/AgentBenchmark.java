package io.weft.executor.bench;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import io.weft.contracts.json.WeftJson;
import io.weft.contracts.plan.ExecutionPlan;
import io.weft.executor.ai.ChatModels;
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
import io.weft.executor.nodes.ai.ChatModelNode;
import io.weft.executor.nodes.ai.OpenAiChatModelNode;
import io.weft.executor.nodes.core.HttpRequestNode;
import io.weft.platform.net.OutboundAddresses;
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
 * An AI Agent step's cost besides the provider's: one agent run over one item is two model calls
 * (the first asks for a tool) and one tool call (an HTTP Request), against a WireMock replica of
 * OpenAI's API and a tool endpoint that answer at once, with every call recorded (in memory) as the
 * executor records it. {@code providerOnly} makes the same three HTTP exchanges with the JDK client
 * and nothing else: the difference is the engine's overhead for three calls. Run with
 * {@code ./weft bench executor AgentBenchmark}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(1)
public class AgentBenchmark {
    private static final String ASKS_FOR_TOOL = """
            {"id":"c1","object":"chat.completion","created":1,"model":"gpt-4o-mini","choices":[{"index":0,"message":{"role":"assistant",
             "content":null,"tool_calls":[{"id":"call_1","type":"function","function":{"name":"Weather","arguments":"{\\"city\\":\\"Paris\\"}"}}]},
             "finish_reason":"tool_calls"}],"usage":{"prompt_tokens":40,"completion_tokens":8,"total_tokens":48}}""";
    private static final String ANSWERS = """
            {"id":"c2","object":"chat.completion","created":1,"model":"gpt-4o-mini","choices":[{"index":0,"message":{"role":"assistant",
             "content":"18 °C in Paris."},"finish_reason":"stop"}],"usage":{"prompt_tokens":60,"completion_tokens":6,"total_tokens":66}}""";

    private WireMockServer provider;
    private String base;
    private PlanRunner runner;
    private ExecutionPlan plan;
    private RunInput input;
    private HttpClient http;
    private String firstRequest;
    private String secondRequest;

    @Setup
    public void setUp() throws Exception {
        provider = new WireMockServer(WireMockConfiguration.options().dynamicPort().bindAddress("127.0.0.1")
                .disableRequestJournal().containerThreads(8));
        provider.start();
        base = "http://127.0.0.1:" + provider.port();
        provider.stubFor(post(urlEqualTo("/v1/chat/completions")).atPriority(5)
                .willReturn(aResponse().withHeader("Content-Type", "application/json").withBody(ASKS_FOR_TOOL)));
        provider.stubFor(post(urlEqualTo("/v1/chat/completions")).atPriority(1)
                .withRequestBody(matchingJsonPath("$.messages[?(@.role == 'tool')]"))
                .willReturn(aResponse().withHeader("Content-Type", "application/json").withBody(ANSWERS)));
        provider.stubFor(get(urlPathEqualTo("/weather")).willReturn(aResponse().withHeader("Content-Type", "application/json")
                .withBody("{\"celsius\":18}")));

        OutboundAddresses loopback = new OutboundAddresses(List.of("127.0.0.1/32"));
        List<NodeType> types = new ArrayList<>(CoreNodeTypes.ALL.stream()
                .filter(type -> !(type instanceof ChatModelNode) && !(type instanceof HttpRequestNode)).toList());
        types.addAll(List.of(new OpenAiChatModelNode(new ChatModels(loopback)), new HttpRequestNode(loopback)));
        JsonNode data = WeftJson.mapper().createObjectNode().put("apiKey", "sk-bench").put("baseUrl", base + "/v1");
        Credentials credentials = (tenant, id, execution, node) -> new Credentials.Resolved("openAiApi", data);
        runner = new PlanRunner(new NodeCatalog(types), new ExpressionEvaluator(), null, Payloads.NONE, credentials,
                new Backoff(new Random(7)), pause -> { });
        plan = TestPlans.plan().node("start", "trigger.manual", "{}")
                .node("model", "ai.chatModel.openAi", "{}")
                .node("agent", "ai.agent", "{\"prompt\":\"Weather in {{ $json.city }}?\"}")
                .node("weather", "core.httpRequest", "{\"url\":\"" + base + "/weather?city={{ $fromAI('city') }}\"}")
                .withCredential("model", "openAiApi", "cred-1")
                .connect("start", "main", "agent", "main")
                .connect("model", "ai_languageModel", "agent", "ai_languageModel")
                .connect("weather", "ai_tool", "agent", "ai_tool")
                .build();
        input = new RunInput("tenant-1", "e1", "w1", null, List.of(Item.of(WeftJson.mapper().createObjectNode().put("city", "Paris"))),
                WeftJson.mapper().createObjectNode(), Clock.systemUTC());
        http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        firstRequest = "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"Weather in Paris?\"}],\"tools\":[{\"type\":"
                + "\"function\",\"function\":{\"name\":\"Weather\",\"parameters\":{\"type\":\"object\",\"properties\":{\"city\":{\"type\":"
                + "\"string\"}},\"required\":[\"city\"]}}}]}";
        secondRequest = firstRequest.replace("}],\"tools\"", "},{\"role\":\"assistant\",\"tool_calls\":[{\"id\":\"call_1\",\"type\":"
                + "\"function\",\"function\":{\"name\":\"Weather\",\"arguments\":\"{}\"}}]},{\"role\":\"tool\",\"tool_call_id\":"
                + "\"call_1\",\"content\":\"{\\\"celsius\\\":18}\"}],\"tools\"");
        if (!agentStep().succeeded()) {
            throw new IllegalStateException("the agent did not answer: " + agentStep().node("agent").error());
        }
    }

    @TearDown
    public void tearDown() {
        provider.stop();
    }

    @Benchmark
    public ExecutionOutcome agentStep() {
        return runner.run(plan, input, Map.of(), new CallJournal());
    }

    @Benchmark
    public int providerOnly() throws Exception {
        int status = send(HttpRequest.newBuilder(URI.create(base + "/v1/chat/completions")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(firstRequest)).build());
        status += send(HttpRequest.newBuilder(URI.create(base + "/weather?city=Paris")).GET().build());
        return status + send(HttpRequest.newBuilder(URI.create(base + "/v1/chat/completions")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(secondRequest)).build());
    }

    private int send(HttpRequest request) throws Exception {
        return http.send(request, HttpResponse.BodyHandlers.ofString()).statusCode();
    }
}
