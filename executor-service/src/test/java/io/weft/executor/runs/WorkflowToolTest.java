package io.weft.executor.runs;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Tuple;
import io.weft.contracts.events.ExecutionEvent;
import io.weft.contracts.events.ExecutionRequested;
import io.weft.contracts.events.TriggerKind;
import io.weft.contracts.json.WeftJson;
import io.weft.contracts.plan.ExecutionPlan;
import io.weft.executor.engine.TestPlans;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An AI agent whose tool is another workflow (Call Workflow Tool): the tool asks workflow-service (a
 * stand-in on loopback) to run the workflow with what the model passed and the tool call's key,
 * then waits in the executors' real database for the run to end and answers its result. The model
 * is a WireMock replica of OpenAI's chat completions API, driven by the real langchain4j client.
 */
@QuarkusTest
@QuarkusTestResource(value = FakeCompilerPlans.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = SkipOldRequests.class, restrictToAnnotatedClass = false)
class WorkflowToolTest extends KafkaRunsTest {
    private static WireMockServer provider;
    private static String base;
    private final String credentialId = UUID.randomUUID().toString();
    private final String child = UUID.randomUUID().toString();

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
    void stubs() {
        provider.resetAll();
        FakeCompilerPlans.CREDENTIALS.put(tenant + ":" + credentialId, "{\"id\":\"" + credentialId + "\",\"type\":\"openAiApi\","
                + "\"revision\":1,\"data\":{\"apiKey\":\"sk-tool-test\",\"baseUrl\":\"" + base + "/v1\"}}");
        provider.stubFor(post(urlEqualTo("/v1/chat/completions")).inScenario("agent").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withHeader("Content-Type", "application/json").withBody("""
                        {"id":"c1","object":"chat.completion","created":1,"model":"gpt-4o-mini","choices":[{"index":0,"message":{
                         "role":"assistant","content":null,"tool_calls":[{"id":"call_1","type":"function","function":{"name":"Orders",
                         "arguments":"{\\"orderId\\":\\"A-17\\"}"}}]},"finish_reason":"tool_calls"}],
                         "usage":{"prompt_tokens":40,"completion_tokens":8,"total_tokens":48}}""")).willSetStateTo("told"));
        provider.stubFor(post(urlEqualTo("/v1/chat/completions")).inScenario("agent").whenScenarioStateIs("told")
                .willReturn(aResponse().withHeader("Content-Type", "application/json").withBody("""
                        {"id":"c2","object":"chat.completion","created":1,"model":"gpt-4o-mini","choices":[{"index":0,"message":{
                         "role":"assistant","content":"Order A-17 has shipped."},"finish_reason":"stop"}],
                         "usage":{"prompt_tokens":60,"completion_tokens":6,"total_tokens":66}}""")));
    }

    private ExecutionPlan parent(String workflowId) {
        return TestPlans.plan()
                .node("start", "trigger.manual", "{}")
                .node("model", "ai.chatModel.openAi", "{}")
                .node("agent", "ai.agent", "{\"prompt\":\"Where is order A-17?\"}")
                .node("orders", "ai.tool.workflow", "{\"workflowId\":\"" + workflowId + "\",\"toolDescription\":\"Looks an order up\","
                        + "\"input\":{\"orderId\":\"{{ $fromAI('orderId', 'the order') }}\",\"asked\":\"{{ $json.who }}\"},"
                        + "\"waitTimeoutMs\":5000}")
                .withCredential("model", "openAiApi", credentialId)
                .connect("start", "main", "agent", "main")
                .connect("model", "ai_languageModel", "agent", "ai_languageModel")
                .connect("orders", "ai_tool", "agent", "ai_tool")
                .build();
    }

    /** The called workflow's run as an executor leaves it: its row and its nodes' checkpoints, its plan fetchable. */
    private void childRun(String execution, String status, String error) {
        ExecutionPlan plan = TestPlans.plan().node("start", "trigger.manual", "{}").node("look", "core.set", "{}")
                .connect("start", "main", "look", "main").build();
        FakeCompilerPlans.publish(tenant, plan);
        pool.preparedQuery("""
                INSERT INTO executions (id, tenant_id, workflow_id, workflow_version, plan_hash, trigger_kind, trigger_data, status,
                                        runs, error, finished_at)
                VALUES ($1, $2, $3, 1, $4, 'MANUAL', '{}', $5, 1, $6::text::jsonb, now())""")
                .execute(Tuple.of(execution, tenant, child, plan.hash(), status, error)).await().atMost(Duration.ofSeconds(5));
        pool.preparedQuery("INSERT INTO node_checkpoints (execution_id, node_id, status, attempt, output, duration_ns) VALUES"
                        + " ($1, 'start', 'SUCCEEDED', 1, '{\"ports\":{\"main\":[{\"json\":{\"orderId\":\"A-17\"}}]}}', 1000),"
                        + " ($1, 'look', 'SUCCEEDED', 1, '{\"ports\":{\"main\":[{\"json\":{\"orderId\":\"A-17\",\"status\":\"shipped\"}}]}}', 1000)")
                .execute(Tuple.of(execution)).await().atMost(Duration.ofSeconds(5));
    }

    private List<ExecutionEvent> run(ExecutionPlan plan, String execution) throws Exception {
        FakeCompilerPlans.publish(tenant, plan);
        kafka.send(new ExecutionRequested(UUID.randomUUID().toString(), tenant, execution, "wf-parent", 1, plan.hash(), TriggerKind.MANUAL,
                "start", WeftJson.mapper().createObjectNode().put("who", "ada"), "user-1", null, null, Instant.now()));
        return kafka.untilTerminal(execution, WITHIN);
    }

    @Test
    void theToolRunsTheWorkflowWithWhatTheModelPassedAndAnswersItsResult() throws Exception {
        String childExecution = "exec-child-" + UUID.randomUUID();
        FakeCompilerPlans.RUNS.put(tenant + ":" + child, childExecution);
        childRun(childExecution, "succeeded", null);
        String execution = "exec-" + UUID.randomUUID();

        List<ExecutionEvent> events = run(parent(child), execution);

        ExecutionEvent.ExecutionSucceeded done = (ExecutionEvent.ExecutionSucceeded) events.getLast();
        assertThat(done.outputPreview().path("text").asText()).isEqualTo("Order A-17 has shipped.");
        JsonNode step = done.outputPreview().path("steps").get(0);
        assertThat(step.path("output").path("status").asText()).as("the last node's item of the run").isEqualTo("shipped");
        assertThat(FakeCompilerPlans.RUN_REQUESTS).filteredOn(asked -> asked.startsWith(tenant + " "))
                .singleElement().asString()
                .startsWith(tenant + " " + child + " " + tenant + ":" + execution + ":agent:i0.t1.0:0 ")
                .contains("\"orderId\":\"A-17\"", "\"asked\":\"ada\"");
        provider.verify(postRequestedFor(urlEqualTo("/v1/chat/completions"))
                .withRequestBody(matchingJsonPath("$.tools[0].function.parameters.properties.orderId.type", equalTo("string"))));
    }

    @Test
    void aFailedRunAnUnknownWorkflowAndTheWorkflowItselfAreToldToTheModel() throws Exception {
        String childExecution = "exec-child-" + UUID.randomUUID();
        FakeCompilerPlans.RUNS.put(tenant + ":" + child, childExecution);
        childRun(childExecution, "failed", "{\"kind\":\"HTTP_CLIENT_ERROR\",\"message\":\"the shop answered 404\",\"retryable\":false,"
                + "\"nodeId\":\"look\"}");

        JsonNode failed = ((ExecutionEvent.ExecutionSucceeded) run(parent(child), "exec-" + UUID.randomUUID()).getLast()).outputPreview()
                .path("steps").get(0).path("error");
        provider.resetScenarios();
        JsonNode unknown = ((ExecutionEvent.ExecutionSucceeded) run(parent(UUID.randomUUID().toString()), "exec-" + UUID.randomUUID())
                .getLast()).outputPreview().path("steps").get(0).path("error");

        assertThat(failed.path("kind").asText()).isEqualTo("HTTP_CLIENT_ERROR");
        assertThat(failed.path("message").asText()).isEqualTo("run " + childExecution + " failed at node look: the shop answered 404");
        assertThat(unknown.path("kind").asText()).isEqualTo("INVALID_PARAMETERS");
        assertThat(unknown.path("message").asText()).contains("cannot run", "was not found");
    }
}
