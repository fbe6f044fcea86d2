package io.weft.inference.embedding;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.weft.contracts.json.WeftJson;
import io.weft.inference.providers.FakeCredentials;
import io.weft.inference.retrieval.KnowledgeBaseFixtures;
import io.weft.testsupport.InternalTokens;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Knowledge bases made with a provider's embedding model (issue 21): chunks and questions embedded
 * by a WireMock replica of OpenAI's embeddings API through langchain4j's real OpenAI client, with the
 * tenant's credential from a stand-in of credentials-service; what the provider refuses, or vectors
 * of another dimension, fail the job with the reason instead of storing meaningless vectors.
 */
@QuarkusTest
@QuarkusTestResource(value = FakeCredentials.class, restrictToAnnotatedClass = false)
class ProviderEmbeddingsTest {
    private static final String KEY = "sk-embed-test-" + UUID.randomUUID();
    private static final String HANDBOOK = """
            # Leave

            Staff get twenty-five days of paid leave each year.

            # Laptops

            Laptops are replaced every four years.
            """;
    static WireMockServer openAi;

    private final UUID tenant = UUID.randomUUID();
    private final String editor = InternalTokens.user(tenant, "editor-1", "editor");
    private final String credential = UUID.randomUUID().toString();

    /** OpenAI's embeddings answer, one vector of 8 per input: a direction per topic, so that a search by meaning can be checked. */
    static final class TopicVectors implements ResponseDefinitionTransformerV2 {
        @Override
        public ResponseDefinition transform(ServeEvent event) {
            JsonNode input;
            try {
                input = WeftJson.mapper().readTree(event.getRequest().getBodyAsString()).path("input");
            } catch (Exception e) {
                return ResponseDefinitionBuilder.responseDefinition().withStatus(400).build();
            }
            ObjectNode answer = WeftJson.mapper().createObjectNode().put("object", "list").put("model", "tiny-embed");
            ArrayNode data = answer.putArray("data");
            for (int i = 0; i < input.size(); i++) {
                String text = input.get(i).asText().toLowerCase(Locale.ROOT);
                ArrayNode vector = data.addObject().put("object", "embedding").put("index", i).putArray("embedding");
                vector.add(text.contains("leave") ? 1.0 : 0.0).add(text.contains("laptop") ? 1.0 : 0.0).add(0.1);
                for (int d = 3; d < 8; d++) {
                    vector.add(0.0);
                }
            }
            answer.putObject("usage").put("prompt_tokens", 5).put("total_tokens", 5);
            return ResponseDefinitionBuilder.responseDefinition().withStatus(200).withHeader("Content-Type", "application/json")
                    .withBody(answer.toString()).build();
        }

        @Override
        public boolean applyGlobally() {
            return false;
        }

        @Override
        public String getName() {
            return "topic-vectors";
        }
    }

    @BeforeAll
    static void startOpenAi() {
        openAi = new WireMockServer(WireMockConfiguration.options().dynamicPort().bindAddress("127.0.0.1").extensions(new TopicVectors()));
        openAi.start();
    }

    @AfterAll
    static void stopOpenAi() {
        openAi.stop();
    }

    @BeforeEach
    void aCredential() {
        openAi.resetAll();
        openAi.stubFor(post(urlEqualTo("/v1/embeddings")).willReturn(aResponse().withTransformers("topic-vectors")));
        FakeCredentials.CREDENTIALS.put(tenant + ":" + credential, "{\"id\":\"" + credential + "\",\"type\":\"openAiApi\",\"revision\":1,"
                + "\"data\":{\"apiKey\":\"" + KEY + "\",\"baseUrl\":\"http://127.0.0.1:" + openAi.port() + "/v1\"}}");
    }

    private String providerKnowledgeBase(int dimension) {
        return given().auth().oauth2(editor).contentType(ContentType.JSON).body("{\"name\":\"Provider " + UUID.randomUUID() + "\","
                        + "\"chunking\":{\"size\":100,\"overlap\":0},\"embedding\":{\"provider\":\"openAi\",\"model\":\"tiny-embed\","
                        + "\"dimension\":" + dimension + ",\"credentialId\":\"" + credential + "\"}}")
                .post(KnowledgeBaseFixtures.BASES).then().statusCode(201).extract().path("id");
    }

    /** Uploads and waits until the job ends; the job. */
    private JsonPath ingested(String base, String text) {
        String job = given().auth().oauth2(editor).multiPart("file", "handbook.md", text.getBytes(StandardCharsets.UTF_8), "text/markdown")
                .post(KnowledgeBaseFixtures.BASES + "/" + base + "/documents").then().statusCode(202).extract().path("id");
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            JsonPath found = given().auth().oauth2(editor).get(KnowledgeBaseFixtures.BASES + "/" + base + "/jobs/" + job).then()
                    .extract().jsonPath();
            if (!found.getString("status").equals("queued") && !found.getString("status").equals("running")) {
                return found;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        throw new AssertionError("ingest did not end");
    }

    @Test
    void chunksAndQuestionsAreEmbeddedByTheProvidersModelAndSearchedByMeaning() {
        String base = providerKnowledgeBase(8);

        JsonPath job = ingested(base, HANDBOOK);
        assertThat(job.getString("status")).isEqualTo("succeeded");
        assertThat(job.getInt("progress.embedded")).isGreaterThanOrEqualTo(2);

        JsonPath found = given().auth().oauth2(editor).contentType(ContentType.JSON)
                .body("{\"query\":\"How much leave do I get?\",\"mode\":\"vector\",\"k\":1}")
                .post(KnowledgeBaseFixtures.BASES + "/" + base + "/search").then().statusCode(200).extract().jsonPath();
        assertThat(found.getString("items[0].content")).contains("twenty-five days");
        assertThat(found.getDouble("items[0].similarity")).isGreaterThan(0.9);

        openAi.verify(postRequestedFor(urlEqualTo("/v1/embeddings")).withHeader("Authorization", WireMock.equalTo("Bearer " + KEY))
                .withRequestBody(matchingJsonPath("$.model", WireMock.equalTo("tiny-embed"))));
        assertThat(FakeCredentials.RESOLUTIONS).filteredOn(asked -> asked.startsWith(tenant + " ")).extracting(asked -> asked.split(" ", 3)[2])
                .contains("{\"purpose\":\"ingest:" + base + "\"}", "{\"purpose\":\"search:" + base + "\"}");
    }

    @Test
    void vectorsOfAnotherDimensionOrARefusedKeyFailTheJobAtOnceWithTheReason() {
        JsonPath mismatched = ingested(providerKnowledgeBase(4), HANDBOOK);
        assertThat(mismatched.getString("status")).isEqualTo("failed");
        assertThat(mismatched.getString("error.code")).isEqualTo("embedding-unavailable");
        assertThat(mismatched.getString("error.message")).contains("answered vectors of 8 dimensions", "made for 4");
        assertThat(mismatched.getInt("attempts")).isEqualTo(1);

        openAi.stubFor(post(urlEqualTo("/v1/embeddings")).willReturn(aResponse().withStatus(401).withHeader("Content-Type", "application/json")
                .withBody("{\"error\":{\"message\":\"Incorrect API key provided: " + KEY + "\"}}")));
        String base = providerKnowledgeBase(8);
        JsonPath refused = ingested(base, HANDBOOK);
        assertThat(refused.getString("status")).isEqualTo("failed");
        assertThat(refused.getString("error.message")).contains("OpenAI refused the credential's key").doesNotContain(KEY);

        given().auth().oauth2(editor).contentType(ContentType.JSON).body("{\"query\":\"leave\",\"mode\":\"vector\"}")
                .post(KnowledgeBaseFixtures.BASES + "/" + base + "/search").then().statusCode(400)
                .contentType("application/problem+json").body("detail", containsString("refused the credential's key"));
        given().auth().oauth2(editor).contentType(ContentType.JSON).body("{\"query\":\"leave\",\"mode\":\"text\"}")
                .post(KnowledgeBaseFixtures.BASES + "/" + base + "/search").then().statusCode(200);
    }

    @Test
    void anOllamaEmbeddingModelEmbedsThroughApiEmbed() {
        String ollama = UUID.randomUUID().toString();
        FakeCredentials.CREDENTIALS.put(tenant + ":" + ollama, "{\"id\":\"" + ollama + "\",\"type\":\"ollamaApi\",\"revision\":1,"
                + "\"data\":{\"baseUrl\":\"http://127.0.0.1:" + openAi.port() + "\"}}");
        openAi.stubFor(post(urlEqualTo("/api/embed")).willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                .withBody("{\"model\":\"nomic-embed-text\",\"embeddings\":[[" + "0.1,".repeat(767) + "0.1]]}")));
        String base = given().auth().oauth2(editor).contentType(ContentType.JSON).body("{\"name\":\"Ollama " + UUID.randomUUID() + "\","
                        + "\"embedding\":{\"provider\":\"ollama\",\"model\":\"nomic-embed-text\",\"credentialId\":\"" + ollama + "\"}}")
                .post(KnowledgeBaseFixtures.BASES).then().statusCode(201).extract().path("id");

        JsonPath job = ingested(base, "Staff get twenty-five days of paid leave each year.");
        assertThat(job.getString("status")).as(job.prettify()).isEqualTo("succeeded");
        given().auth().oauth2(editor).contentType(ContentType.JSON).body("{\"query\":\"leave\",\"mode\":\"vector\",\"k\":1}")
                .post(KnowledgeBaseFixtures.BASES + "/" + base + "/search").then().statusCode(200)
                .body("items[0].content", containsString("twenty-five days"));
        openAi.verify(postRequestedFor(urlEqualTo("/api/embed"))
                .withRequestBody(matchingJsonPath("$.model", WireMock.equalTo("nomic-embed-text"))));
    }

    @Test
    void aProvidersRateLimitIsRetriedNotAFailureOfTheDocument() {
        openAi.stubFor(post(urlEqualTo("/v1/embeddings")).willReturn(aResponse().withStatus(429).withHeader("Content-Type", "application/json")
                .withBody("{\"error\":{\"message\":\"Rate limit reached\",\"type\":\"rate_limit_error\"}}")));
        String base = providerKnowledgeBase(8);
        String job = given().auth().oauth2(editor).multiPart("file", "handbook.md", HANDBOOK.getBytes(StandardCharsets.UTF_8), "text/markdown")
                .post(KnowledgeBaseFixtures.BASES + "/" + base + "/documents").then().statusCode(202).extract().path("id");

        JsonPath retried = null;
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            JsonPath state = given().auth().oauth2(editor).get(KnowledgeBaseFixtures.BASES + "/" + base + "/jobs/" + job).then()
                    .extract().jsonPath();
            if (state.getString("error.message") != null) {
                retried = state;
                break;
            }
        }
        assertThat(retried).as("the job said why its attempt failed").isNotNull();
        assertThat(retried.getString("status")).isIn("queued", "running");
        assertThat(retried.getString("error.code")).isNull();
        assertThat(retried.getString("error.message")).contains("limits this credential's requests");
        assertThat(retried.getInt("attempts")).isEqualTo(1);
    }
}
