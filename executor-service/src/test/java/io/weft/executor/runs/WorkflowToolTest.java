package io.weft.executor.runs;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Tuple;
import io.weft.contracts.events.ExecutionEvent;
import io.weft.contracts.events.ExecutionRequested;
import io.weft.contracts.events.TriggerKind;
import io.weft.contracts.json.WeftJson;
import io.weft.contracts.plan.ExecutionPlan;
import io.weft.executor.engine.TestPlans;
import io.weft.executor.nodes.ai.OpenAiReplica;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
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
class WorkflowToolTest extends AgentRunsTest {
    private final String child = UUID.randomUUID().toString();

    @BeforeEach
    void stubs() {
        OpenAiReplica.says(provider, OpenAiReplica.toolCall("call_1", "Orders", "{\"orderId\":\"A-17\"}", 40),
                OpenAiReplica.answer("Order A-17 has shipped."));
    }

    private ExecutionPlan parent(String workflowId) {
        return parent(workflowId, 5000);
    }

    private ExecutionPlan parent(String workflowId, int waitTimeoutMs) {
        return TestPlans.plan()
                .node("start", "trigger.manual", "{}")
                .node("model", "ai.chatModel.openAi", "{}")
                .node("agent", "ai.agent", "{\"prompt\":\"Where is order A-17?\"}")
                .node("orders", "ai.tool.workflow", "{\"workflowId\":\"" + workflowId + "\",\"toolDescription\":\"Looks an order up\","
                        + "\"input\":{\"orderId\":\"{{ $fromAI('orderId', 'the order') }}\",\"asked\":\"{{ $json.who }}\"},"
                        + "\"waitTimeoutMs\":" + waitTimeoutMs + "}")
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
        return run(plan, execution, 0);
    }

    /** The parent's run, {@code depth} runs below a top-level one. */
    private List<ExecutionEvent> run(ExecutionPlan plan, String execution, int depth) throws Exception {
        FakeCompilerPlans.publish(tenant, plan);
        kafka.send(new ExecutionRequested(UUID.randomUUID().toString(), tenant, execution, "wf-parent", 1, plan.hash(), TriggerKind.MANUAL,
                "start", WeftJson.mapper().createObjectNode().put("who", "ada"), "user-1", null, null, Instant.now())
                .atCallDepth(depth));
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
                .startsWith(tenant + " " + child + " " + tenant + ":" + execution + ":agent:i0.t1.0:0 depth=1 ")
                .contains("\"orderId\":\"A-17\"", "\"asked\":\"ada\"");
        provider.verify(postRequestedFor(urlEqualTo("/v1/chat/completions"))
                .withRequestBody(matchingJsonPath("$.tools[0].function.parameters.properties.orderId.type", equalTo("string"))));
    }

    @Test
    void aRunBelowAnotherStartsItsOwnOneLevelDeeperAndKeepsItsDepthForAResume() throws Exception {
        String childExecution = "exec-child-" + UUID.randomUUID();
        FakeCompilerPlans.RUNS.put(tenant + ":" + child, childExecution);
        childRun(childExecution, "succeeded", null);
        String execution = "exec-" + UUID.randomUUID();

        List<ExecutionEvent> events = run(parent(child), execution, 2);

        assertThat(events.getLast()).isInstanceOf(ExecutionEvent.ExecutionSucceeded.class);
        assertThat(FakeCompilerPlans.RUN_REQUESTS).filteredOn(asked -> asked.contains(":" + execution + ":agent:"))
                .singleElement().asString().contains(" depth=3 ");
        assertThat(pool.preparedQuery("SELECT call_depth FROM executions WHERE id = $1").execute(Tuple.of(execution))
                .await().atMost(Duration.ofSeconds(5)).iterator().next().getInteger("call_depth")).isEqualTo(2);
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

    @Test
    void aRunThatDoesNotEndInTimeAndAnIdThatIsNoWorkflowIdAreToldToTheModel() throws Exception {
        FakeCompilerPlans.RUNS.put(tenant + ":" + child, "exec-never-taken-" + UUID.randomUUID());

        JsonNode timedOut = firstStepError(run(parent(child, 1000), "exec-" + UUID.randomUUID()));
        provider.resetScenarios();
        JsonNode refused = firstStepError(run(parent("../../api/orchestrator/workflows"), "exec-" + UUID.randomUUID()));

        assertThat(timedOut.path("kind").asText()).isEqualTo("TIMEOUT");
        assertThat(timedOut.path("message").asText()).contains("did not end within 1000 ms");
        assertThat(refused.path("kind").asText()).isEqualTo("INVALID_PARAMETERS");
        assertThat(refused.path("message").asText()).contains("workflowId is not a workflow id");
        assertThat(FakeCompilerPlans.RUN_REQUESTS).as("nothing asked with a hostile id")
                .noneMatch(asked -> asked.contains("../"));
    }

    private static JsonNode firstStepError(List<ExecutionEvent> events) {
        return ((ExecutionEvent.ExecutionSucceeded) events.getLast()).outputPreview().path("steps").get(0).path("error");
    }
}
