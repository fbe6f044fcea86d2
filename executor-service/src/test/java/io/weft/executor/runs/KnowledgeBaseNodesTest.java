package io.weft.executor.runs;

import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.notMatching;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.weft.contracts.events.ExecutionEvent;
import io.weft.contracts.events.ExecutionRequested;
import io.weft.contracts.events.TriggerKind;
import io.weft.contracts.json.WeftJson;
import io.weft.contracts.plan.ExecutionPlan;
import io.weft.executor.engine.TestPlans;
import io.weft.executor.nodes.ai.OpenAiReplica;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The knowledge-base nodes: Retrieve from Knowledge Base searches with each item's query, and the
 * Knowledge Base Tool lets an agent's model search with a query it writes, the Question and Answer
 * Chain answers from what it finds with citations, Insert into Knowledge Base uploads items as
 * documents — all through
 * inference-service's search API (a stand-in on loopback here; the fleet's smoke test runs the
 * real one) with the executor's service token for the tenant. The model is a WireMock replica of
 * OpenAI's API, driven by the real langchain4j client.
 */
@QuarkusTest
@QuarkusTestResource(value = FakeCompilerPlans.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = SkipOldRequests.class, restrictToAnnotatedClass = false)
class KnowledgeBaseNodesTest extends AgentRunsTest {
    private final String knowledgeBase = UUID.randomUUID().toString();

    @BeforeEach
    void knowledge() {
        FakeCompilerPlans.SEARCHES.put(tenant + ":" + knowledgeBase, "{\"query\":\"q\",\"mode\":\"hybrid\",\"k\":2,\"items\":["
                + "{\"documentName\":\"handbook.md\",\"content\":\"Staff get twenty-five days of paid leave.\",\"score\":0.03,\"similarity\":0.71},"
                + "{\"documentName\":\"handbook.md\",\"content\":\"Leave is booked in the HR portal.\",\"score\":0.02,\"similarity\":0.52}]}");
    }

    private List<ExecutionEvent> run(ExecutionPlan plan, String execution) throws Exception {
        FakeCompilerPlans.publish(tenant, plan);
        kafka.send(new ExecutionRequested(UUID.randomUUID().toString(), tenant, execution, "wf-knowledge", 1, plan.hash(), TriggerKind.MANUAL,
                "start", WeftJson.mapper().createObjectNode().put("question", "How much leave do I get?"), "user-1", null, null, Instant.now()));
        return kafka.untilTerminal(execution, WITHIN);
    }

    private ExecutionPlan retrieve(String knowledgeBaseId) {
        return TestPlans.plan()
                .node("start", "trigger.manual", "{}")
                .node("retrieve", "ai.vectorStore.retrieve", "{\"knowledgeBaseId\":\"" + knowledgeBaseId + "\",\"query\":\"{{ $json.question }}\","
                        + "\"k\":2,\"filter\":{\"team\":\"hr\"}}")
                .connect("start", "main", "retrieve", "main")
                .build();
    }

    @Test
    void eachItemsQueryIsSearchedAndTheChunksFoundComeOut() throws Exception {
        String execution = "exec-" + UUID.randomUUID();
        ExecutionEvent.ExecutionSucceeded done = (ExecutionEvent.ExecutionSucceeded) run(retrieve(knowledgeBase), execution).getLast();

        assertThat(done.outputPreview().path("query").asText()).isEqualTo("How much leave do I get?");
        assertThat(done.outputPreview().path("hits")).hasSize(2);
        assertThat(done.outputPreview().path("hits").get(0).path("content").asText()).contains("twenty-five days");
        assertThat(FakeCompilerPlans.SEARCH_REQUESTS).filteredOn(asked -> asked.startsWith(tenant + " ")).singleElement().asString()
                .startsWith(tenant + " " + knowledgeBase + " ")
                .contains("\"query\":\"How much leave do I get?\"", "\"k\":2", "\"filter\":{\"team\":\"hr\"}");
    }

    @Test
    void anUnknownKnowledgeBaseAndAnIdThatIsNoneFailTheNodeWithoutAsking() throws Exception {
        ExecutionEvent unknown = run(retrieve(UUID.randomUUID().toString()), "exec-" + UUID.randomUUID()).getLast();
        ExecutionEvent hostile = run(retrieve("../../internal/tenant-tiers"), "exec-" + UUID.randomUUID()).getLast();

        assertThat(unknown).isInstanceOfSatisfying(ExecutionEvent.ExecutionFailed.class, failed -> {
            assertThat(failed.error().kind().name()).isEqualTo("INVALID_PARAMETERS");
            assertThat(failed.error().message()).contains("does not exist in this organisation");
        });
        assertThat(hostile).isInstanceOfSatisfying(ExecutionEvent.ExecutionFailed.class,
                failed -> assertThat(failed.error().message()).contains("knowledgeBaseId is not a knowledge base's id"));
        assertThat(FakeCompilerPlans.SEARCH_REQUESTS).noneMatch(asked -> asked.contains("../"));
    }

    @Test
    void aBusyOrBrokenInferenceServiceFailsTheNodeWithItsKind() throws Exception {
        String busy = UUID.randomUUID().toString();
        String broken = UUID.randomUUID().toString();
        FakeCompilerPlans.SEARCHES.put(tenant + ":" + busy, "429 {\"title\":\"Too many requests\",\"status\":429,"
                + "\"detail\":\"the search limit is used up\"}");
        FakeCompilerPlans.SEARCHES.put(tenant + ":" + broken, "200 <html>not a search answer</html>");

        ExecutionEvent limited = run(retrieve(busy), "exec-" + UUID.randomUUID()).getLast();
        ExecutionEvent garbage = run(retrieve(broken), "exec-" + UUID.randomUUID()).getLast();

        assertThat(limited).isInstanceOfSatisfying(ExecutionEvent.ExecutionFailed.class, failed -> {
            assertThat(failed.error().kind().name()).isEqualTo("RATE_LIMITED");
            assertThat(failed.error().message()).contains("the search limit is used up");
        });
        assertThat(garbage).isInstanceOfSatisfying(ExecutionEvent.ExecutionFailed.class,
                failed -> assertThat(failed.error().message()).contains("without its items"));
    }

    @Test
    void anAgentSearchesTheKnowledgeBaseWithAQueryItWritesAndAnswersFromWhatItFound() throws Exception {
        OpenAiReplica.says(provider, OpenAiReplica.toolCall("call_1", "Handbook", "{\"query\":\"annual leave days\"}", 40),
                OpenAiReplica.answer("You get twenty-five days of paid leave (handbook.md)."));
        ExecutionPlan plan = TestPlans.plan()
                .node("start", "trigger.manual", "{}")
                .node("model", "ai.chatModel.openAi", "{}")
                .node("agent", "ai.agent", "{\"prompt\":\"{{ $json.question }}\"}")
                .node("handbook", "ai.tool.vectorStore", "{\"knowledgeBaseId\":\"" + knowledgeBase + "\",\"toolDescription\":\"Searches the staff"
                        + " handbook\",\"mode\":\"vector\"}")
                .withCredential("model", "openAiApi", credentialId)
                .connect("start", "main", "agent", "main")
                .connect("model", "ai_languageModel", "agent", "ai_languageModel")
                .connect("handbook", "ai_tool", "agent", "ai_tool")
                .build();

        ExecutionEvent.ExecutionSucceeded done = (ExecutionEvent.ExecutionSucceeded) run(plan, "exec-" + UUID.randomUUID()).getLast();

        assertThat(done.outputPreview().path("text").asText()).isEqualTo("You get twenty-five days of paid leave (handbook.md).");
        JsonNode step = done.outputPreview().path("steps").get(0);
        assertThat(step.path("output").path("hits").get(0).path("documentName").asText()).isEqualTo("handbook.md");
        assertThat(FakeCompilerPlans.SEARCH_REQUESTS).filteredOn(asked -> asked.startsWith(tenant + " ")).singleElement().asString()
                .contains("\"query\":\"annual leave days\"", "\"mode\":\"vector\"");
        provider.verify(postRequestedFor(urlEqualTo("/v1/chat/completions"))
                .withRequestBody(matchingJsonPath("$.tools[0].function.parameters.properties.query.type", equalTo("string")))
                .withRequestBody(matchingJsonPath("$.tools[0].function.description", equalTo("Searches the staff handbook"))));
    }

    private ExecutionPlan questionAndAnswer(String knowledgeBaseId) {
        return TestPlans.plan()
                .node("start", "trigger.manual", "{}")
                .node("model", "ai.chatModel.openAi", "{}")
                .node("qa", "ai.qaChain", "{\"knowledgeBaseId\":\"" + knowledgeBaseId + "\",\"question\":\"{{ $json.question }}\"}")
                .withCredential("model", "openAiApi", credentialId)
                .connect("start", "main", "qa", "main")
                .connect("model", "ai_languageModel", "qa", "ai_languageModel")
                .build();
    }

    private String sourcedKnowledgeBase() {
        String id = UUID.randomUUID().toString();
        String document = UUID.randomUUID().toString();
        FakeCompilerPlans.SEARCHES.put(tenant + ":" + id, "{\"query\":\"q\",\"mode\":\"hybrid\",\"k\":4,\"items\":["
                + "{\"documentId\":\"" + document + "\",\"documentName\":\"handbook.md\",\"chunk\":3,\"start\":120,\"end\":161,"
                + "\"content\":\"Staff get twenty-five days of paid leave.\",\"score\":0.032,\"similarity\":0.71},"
                + "{\"documentId\":\"" + document + "\",\"documentName\":\"handbook.md\",\"chunk\":4,\"start\":161,\"end\":195,"
                + "\"content\":\"Leave is booked in the HR portal.\",\"score\":0.031,\"similarity\":0.52},"
                + "{\"documentId\":\"" + document + "\",\"documentName\":\"canteen.md\",\"chunk\":0,\"start\":0,\"end\":30,"
                + "\"content\":\"Lunch is served from noon.\",\"score\":0.016,\"similarity\":0.08}]}");
        return id;
    }

    @Test
    void aQuestionIsAnsweredFromTheChunksFoundWithCitationsAndFarChunksAreNotSources() throws Exception {
        OpenAiReplica.says(provider, OpenAiReplica.answer("You get twenty-five days of paid leave [1], booked in the HR portal [2][7]."));

        List<ExecutionEvent> events = run(questionAndAnswer(sourcedKnowledgeBase()), "exec-" + UUID.randomUUID());
        ExecutionEvent.ExecutionSucceeded done = (ExecutionEvent.ExecutionSucceeded) events.getLast();

        JsonNode answer = done.outputPreview();
        assertThat(answer.path("found").asBoolean()).isTrue();
        assertThat(answer.path("text").asText()).startsWith("You get twenty-five days");
        assertThat(answer.path("sourcesGiven").asInt()).isEqualTo(2);
        assertThat(answer.path("citations")).hasSize(2);
        assertThat(answer.path("citations").get(0).path("source").asInt()).isEqualTo(1);
        assertThat(answer.path("citations").get(0).path("chunk").asInt()).isEqualTo(3);
        assertThat(answer.path("citations").get(0).path("start").asInt()).isEqualTo(120);
        assertThat(answer.path("citations").get(1).path("content").asText()).isEqualTo("Leave is booked in the HR portal.");
        assertThat(answer.path("usage").path("totalTokens").asInt()).isEqualTo(102);
        assertThat(Transitions.first(events, "qa", io.weft.contracts.events.NodeTransition.Status.SUCCEEDED).console())
                .anySatisfy(line -> assertThat(line.line()).contains("cites [7], which no source has"));
        provider.verify(postRequestedFor(urlEqualTo("/v1/chat/completions"))
                .withRequestBody(matchingJsonPath("$.messages[0].content", containing("reply with exactly NOT_FOUND")))
                .withRequestBody(matchingJsonPath("$.messages[1].content", containing("[2] handbook.md\nLeave is booked in the HR portal.")))
                .withRequestBody(matchingJsonPath("$.messages[1].content", containing("Question: How much leave do I get?")))
                .withRequestBody(notMatching(".*Lunch is served.*")));
    }

    @Test
    void whenNothingCloseEnoughIsFoundTheItemSaysSoAndNoModelIsAsked() throws Exception {
        String far = UUID.randomUUID().toString();
        FakeCompilerPlans.SEARCHES.put(tenant + ":" + far, "{\"query\":\"q\",\"mode\":\"hybrid\",\"k\":4,\"items\":["
                + "{\"documentName\":\"canteen.md\",\"content\":\"Lunch is served from noon.\",\"score\":0.016,\"similarity\":0.08}]}");

        ExecutionEvent.ExecutionSucceeded done = (ExecutionEvent.ExecutionSucceeded) run(questionAndAnswer(far), "exec-" + UUID.randomUUID())
                .getLast();

        assertThat(done.outputPreview().path("found").asBoolean()).isFalse();
        assertThat(done.outputPreview().path("text").asText()).isEqualTo("I could not find the answer in the documents.");
        assertThat(done.outputPreview().path("citations")).isEmpty();
        provider.verify(0, postRequestedFor(urlEqualTo("/v1/chat/completions")));
    }

    @Test
    void aModelThatFindsNoAnswerInTheSourcesIsNotFoundNotAnInventedAnswer() throws Exception {
        OpenAiReplica.says(provider, OpenAiReplica.answer("NOT_FOUND."));

        ExecutionEvent.ExecutionSucceeded done = (ExecutionEvent.ExecutionSucceeded) run(questionAndAnswer(sourcedKnowledgeBase()),
                "exec-" + UUID.randomUUID()).getLast();

        assertThat(done.outputPreview().path("found").asBoolean()).isFalse();
        assertThat(done.outputPreview().path("text").asText()).isEqualTo("I could not find the answer in the documents.");
        assertThat(done.outputPreview().path("sourcesGiven").asInt()).isEqualTo(2);
        assertThat(done.outputPreview().path("usage").path("totalTokens").asInt()).isEqualTo(102);
    }

    private ExecutionPlan insert(String parameters) {
        return TestPlans.plan()
                .node("start", "trigger.manual", "{}")
                .node("insert", "ai.vectorStore.insert", "{\"knowledgeBaseId\":\"" + knowledgeBase + "\"," + parameters + "}")
                .connect("start", "main", "insert", "main")
                .build();
    }

    @Test
    void anItemBecomesADocumentAndTheNodeWaitsForItsIngest() throws Exception {
        String name = "faq-" + UUID.randomUUID() + ".md";

        ExecutionEvent.ExecutionSucceeded done = (ExecutionEvent.ExecutionSucceeded) run(insert("\"name\":\"" + name + "\","
                + "\"text\":\"# Leave\\n\\n{{ $json.question }}\",\"contentType\":\"text/markdown\",\"metadata\":{\"team\":\"hr\"}"),
                "exec-" + UUID.randomUUID()).getLast();

        assertThat(done.outputPreview().path("status").asText()).isEqualTo("succeeded");
        assertThat(done.outputPreview().path("documentName").asText()).isEqualTo(name);
        assertThat(done.outputPreview().path("chunks").asInt()).isEqualTo(3);
        assertThat(done.outputPreview().path("documentId").asText()).isNotBlank();
        assertThat(FakeCompilerPlans.UPLOADS).filteredOn(upload -> upload.contains(name)).singleElement().asString()
                .startsWith(tenant + " " + knowledgeBase + " multipart/form-data; boundary=")
                .contains("name=\"file\"; filename=\"" + name + "\"\r\nContent-Type: text/markdown\r\n\r\n# Leave\n\nHow much leave do I get?\r\n")
                .contains("name=\"metadata\"\r\nContent-Type: application/json\r\n\r\n{\"team\":\"hr\"}\r\n");
    }

    @Test
    void aDocumentThatCannotBeIngestedFailsTheNodeWithTheReason() throws Exception {
        String name = "empty-" + UUID.randomUUID() + ".txt";
        FakeCompilerPlans.INGESTS.put(name, "{\"status\":\"failed\",\"error\":{\"code\":\"empty-text\",\"message\":\"the document has no text\"}}");

        ExecutionEvent failed = run(insert("\"name\":\"" + name + "\",\"text\":\" \""), "exec-" + UUID.randomUUID()).getLast();

        assertThat(failed).isInstanceOfSatisfying(ExecutionEvent.ExecutionFailed.class, failure -> {
            assertThat(failure.error().kind().name()).isEqualTo("INVALID_PARAMETERS");
            assertThat(failure.error().message()).contains("\"" + name + "\" was not ingested (empty-text): the document has no text");
        });
    }

    @Test
    void withoutWaitingTheQueuedJobComesOutAndWithoutTextOrBinaryNothingIsUploaded() throws Exception {
        String name = "later-" + UUID.randomUUID() + ".txt";
        String nameless = "nothing-" + UUID.randomUUID();

        ExecutionEvent.ExecutionSucceeded queued = (ExecutionEvent.ExecutionSucceeded) run(insert("\"name\":\"" + name + "\","
                + "\"text\":\"later\",\"waitForIngest\":false"), "exec-" + UUID.randomUUID()).getLast();
        ExecutionEvent neither = run(insert("\"name\":\"" + nameless + "\""), "exec-" + UUID.randomUUID()).getLast();

        assertThat(queued.outputPreview().path("status").asText()).isEqualTo("queued");
        assertThat(queued.outputPreview().path("jobId").asText()).isNotBlank();
        assertThat(neither).isInstanceOfSatisfying(ExecutionEvent.ExecutionFailed.class,
                failure -> assertThat(failure.error().message()).contains("give the document's text or its binaryProperty, not neither"));
        assertThat(FakeCompilerPlans.UPLOADS).noneMatch(upload -> upload.contains(nameless));
    }

    @Test
    void aBinaryAnHttpRequestDownloadedBecomesADocumentOfItsType() throws Exception {
        byte[] pdf = "%PDF-1.7 a handbook".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        provider.stubFor(com.github.tomakehurst.wiremock.client.WireMock.get(urlEqualTo("/files/handbook.pdf")).willReturn(
                com.github.tomakehurst.wiremock.client.WireMock.aResponse().withHeader("Content-Type", "application/pdf").withBody(pdf)));
        String name = "handbook-" + UUID.randomUUID() + ".pdf";
        ExecutionPlan plan = TestPlans.plan()
                .node("start", "trigger.manual", "{}")
                .node("download", "core.httpRequest", "{\"url\":\"" + base + "/files/handbook.pdf\",\"responseFormat\":\"binary\"}")
                .node("insert", "ai.vectorStore.insert", "{\"knowledgeBaseId\":\"" + knowledgeBase + "\",\"name\":\"" + name + "\","
                        + "\"binaryProperty\":\"data\"}")
                .connect("start", "main", "download", "main")
                .connect("download", "main", "insert", "main")
                .build();

        ExecutionEvent.ExecutionSucceeded done = (ExecutionEvent.ExecutionSucceeded) run(plan, "exec-" + UUID.randomUUID()).getLast();

        assertThat(done.outputPreview().path("status").asText()).isEqualTo("succeeded");
        assertThat(FakeCompilerPlans.UPLOADS).filteredOn(upload -> upload.contains(name)).singleElement().asString()
                .contains("Content-Type: application/pdf\r\n\r\n%PDF-1.7 a handbook\r\n");
    }
}
