package io.weft.executor.nodes.ai;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.weft.executor.engine.TestPlans.plan;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import io.weft.contracts.events.ErrorKind;
import io.weft.contracts.json.WeftJson;
import io.weft.executor.ai.ChatModels;
import io.weft.executor.engine.Backoff;
import io.weft.executor.engine.Credentials;
import io.weft.executor.engine.ExecutionOutcome;
import io.weft.executor.engine.Item;
import io.weft.executor.engine.Payloads;
import io.weft.executor.engine.PlanRunner;
import io.weft.executor.engine.RunInput;
import io.weft.executor.engine.RunListener;
import io.weft.contracts.plan.PlannedNode;
import io.weft.executor.engine.TestPlans;
import io.weft.executor.expressions.ExpressionEvaluator;
import io.weft.executor.nodes.CoreNodeTypes;
import io.weft.executor.nodes.NodeCatalog;
import io.weft.executor.nodes.NodeType;
import io.weft.platform.net.OutboundAddresses;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The chat model sub-nodes and the Basic LLM Chain, driving langchain4j's real OpenAI, Gemini and
 * Ollama clients against WireMock replicas of each provider's documented HTTP API (issue 20).
 */
class ChatModelsTest {
    private static final String SECRET = "sk-test-5f2c9a7e1b";
    private static WireMockServer provider;
    private static String base;
    private final List<Duration> pauses = Collections.synchronizedList(new ArrayList<>());
    private final List<String> resolvedFor = Collections.synchronizedList(new ArrayList<>());
    /** The token chunks the run's listener was given, as {@code node/item/sequence:text}. */
    private final List<String> chunks = Collections.synchronizedList(new ArrayList<>());
    private final RunListener listener = new RunListener() {
        @Override
        public void tokens(PlannedNode node, int item, int sequence, String text) {
            chunks.add(node.id() + "/" + item + "/" + sequence + ":" + text);
        }
    };
    private List<Item> inputs = List.of(Item.of(WeftJson.mapper().createObjectNode().put("country", "France")));

    @BeforeAll
    static void start() {
        provider = new WireMockServer(WireMockConfiguration.options().dynamicPort().bindAddress("127.0.0.1"));
        provider.start();
        base = "http://127.0.0.1:" + provider.port();
    }

    @AfterAll
    static void stop() {
        provider.stop();
    }

    @BeforeEach
    void reset() {
        provider.resetAll();
        pauses.clear();
        resolvedFor.clear();
        chunks.clear();
    }

    private ExecutionOutcome run(String modelType, String modelParameters, ObjectNode credential, String policy, OutboundAddresses addresses) {
        return run(modelType, modelParameters, credential, policy, addresses, "ai.llmChain",
                "{\"prompt\":\"Capital of {{ $json.country }}?\",\"systemMessage\":\"Answer in one word.\"}");
    }

    private ExecutionOutcome run(String modelType, String modelParameters, ObjectNode credential, String policy, OutboundAddresses addresses,
                                 String rootType, String rootParameters) {
        ChatModels models = new ChatModels(addresses);
        List<NodeType> types = new ArrayList<>(CoreNodeTypes.ALL.stream().filter(type -> !(type instanceof ChatModelNode)).toList());
        types.addAll(List.of(new OpenAiChatModelNode(models), new GeminiChatModelNode(models), new OllamaChatModelNode(models)));
        Credentials credentials = (tenant, id, execution, node) -> {
            resolvedFor.add(tenant + "/" + id + "/" + node);
            return new Credentials.Resolved(credential.path("type").asText(), credential.get("data"));
        };
        PlanRunner runner = new PlanRunner(new NodeCatalog(types), new ExpressionEvaluator(), null, Payloads.NONE, credentials,
                new Backoff(new Random(7)), pauses::add);
        TestPlans plan = plan().node("start", "trigger.manual", "{}")
                .node("model", modelType, modelParameters)
                .node("chain", rootType, rootParameters)
                .withCredential("model", credential.path("type").asText(), "cred-1")
                .connect("start", "main", "chain", "main")
                .connect("model", "ai_languageModel", "chain", "ai_languageModel");
        if (policy != null) {
            plan.withPolicy("chain", policy);
        }
        return runner.run(plan.build(), new RunInput("tenant-1", "e1", "w1", null, inputs, WeftJson.mapper().createObjectNode(),
                Clock.systemUTC()), Map.of(), listener);
    }

    private ExecutionOutcome run(String modelType, String modelParameters, ObjectNode credential, String policy) {
        return run(modelType, modelParameters, credential, policy, new OutboundAddresses(List.of("127.0.0.1/32")));
    }

    private static ObjectNode credential(String type, String... fields) {
        ObjectNode credential = WeftJson.mapper().createObjectNode().put("type", type);
        ObjectNode data = credential.putObject("data");
        for (int i = 0; i < fields.length; i += 2) {
            data.put(fields[i], fields[i + 1]);
        }
        return credential;
    }

    private static JsonNode answer(ExecutionOutcome outcome) {
        return outcome.node("chain").output().all().get(0).json();
    }

    private static final String OPENAI_ANSWER = """
            {"id":"chatcmpl-1","object":"chat.completion","created":1733500000,"model":"gpt-4o-mini-2024-07-18",
             "choices":[{"index":0,"message":{"role":"assistant","content":"Paris"},"finish_reason":"stop"}],
             "usage":{"prompt_tokens":21,"completion_tokens":2,"total_tokens":23}}""";

    @Test
    void openAiAnswersWithTheTokensItCounted() {
        provider.stubFor(post(urlEqualTo("/v1/chat/completions")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody(OPENAI_ANSWER)));

        ExecutionOutcome outcome = run("ai.chatModel.openAi", "{\"temperature\":0.2,\"maxTokens\":50}",
                credential("openAiApi", "apiKey", SECRET, "baseUrl", base + "/v1"), null);

        assertThat(outcome.succeeded()).as(String.valueOf(outcome.node("chain").error())).isTrue();
        JsonNode answer = answer(outcome);
        assertThat(answer.path("text").asText()).isEqualTo("Paris");
        assertThat(answer.path("model").asText()).isEqualTo("gpt-4o-mini-2024-07-18");
        assertThat(answer.path("provider").asText()).isEqualTo("OpenAI");
        assertThat(answer.path("usage").toString()).isEqualTo("{\"inputTokens\":21,\"outputTokens\":2,\"totalTokens\":23}");
        assertThat(answer.path("finishReason").asText()).isEqualTo("STOP");
        provider.verify(postRequestedFor(urlEqualTo("/v1/chat/completions"))
                .withHeader("Authorization", equalTo("Bearer " + SECRET))
                .withRequestBody(matchingJsonPath("$.model", equalTo("gpt-4o-mini")))
                .withRequestBody(matchingJsonPath("$.temperature", equalTo("0.2")))
                .withRequestBody(matchingJsonPath("$.messages[0].role", equalTo("system")))
                .withRequestBody(matchingJsonPath("$.messages[1].content", equalTo("Capital of France?"))));
        assertThat(resolvedFor).containsExactly("tenant-1/cred-1/model");
        assertThat(outcome.nodes()).doesNotContainKey("model");
    }

    @Test
    void geminiAnswersThroughGenerateContent() {
        provider.stubFor(post(urlEqualTo("/v1beta/models/gemini-2.0-flash:generateContent")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody("""
                        {"candidates":[{"content":{"parts":[{"text":"Paris"}],"role":"model"},"finishReason":"STOP","index":0}],
                         "usageMetadata":{"promptTokenCount":9,"candidatesTokenCount":1,"totalTokenCount":10},
                         "modelVersion":"gemini-2.0-flash"}""")));

        ExecutionOutcome outcome = run("ai.chatModel.gemini", "{}", credential("googleGeminiApi", "apiKey", SECRET, "baseUrl", base), null);

        assertThat(outcome.succeeded()).as(String.valueOf(outcome.node("chain").error())).isTrue();
        assertThat(answer(outcome).path("text").asText()).isEqualTo("Paris");
        assertThat(answer(outcome).path("usage").path("totalTokens").asInt()).isEqualTo(10);
        provider.verify(postRequestedFor(urlEqualTo("/v1beta/models/gemini-2.0-flash:generateContent"))
                .withRequestBody(matchingJsonPath("$.contents[0].parts[0].text", equalTo("Capital of France?"))));
    }

    @Test
    void ollamaAnswersThroughApiChat() {
        provider.stubFor(post(urlEqualTo("/api/chat")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody("""
                        {"model":"llama3.2","created_at":"2026-12-07T10:00:00Z","message":{"role":"assistant","content":"Paris"},
                         "done":true,"done_reason":"stop","prompt_eval_count":14,"eval_count":2}""")));

        ExecutionOutcome outcome = run("ai.chatModel.ollama", "{\"model\":\"llama3.2\",\"maxTokens\":20}",
                credential("ollamaApi", "baseUrl", base), null);

        assertThat(outcome.succeeded()).as(String.valueOf(outcome.node("chain").error())).isTrue();
        assertThat(answer(outcome).path("text").asText()).isEqualTo("Paris");
        assertThat(answer(outcome).path("usage").path("inputTokens").asInt()).isEqualTo(14);
        provider.verify(postRequestedFor(urlEqualTo("/api/chat"))
                .withRequestBody(matchingJsonPath("$.model", equalTo("llama3.2")))
                .withRequestBody(matchingJsonPath("$.options.num_predict", equalTo("20")))
                .withRequestBody(matchingJsonPath("$.messages[1].content", equalTo("Capital of France?"))));
    }

    @Test
    void aRefusedKeyIsACredentialsFailureThatNeverShowsTheKey() {
        provider.stubFor(post(urlEqualTo("/v1/chat/completions")).willReturn(aResponse().withStatus(401)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"error\":{\"message\":\"Incorrect API key provided: " + SECRET + ".\",\"type\":\"invalid_request_error\","
                        + "\"code\":\"invalid_api_key\"}}")));

        ExecutionOutcome outcome = run("ai.chatModel.openAi", "{}", credential("openAiApi", "apiKey", SECRET, "baseUrl", base + "/v1"),
                "{\"maxAttempts\":3}");

        assertThat(outcome.succeeded()).isFalse();
        assertThat(outcome.node("chain").error().kind()).isEqualTo(ErrorKind.CREDENTIALS);
        assertThat(outcome.node("chain").error().getMessage()).contains("Incorrect API key provided").doesNotContain(SECRET);
        assertThat(pauses).as("a refused key is not tried again").isEmpty();
        provider.verify(1, postRequestedFor(urlEqualTo("/v1/chat/completions")));
    }

    @Test
    void aRateLimitIsRetriedAfterTheProvidersRetryAfter() {
        provider.stubFor(post(urlEqualTo("/v1/chat/completions")).inScenario("limited").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "7").withHeader("Content-Type", "application/json")
                        .withBody("{\"error\":{\"message\":\"Rate limit reached for gpt-4o-mini\",\"type\":\"requests\"}}"))
                .willSetStateTo("served"));
        provider.stubFor(post(urlEqualTo("/v1/chat/completions")).inScenario("limited").whenScenarioStateIs("served")
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody(OPENAI_ANSWER)));

        ExecutionOutcome outcome = run("ai.chatModel.openAi", "{}", credential("openAiApi", "apiKey", SECRET, "baseUrl", base + "/v1"),
                "{\"maxAttempts\":3,\"initialIntervalMs\":100,\"maxIntervalMs\":1000}");

        assertThat(outcome.succeeded()).isTrue();
        assertThat(pauses).as("the policy says at most 1 s; the provider asked for 7").containsExactly(Duration.ofSeconds(7));
        provider.verify(2, postRequestedFor(urlEqualTo("/v1/chat/completions")));
    }

    @Test
    void aServerErrorIsRetryableAndATooLongPromptIsNot() {
        provider.stubFor(post(urlEqualTo("/v1/chat/completions")).willReturn(aResponse().withStatus(400)
                .withHeader("Content-Type", "application/json").withBody("{\"error\":{\"message\":\"This model's maximum context length is"
                        + " 128000 tokens.\",\"code\":\"context_length_exceeded\"}}")));
        ExecutionOutcome tooLong = run("ai.chatModel.openAi", "{}", credential("openAiApi", "apiKey", SECRET, "baseUrl", base + "/v1"),
                "{\"maxAttempts\":3}");
        assertThat(tooLong.node("chain").error().kind()).isEqualTo(ErrorKind.HTTP_CLIENT_ERROR);
        assertThat(tooLong.node("chain").error().getMessage()).contains("longer than the model takes");
        assertThat(tooLong.node("chain").error().retryable()).isFalse();

        provider.resetAll();
        provider.stubFor(post(urlEqualTo("/api/chat")).willReturn(aResponse().withStatus(503).withBody("{\"error\":\"model is loading\"}")));
        ExecutionOutcome down = run("ai.chatModel.ollama", "{}", credential("ollamaApi", "baseUrl", base),
                "{\"maxAttempts\":2,\"initialIntervalMs\":100,\"maxIntervalMs\":1000}");
        assertThat(down.node("chain").error().kind()).isEqualTo(ErrorKind.HTTP_SERVER_ERROR);
        assertThat(down.node("chain").error().getMessage()).contains("model is loading");
        provider.verify(2, postRequestedFor(urlEqualTo("/api/chat")));
    }

    @Test
    void aBaseUrlOnAnInternalNetworkIsRefusedBeforeAnyCall() {
        ExecutionOutcome outcome = run("ai.chatModel.openAi", "{}", credential("openAiApi", "apiKey", SECRET, "baseUrl", base + "/v1"),
                null, OutboundAddresses.publicOnly());

        assertThat(outcome.node("chain").error().kind()).isEqualTo(ErrorKind.CREDENTIALS);
        assertThat(outcome.node("chain").error().getMessage()).contains("an internal");
        provider.verify(0, postRequestedFor(urlEqualTo("/v1/chat/completions")));
    }

    @Test
    void modelsAreBuiltOncePerCredentialAndSettings() {
        ChatModels models = new ChatModels(OutboundAddresses.publicOnly());
        var first = models.model(List.of("openai", Map.of("apiKey", "a"), "gpt"), http -> new FakeModel());
        assertThat(models.model(List.of("openai", Map.of("apiKey", "a"), "gpt"), http -> new FakeModel())).isSameAs(first);
        assertThat(models.model(List.of("openai", Map.of("apiKey", "b"), "gpt"), http -> new FakeModel())).isNotSameAs(first);
    }

    private static String openAi(String content, int promptTokens) {
        return "{\"id\":\"c\",\"object\":\"chat.completion\",\"created\":1,\"model\":\"gpt-4o-mini\",\"choices\":[{\"index\":0,"
                + "\"message\":{\"role\":\"assistant\",\"content\":" + WeftJson.mapper().valueToTree(content) + "},\"finish_reason\":\"stop\"}],"
                + "\"usage\":{\"prompt_tokens\":" + promptTokens + ",\"completion_tokens\":5,\"total_tokens\":" + (promptTokens + 5) + "}}";
    }

    private static final String EXTRACT = "{\"text\":\"Order from {{ $json.country }}: Ada ordered 2 lamps, 42.50 EUR\","
            + "\"schema\":{\"type\":\"object\",\"required\":[\"customer\",\"total\"],\"additionalProperties\":false,"
            + "\"properties\":{\"customer\":{\"type\":\"string\"},\"total\":{\"type\":\"number\"}}}}";

    @Test
    void anExtractionThatDoesNotFitIsSentBackOnceAndThenFits() {
        provider.stubFor(post(urlEqualTo("/v1/chat/completions")).inScenario("repair").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                        .withBody(openAi("Here you go:\n```json\n{\"customer\": \"Ada\", \"total\": \"42.50 EUR\"}\n```", 100)))
                .willSetStateTo("repaired"));
        provider.stubFor(post(urlEqualTo("/v1/chat/completions")).inScenario("repair").whenScenarioStateIs("repaired")
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                        .withBody(openAi("{\"customer\": \"Ada\", \"total\": 42.5}", 150))));

        ExecutionOutcome outcome = run("ai.chatModel.openAi", "{}", credential("openAiApi", "apiKey", SECRET, "baseUrl", base + "/v1"),
                null, new OutboundAddresses(List.of("127.0.0.1/32")), "ai.informationExtractor", EXTRACT);

        assertThat(outcome.succeeded()).as(String.valueOf(outcome.node("chain").error())).isTrue();
        JsonNode extracted = answer(outcome);
        assertThat(extracted.path("data").toString()).isEqualTo("{\"customer\":\"Ada\",\"total\":42.5}");
        assertThat(extracted.path("repairs").asInt()).isEqualTo(1);
        assertThat(extracted.path("usage").path("inputTokens").asInt()).as("both rounds are counted").isEqualTo(250);
        provider.verify(postRequestedFor(urlEqualTo("/v1/chat/completions"))
                .withRequestBody(matchingJsonPath("$.messages[3].content", com.github.tomakehurst.wiremock.client.WireMock.containing(
                        "string found, number expected"))));
    }

    @Test
    void anExtractionThatNeverFitsIsAnOutputSchemaFailureWithTheRawAnswer() {
        provider.stubFor(post(urlEqualTo("/v1/chat/completions")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody(openAi("{\"customer\": \"Ada\", \"tot", 80))));

        ExecutionOutcome outcome = run("ai.chatModel.openAi", "{}", credential("openAiApi", "apiKey", SECRET, "baseUrl", base + "/v1"),
                null, new OutboundAddresses(List.of("127.0.0.1/32")), "ai.informationExtractor", EXTRACT);

        assertThat(outcome.succeeded()).isFalse();
        assertThat(outcome.node("chain").error().kind()).isEqualTo(ErrorKind.OUTPUT_SCHEMA);
        assertThat(outcome.node("chain").error().getMessage()).contains("after 2 repairs").contains("cut off")
                .contains("its last answer: {\"customer\": \"Ada\", \"tot");
        provider.verify(3, postRequestedFor(urlEqualTo("/v1/chat/completions")));
    }

    private static final String CLASSIFY = "{\"text\":\"My parcel from {{ $json.country }} never arrived\",\"categories\":["
            + "{\"name\":\"billing\",\"description\":\"invoices, payments\"},{\"name\":\"shipping\",\"description\":\"deliveries\"}]}";

    @Test
    void aClassifiedItemGoesOutOfItsCategorysOutput() {
        provider.stubFor(post(urlEqualTo("/v1/chat/completions")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody(openAi("```json\n{\"category\": \"shipping\"}\n```", 60))));

        ExecutionOutcome outcome = run("ai.chatModel.openAi", "{}", credential("openAiApi", "apiKey", SECRET, "baseUrl", base + "/v1"),
                null, new OutboundAddresses(List.of("127.0.0.1/32")), "ai.textClassifier", CLASSIFY);

        assertThat(outcome.succeeded()).as(String.valueOf(outcome.node("chain").error())).isTrue();
        var output = outcome.node("chain").output();
        assertThat(output.port("category0")).isEmpty();
        assertThat(output.port("category1")).hasSize(1);
        JsonNode item = output.port("category1").get(0).json();
        assertThat(item.path("country").asText()).as("the item goes on as it came").isEqualTo("France");
        assertThat(item.path("classification").path("category").asText()).isEqualTo("shipping");
        assertThat(item.path("classification").path("usage").path("inputTokens").asInt()).isEqualTo(60);
        provider.verify(postRequestedFor(urlEqualTo("/v1/chat/completions"))
                .withRequestBody(matchingJsonPath("$.messages[0].content", com.github.tomakehurst.wiremock.client.WireMock.containing(
                        "- shipping: deliveries"))));
    }

    @Test
    void anAnswerThatIsNoCategoryIsRepairedAndNoneFittingGoesToOther() {
        provider.stubFor(post(urlEqualTo("/v1/chat/completions")).inScenario("classify").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                        .withBody(openAi("It is about a complaint.", 50)))
                .willSetStateTo("repaired"));
        provider.stubFor(post(urlEqualTo("/v1/chat/completions")).inScenario("classify").whenScenarioStateIs("repaired")
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                        .withBody(openAi("{\"category\": \"other\"}", 70))));

        ExecutionOutcome outcome = run("ai.chatModel.openAi", "{}", credential("openAiApi", "apiKey", SECRET, "baseUrl", base + "/v1"),
                null, new OutboundAddresses(List.of("127.0.0.1/32")), "ai.textClassifier", CLASSIFY);

        assertThat(outcome.succeeded()).as(String.valueOf(outcome.node("chain").error())).isTrue();
        assertThat(outcome.node("chain").output().port("other")).hasSize(1);
        JsonNode classification = outcome.node("chain").output().port("other").get(0).json().path("classification");
        assertThat(classification.path("repairs").asInt()).isEqualTo(1);
        assertThat(classification.path("usage").path("inputTokens").asInt()).isEqualTo(120);
    }

    @Test
    void manyItemsAskTheProviderEachAndResolveTheCredentialOnce() {
        provider.stubFor(post(urlEqualTo("/v1/chat/completions")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody(OPENAI_ANSWER)));
        inputs = List.of("France", "Spain", "Peru").stream().map(country -> Item.of(WeftJson.mapper().createObjectNode()
                .put("country", country))).toList();

        ExecutionOutcome outcome = run("ai.chatModel.openAi", "{}", credential("openAiApi", "apiKey", SECRET, "baseUrl", base + "/v1"), null);

        assertThat(outcome.node("chain").output().all()).hasSize(3);
        provider.verify(3, postRequestedFor(urlEqualTo("/v1/chat/completions")));
        provider.verify(postRequestedFor(urlEqualTo("/v1/chat/completions"))
                .withRequestBody(matchingJsonPath("$.messages[1].content", equalTo("Capital of Peru?"))));
        assertThat(resolvedFor).as("one resolution (and one audit entry) per node attempt, not per item").hasSize(1);
    }

    @Test
    void garbageFromTheProviderIsATypedFailureWithoutTheKey() {
        provider.stubFor(post(urlEqualTo("/v1/chat/completions")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "text/html").withBody("<html>502 upstream " + SECRET + " gone</html>")));
        ExecutionOutcome html = run("ai.chatModel.openAi", "{}", credential("openAiApi", "apiKey", SECRET, "baseUrl", base + "/v1"), null);
        assertThat(html.succeeded()).isFalse();
        assertThat(html.node("chain").error().getMessage()).startsWith("OpenAI").doesNotContain(SECRET);
        assertThat(html.node("chain").error().kind()).as(html.node("chain").error().getMessage()).isEqualTo(ErrorKind.HTTP_SERVER_ERROR);

        provider.resetAll();
        provider.stubFor(post(urlEqualTo("/api/chat")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody("{\"model\":\"llama3.2\",\"done\":true}")));
        ExecutionOutcome empty = run("ai.chatModel.ollama", "{}", credential("ollamaApi", "baseUrl", base), null);
        assertThat(empty.succeeded()).as(empty.succeeded() ? answer(empty).toString() : empty.node("chain").error().getMessage()).isFalse();
        assertThat(empty.node("chain").error().kind()).as(empty.node("chain").error().getMessage()).isEqualTo(ErrorKind.HTTP_SERVER_ERROR);
    }

    private static final String STREAMED_CHAIN = "{\"prompt\":\"Capital of {{ $json.country }}?\",\"streamTokens\":true}";

    /** What the listener was given, joined: the whole text in order, whatever the chunks were. */
    private String streamedText() {
        return String.join("", chunks.stream().map(chunk -> chunk.substring(chunk.indexOf(':') + 1)).toList());
    }

    @Test
    void aStreamingChainHandsOnOpenAisTokensAsTheyComeAndKeepsTheWholeAnswer() {
        provider.stubFor(post(urlEqualTo("/v1/chat/completions")).withRequestBody(matchingJsonPath("$.stream", equalTo("true")))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "text/event-stream")
                        .withBody(OpenAiReplica.streamedAnswer("The capital ", "of France ", "is ", "Paris."))
                        .withChunkedDribbleDelay(6, 600)));

        ExecutionOutcome outcome = run("ai.chatModel.openAi", "{}", credential("openAiApi", "apiKey", SECRET, "baseUrl", base + "/v1"), null,
                new OutboundAddresses(List.of("127.0.0.1/32")), "ai.llmChain", STREAMED_CHAIN);

        assertThat(outcome.succeeded()).as(String.valueOf(outcome.node("chain").error())).isTrue();
        assertThat(answer(outcome).path("text").asText()).isEqualTo("The capital of France is Paris.");
        assertThat(answer(outcome).path("usage").path("inputTokens").asInt()).as("the usage chunk is read").isEqualTo(90);
        assertThat(streamedText()).isEqualTo("The capital of France is Paris.");
        assertThat(chunks).as("the answer came over 600 ms: it went on in several chunks, numbered in order").hasSizeGreaterThan(1)
                .allMatch(chunk -> chunk.startsWith("chain/0/"));
        for (int i = 0; i < chunks.size(); i++) {
            assertThat(chunks.get(i)).startsWith("chain/0/" + (i + 1) + ":");
        }
    }

    @Test
    void geminiStreamsThroughStreamGenerateContent() {
        provider.stubFor(post(urlEqualTo("/v1beta/models/gemini-2.0-flash:streamGenerateContent?alt=sse"))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "text/event-stream").withBody("""
                        data: {"candidates":[{"content":{"parts":[{"text":"Pa"}],"role":"model"},"index":0}],"modelVersion":"gemini-2.0-flash"}

                        data: {"candidates":[{"content":{"parts":[{"text":"ris"}],"role":"model"},"finishReason":"STOP","index":0}],                        "usageMetadata":{"promptTokenCount":9,"candidatesTokenCount":2,"totalTokenCount":11},"modelVersion":"gemini-2.0-flash"}

                        """)));

        ExecutionOutcome outcome = run("ai.chatModel.gemini", "{}", credential("googleGeminiApi", "apiKey", SECRET, "baseUrl", base), null,
                new OutboundAddresses(List.of("127.0.0.1/32")), "ai.llmChain", STREAMED_CHAIN);

        assertThat(outcome.succeeded()).as(String.valueOf(outcome.node("chain").error())).isTrue();
        assertThat(answer(outcome).path("text").asText()).isEqualTo("Paris");
        assertThat(answer(outcome).path("usage").path("totalTokens").asInt()).isEqualTo(11);
        assertThat(streamedText()).isEqualTo("Paris");
    }

    @Test
    void ollamaStreamsItsNdjsonLines() {
        provider.stubFor(post(urlEqualTo("/api/chat")).withRequestBody(matchingJsonPath("$.stream", equalTo("true")))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/x-ndjson").withBody("""
                        {"model":"llama3.2","created_at":"2026-12-07T10:00:00Z","message":{"role":"assistant","content":"Pa"},"done":false}
                        {"model":"llama3.2","created_at":"2026-12-07T10:00:00Z","message":{"role":"assistant","content":"ris"},"done":false}
                        {"model":"llama3.2","created_at":"2026-12-07T10:00:01Z","message":{"role":"assistant","content":""},"done":true,                        "done_reason":"stop","prompt_eval_count":14,"eval_count":2}
                        """)));

        ExecutionOutcome outcome = run("ai.chatModel.ollama", "{\"model\":\"llama3.2\"}", credential("ollamaApi", "baseUrl", base), null,
                new OutboundAddresses(List.of("127.0.0.1/32")), "ai.llmChain", STREAMED_CHAIN);

        assertThat(outcome.succeeded()).as(String.valueOf(outcome.node("chain").error())).isTrue();
        assertThat(answer(outcome).path("text").asText()).isEqualTo("Paris");
        assertThat(answer(outcome).path("usage").path("inputTokens").asInt()).isEqualTo(14);
        assertThat(streamedText()).isEqualTo("Paris");
    }

    @Test
    void aStreamedCallThatIsRateLimitedIsRetriedAfterTheProvidersRetryAfter() {
        provider.stubFor(post(urlEqualTo("/v1/chat/completions")).inScenario("limited").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "7").withHeader("Content-Type", "application/json")
                        .withBody("{\"error\":{\"message\":\"Rate limit reached for " + SECRET + "\",\"type\":\"requests\"}}"))
                .willSetStateTo("served"));
        provider.stubFor(post(urlEqualTo("/v1/chat/completions")).inScenario("limited").whenScenarioStateIs("served")
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "text/event-stream")
                        .withBody(OpenAiReplica.streamedAnswer("Paris"))));

        ExecutionOutcome outcome = run("ai.chatModel.openAi", "{}", credential("openAiApi", "apiKey", SECRET, "baseUrl", base + "/v1"),
                "{\"maxAttempts\":3,\"initialIntervalMs\":100,\"maxIntervalMs\":1000}", new OutboundAddresses(List.of("127.0.0.1/32")),
                "ai.llmChain", STREAMED_CHAIN);

        assertThat(outcome.succeeded()).as(String.valueOf(outcome.node("chain").error())).isTrue();
        assertThat(pauses).as("the streaming client keeps the provider's Retry-After too").containsExactly(Duration.ofSeconds(7));
        assertThat(streamedText()).isEqualTo("Paris");
    }

    @Test
    void aStreamedAnswerCutOffByTheProviderFailsTheNodeWithoutTheKey() {
        provider.stubFor(post(urlEqualTo("/v1/chat/completions")).willReturn(aResponse().withStatus(401)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"error\":{\"message\":\"Incorrect API key provided: " + SECRET + ".\"}}")));

        ExecutionOutcome outcome = run("ai.chatModel.openAi", "{}", credential("openAiApi", "apiKey", SECRET, "baseUrl", base + "/v1"),
                "{\"maxAttempts\":3}", new OutboundAddresses(List.of("127.0.0.1/32")), "ai.llmChain", STREAMED_CHAIN);

        assertThat(outcome.node("chain").error().kind()).isEqualTo(ErrorKind.CREDENTIALS);
        assertThat(outcome.node("chain").error().getMessage()).doesNotContain(SECRET);
        assertThat(chunks).isEmpty();
    }

    @Test
    void aStreamedAnswerThatIsNoStreamIsATypedFailureWithoutTheKey() {
        provider.stubFor(post(urlEqualTo("/v1/chat/completions")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "text/html").withBody("<html>502 upstream " + SECRET + " gone</html>")));

        ExecutionOutcome outcome = run("ai.chatModel.openAi", "{}", credential("openAiApi", "apiKey", SECRET, "baseUrl", base + "/v1"), null,
                new OutboundAddresses(List.of("127.0.0.1/32")), "ai.llmChain", STREAMED_CHAIN);

        assertThat(outcome.succeeded()).as("an answer with no text and no tool call is no answer").isFalse();
        assertThat(outcome.node("chain").error().getMessage()).startsWith("OpenAI").doesNotContain(SECRET);
        assertThat(chunks).isEmpty();
    }

    /** Never called: only the cache's identity is looked at. */
    private static final class FakeModel implements dev.langchain4j.model.chat.ChatModel {
    }
}
