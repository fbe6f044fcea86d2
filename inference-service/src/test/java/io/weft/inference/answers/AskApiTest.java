package io.weft.inference.answers;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.weft.contracts.json.WeftJson;
import io.weft.inference.providers.FakeCredentials;
import io.weft.inference.retrieval.KnowledgeBaseFixtures;
import io.weft.testsupport.InternalTokens;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Answers from a knowledge base with citations (issue 21): real documents ingested into real
 * pgvector with the real in-process model, the tenant's credential resolved from a stand-in of
 * credentials-service, and the model a WireMock replica of OpenAI's chat completions API driven by
 * langchain4j's real OpenAI client.
 */
@QuarkusTest
@QuarkusTestResource(value = FakeCredentials.class, restrictToAnnotatedClass = false)
class AskApiTest {
    private static final String KEY = "sk-ask-test-" + UUID.randomUUID();
    private static final String HANDBOOK = """
            # Leave

            Staff get twenty-five days of paid leave each year. Leave is booked in the HR portal at least two weeks ahead.

            # Expenses

            Travel is reimbursed at cost with receipts. Meals on trips are covered up to forty euros a day.
            """;
    static WireMockServer openAi;

    private final UUID tenant = UUID.randomUUID();
    private final String editor = InternalTokens.user(tenant, "editor-1", "editor");
    private final String viewer = InternalTokens.user(tenant, "viewer-1", "viewer");
    private final String credential = UUID.randomUUID().toString();
    private String base;

    @BeforeAll
    static void startOpenAi() {
        openAi = new WireMockServer(WireMockConfiguration.options().dynamicPort().bindAddress("127.0.0.1"));
        openAi.start();
    }

    @AfterAll
    static void stopOpenAi() {
        openAi.stop();
    }

    @BeforeEach
    void aKnowledgeBaseAndACredential() {
        openAi.resetAll();
        FakeCredentials.CREDENTIALS.put(tenant + ":" + credential, "{\"id\":\"" + credential + "\",\"type\":\"openAiApi\",\"revision\":1,"
                + "\"data\":{\"apiKey\":\"" + KEY + "\",\"baseUrl\":\"http://127.0.0.1:" + openAi.port() + "/v1\"}}");
        base = KnowledgeBaseFixtures.knowledgeBase(editor, "{\"size\":200,\"overlap\":0}");
        KnowledgeBaseFixtures.ingest(editor, base, "handbook.md", HANDBOOK, "{\"team\":\"hr\"}");
    }

    private static void openAiSays(int status, String body) {
        openAi.stubFor(post(urlEqualTo("/v1/chat/completions")).willReturn(aResponse().withStatus(status)
                .withHeader("Content-Type", "application/json").withBody(body)));
    }

    private static String answer(String content) {
        return "{\"id\":\"c-1\",\"object\":\"chat.completion\",\"created\":1,\"model\":\"gpt-4o-mini-2024-07-18\",\"choices\":[{\"index\":0,"
                + "\"message\":{\"role\":\"assistant\",\"content\":" + WeftJson.mapper().valueToTree(content) + "},\"finish_reason\":\"stop\"}],"
                + "\"usage\":{\"prompt_tokens\":120,\"completion_tokens\":14,\"total_tokens\":134}}";
    }

    private ValidatableResponse ask(String as, String knowledgeBase, String body) {
        return given().auth().oauth2(as).contentType(ContentType.JSON).body(body)
                .post(KnowledgeBaseFixtures.BASES + "/" + knowledgeBase + "/ask").then();
    }

    private String question(String text) {
        return "{\"question\":\"" + text + "\",\"credentialId\":\"" + credential + "\"}";
    }

    @Test
    void aQuestionIsAnsweredFromTheDocumentsWithCitationsOfTheChunks() {
        openAiSays(200, answer("Staff get twenty-five days of paid leave each year [1]."));

        ask(viewer, base, question("How many days of paid leave do staff get?")).statusCode(200)
                .body("found", equalTo(true)).body("answer", equalTo("Staff get twenty-five days of paid leave each year [1]."))
                .body("citations", hasSize(1)).body("citations[0].source", equalTo(1))
                .body("citations[0].documentName", equalTo("handbook.md"))
                .body("citations[0].content", containsString("twenty-five days"))
                .body("citations[0].end", greaterThan(0)).body("madeUp", hasSize(0))
                .body("provider", equalTo("OpenAI")).body("model", equalTo("gpt-4o-mini-2024-07-18"))
                .body("usage.totalTokens", equalTo(134)).body(not(containsString(KEY)));

        openAi.verify(postRequestedFor(urlEqualTo("/v1/chat/completions"))
                .withHeader("Authorization", com.github.tomakehurst.wiremock.client.WireMock.equalTo("Bearer " + KEY))
                .withRequestBody(matchingJsonPath("$.model", com.github.tomakehurst.wiremock.client.WireMock.equalTo("gpt-4o-mini")))
                .withRequestBody(matchingJsonPath("$.messages[0].content", containing("reply with exactly NOT_FOUND")))
                .withRequestBody(matchingJsonPath("$.messages[1].content", containing("[1] handbook.md\n")))
                .withRequestBody(matchingJsonPath("$.messages[1].content", containing("Staff get twenty-five days")))
                .withRequestBody(matchingJsonPath("$.messages[1].content", containing("Question: How many days of paid leave do staff get?"))));
        assertThat(FakeCredentials.RESOLUTIONS).filteredOn(asked -> asked.startsWith(tenant + " ")).singleElement().asString()
                .isEqualTo(tenant + " " + credential + " {\"purpose\":\"ask:" + base + "\"}");
    }

    @Test
    void nothingCloseEnoughIsNotFoundWithoutAskingAModelOrReadingTheCredential() {
        ask(viewer, base, "{\"question\":\"What is the boiling point of tungsten?\",\"credentialId\":\"" + credential + "\","
                + "\"minSimilarity\":0.6,\"notFoundAnswer\":\"Not in the handbook.\"}").statusCode(200)
                .body("found", equalTo(false)).body("answer", equalTo("Not in the handbook.")).body("citations", hasSize(0))
                .body("sourcesGiven", equalTo(0));

        openAi.verify(0, postRequestedFor(urlEqualTo("/v1/chat/completions")));
        assertThat(FakeCredentials.RESOLUTIONS).noneMatch(asked -> asked.startsWith(tenant + " "));
        assertThat(FakeCredentials.METER).as("nothing charged").doesNotContainKey(tenant.toString());
    }

    @Test
    void anAnswerIsChargedToTheTenantsMonthlyTokenBudgetAndRefusedWhenItIsSpent() {
        openAiSays(200, answer("Staff get twenty-five days of paid leave each year [1]."));
        String free = InternalTokens.user(tenant, "viewer-2", "viewer", "free");
        String leave = question("How many days of paid leave do staff get?");

        ask(free, base, leave).statusCode(200).body("usage.totalTokens", equalTo(134));
        assertThat(settledMeter()).as("the provider's count, the estimate settled").isEqualTo(134L);

        FakeCredentials.METER.put(tenant.toString(), 199_990L);
        ask(free, base, leave).statusCode(429).contentType("application/problem+json")
                .body("type", endsWith("quota-exceeded")).body("detail", containsString("200000 tokens a month"));
        openAi.verify(1, postRequestedFor(urlEqualTo("/v1/chat/completions")));
        assertThat(FakeCredentials.METER.get(tenant.toString())).as("a refused answer takes nothing").isEqualTo(199_990L);

        ask(InternalTokens.user(tenant, "viewer-3", "viewer", "pro"), base, leave).statusCode(200);
        assertThat(settledMeter()).as("the pro tier's budget holds it").isEqualTo(199_990L + 134);

        FakeCredentials.EXECUTORS_DOWN = true;
        try {
            ask(free, base, leave).statusCode(503).contentType("application/problem+json").body("detail", containsString("budget"));
        } finally {
            FakeCredentials.EXECUTORS_DOWN = false;
        }
        openAi.verify(2, postRequestedFor(urlEqualTo("/v1/chat/completions")));

        openAiSays(500, "{\"error\":{\"message\":\"boom\"}}");
        ask(InternalTokens.user(tenant, "viewer-3", "viewer", "pro"), base, leave).statusCode(502);
        assertThat(settledMeter()).as("a failed call gives its estimate back").isEqualTo(199_990L + 134);
    }

    /** The meter once the last settlement (sent without waiting) has arrived. */
    private long settledMeter() {
        long deadline = System.nanoTime() + 5_000_000_000L;
        Long before = null;
        while (System.nanoTime() < deadline) {
            Long now = FakeCredentials.METER.get(tenant.toString());
            if (now != null && now.equals(before)) {
                return now;
            }
            before = now;
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return FakeCredentials.METER.getOrDefault(tenant.toString(), -1L);
    }

    @Test
    void aModelThatFindsNoAnswerInTheSourcesIsNotFoundAndMadeUpCitationsAreShown() {
        openAiSays(200, answer("NOT_FOUND"));
        ask(viewer, base, question("How many days of paid leave do staff get?")).statusCode(200)
                .body("found", equalTo(false)).body("answer", equalTo("I could not find the answer in the documents."))
                .body("usage.totalTokens", equalTo(134));

        openAiSays(200, answer("Twenty-five days [1][4]."));
        ask(viewer, base, question("How many days of paid leave do staff get?")).statusCode(200)
                .body("found", equalTo(true)).body("citations", hasSize(1)).body("madeUp[0]", equalTo(4));
    }

    @Test
    void credentialsThatCannotAnswerAreProblemsThatNameThem() {
        String bearer = UUID.randomUUID().toString();
        FakeCredentials.CREDENTIALS.put(tenant + ":" + bearer, "403 {\"title\":\"Not allowed\",\"status\":403,\"detail\":\"inference-service"
                + " resolves only the credentials of chat-model providers\"}");
        String inward = UUID.randomUUID().toString();
        FakeCredentials.CREDENTIALS.put(tenant + ":" + inward, "{\"id\":\"" + inward + "\",\"type\":\"openAiApi\",\"revision\":1,"
                + "\"data\":{\"apiKey\":\"" + KEY + "\",\"baseUrl\":\"http://10.1.2.3/v1\"}}");
        String leave = "How many days of paid leave do staff get?";

        ask(viewer, base, "{\"question\":\"" + leave + "\",\"credentialId\":\"" + bearer + "\"}").statusCode(400)
                .contentType("application/problem+json").body("detail", containsString("is not a chat model's"));
        ask(viewer, base, "{\"question\":\"" + leave + "\",\"credentialId\":\"" + UUID.randomUUID() + "\"}").statusCode(400)
                .body("detail", containsString("does not exist in this organisation"));
        ask(viewer, base, "{\"question\":\"" + leave + "\",\"credentialId\":\"" + inward + "\"}").statusCode(400)
                .body("detail", containsString("points where Weft does not call")).body(not(containsString(KEY)));

        openAiSays(401, "{\"error\":{\"message\":\"Incorrect API key provided: " + KEY + "\",\"type\":\"invalid_request_error\"}}");
        ask(viewer, base, question(leave)).statusCode(400).contentType("application/problem+json")
                .body("detail", containsString("OpenAI refused the credential's key")).body(not(containsString(KEY)));
        openAiSays(429, "{\"error\":{\"message\":\"Rate limit reached\",\"type\":\"rate_limit_error\"}}");
        ask(viewer, base, question(leave)).statusCode(429).contentType("application/problem+json");
        openAiSays(500, "{\"error\":{\"message\":\"boom\"}}");
        ask(viewer, base, question(leave)).statusCode(502).body("detail", containsString("OpenAI answered 500"));
        openAiSays(200, "<html>a proxy's error page, not an answer</html>");
        ask(viewer, base, question(leave)).statusCode(502).contentType("application/problem+json")
                .body("detail", containsString("OpenAI could not be asked"));
    }

    @Test
    void anotherTenantsKnowledgeBaseAndHostileRequestsAreRefused() {
        String stranger = InternalTokens.user(UUID.randomUUID(), "eve", "admin");
        ask(stranger, base, question("leave")).statusCode(404).contentType("application/problem+json");
        given().contentType(ContentType.JSON).body(question("leave")).post(KnowledgeBaseFixtures.BASES + "/" + base + "/ask")
                .then().statusCode(401);
        ask(InternalTokens.apiKey(tenant, "k-1", "workflows:read"), base, question("leave")).statusCode(403);

        ask(viewer, base, "{\"question\":\"leave\"}").statusCode(400).body("detail", containsString("credentialId"));
        ask(viewer, base, "{\"question\":\"leave\",\"credentialId\":\"../../internal\"}").statusCode(400);
        ask(viewer, base, "{\"question\":\" \",\"credentialId\":\"" + credential + "\"}").statusCode(400);
        ask(viewer, base, "{\"question\":\"" + "x".repeat(2_001) + "\",\"credentialId\":\"" + credential + "\"}").statusCode(400);
        ask(viewer, base, "{\"question\":\"leave\",\"credentialId\":\"" + credential + "\",\"k\":1000}").statusCode(400);
        ask(viewer, base, "{\"question\":\"leave\",\"credentialId\":\"" + credential + "\",\"minSimilarity\":7}").statusCode(400);
        ask(viewer, base, "{\"question\":\"leave\",\"credentialId\":\"" + credential + "\",\"mode\":\"psychic\"}").statusCode(400);
        ask(viewer, base, "{\"question\":\"leave\",\"credentialId\":\"" + credential + "\",\"filter\":{\"a\":{\"b\":1}}}").statusCode(400);
        ask(viewer, base, "{\"question\":").statusCode(400).contentType("application/problem+json");
        ask(viewer, base, "[".repeat(5_000)).statusCode(400);
        ask(viewer, "not-an-id", question("leave")).statusCode(404);
        openAi.verify(0, postRequestedFor(urlEqualTo("/v1/chat/completions")));
    }

    @Test
    void geminiAndOllamaCredentialsAnswerThroughTheirOwnApis() {
        String gemini = UUID.randomUUID().toString();
        FakeCredentials.CREDENTIALS.put(tenant + ":" + gemini, "{\"id\":\"" + gemini + "\",\"type\":\"googleGeminiApi\",\"revision\":1,"
                + "\"data\":{\"apiKey\":\"" + KEY + "\",\"baseUrl\":\"http://127.0.0.1:" + openAi.port() + "\"}}");
        String ollama = UUID.randomUUID().toString();
        FakeCredentials.CREDENTIALS.put(tenant + ":" + ollama, "{\"id\":\"" + ollama + "\",\"type\":\"ollamaApi\",\"revision\":1,"
                + "\"data\":{\"baseUrl\":\"http://127.0.0.1:" + openAi.port() + "\"}}");
        openAi.stubFor(post(urlEqualTo("/v1beta/models/gemini-2.0-flash:generateContent")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody("""
                        {"candidates":[{"content":{"parts":[{"text":"Twenty-five days [1]."}],"role":"model"},"finishReason":"STOP","index":0}],
                         "usageMetadata":{"promptTokenCount":90,"candidatesTokenCount":5,"totalTokenCount":95},"modelVersion":"gemini-2.0-flash"}""")));
        openAi.stubFor(post(urlEqualTo("/api/chat")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody("""
                        {"model":"llama3.2","created_at":"2026-12-07T10:00:00Z","message":{"role":"assistant","content":"Twenty-five days [1]."},
                         "done":true,"done_reason":"stop","prompt_eval_count":88,"eval_count":6}""")));
        String leave = "How many days of paid leave do staff get?";

        ask(viewer, base, "{\"question\":\"" + leave + "\",\"credentialId\":\"" + gemini + "\"}").statusCode(200)
                .body("found", equalTo(true)).body("provider", equalTo("Google Gemini")).body("citations", hasSize(1))
                .body("usage.totalTokens", equalTo(95)).body(not(containsString(KEY)));
        ask(viewer, base, "{\"question\":\"" + leave + "\",\"credentialId\":\"" + ollama + "\"}").statusCode(200)
                .body("found", equalTo(true)).body("provider", equalTo("Ollama")).body("model", equalTo("llama3.2"))
                .body("usage.inputTokens", equalTo(88));

        openAi.verify(postRequestedFor(urlEqualTo("/v1beta/models/gemini-2.0-flash:generateContent"))
                .withRequestBody(matchingJsonPath("$.contents[0].parts[0].text", containing("Question: " + leave))));
        openAi.verify(postRequestedFor(urlEqualTo("/api/chat"))
                .withRequestBody(matchingJsonPath("$.model", com.github.tomakehurst.wiremock.client.WireMock.equalTo("llama3.2")))
                .withRequestBody(matchingJsonPath("$.messages[0].content", containing("reply with exactly NOT_FOUND"))));
    }
}
