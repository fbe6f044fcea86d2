package io.weft.executor.runs;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Row;
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
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An AI agent's calls in the executor's database: each model and tool call recorded under the
 * execution's lease as it ends, and an agent whose executor died mid-run resumed by this one, which
 * replays what was recorded — the tool that was called is not called again. The model is a WireMock
 * replica of OpenAI's chat completions API, driven by the real langchain4j client.
 */
@QuarkusTest
@QuarkusTestResource(value = FakeCompilerPlans.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = SkipOldRequests.class, restrictToAnnotatedClass = false)
class AgentResumeTest extends AgentRunsTest {

    @BeforeEach
    void stubs() {
        provider.stubFor(get(urlPathEqualTo("/weather")).willReturn(aResponse().withHeader("Content-Type", "application/json")
                .withBody("{\"celsius\":18}")));
    }

    private ExecutionPlan plan() {
        return TestPlans.plan()
                .node("start", "trigger.manual", "{}")
                .node("model", "ai.chatModel.openAi", "{}")
                .node("agent", "ai.agent", "{\"prompt\":\"Weather in Paris?\"}")
                .node("weather", "core.httpRequest", "{\"url\":\"" + base + "/weather?city={{ $fromAI('city') }}\"}")
                .withCredential("model", "openAiApi", credentialId)
                .connect("start", "main", "agent", "main")
                .connect("model", "ai_languageModel", "agent", "ai_languageModel")
                .connect("weather", "ai_tool", "agent", "ai_tool")
                .build();
    }

    private static final String ASKS_WEATHER = """
            {"id":"c1","object":"chat.completion","created":1,"model":"gpt-4o-mini","choices":[{"index":0,"message":{"role":"assistant",
             "content":null,"tool_calls":[{"id":"call_1","type":"function","function":{"name":"Weather","arguments":"{\\"city\\":\\"Paris\\"}"}}]},
             "finish_reason":"tool_calls"}],"usage":{"prompt_tokens":40,"completion_tokens":8,"total_tokens":48}}""";
    private static final String ANSWERS = """
            {"id":"c2","object":"chat.completion","created":1,"model":"gpt-4o-mini","choices":[{"index":0,"message":{"role":"assistant",
             "content":"18 °C in Paris."},"finish_reason":"stop"}],"usage":{"prompt_tokens":60,"completion_tokens":6,"total_tokens":66}}""";

    private List<ExecutionEvent> run(ExecutionPlan plan, String execution) throws Exception {
        return run(plan, execution, null);
    }

    private List<ExecutionEvent> run(ExecutionPlan plan, String execution, Long llmTokensPerMonth) throws Exception {
        FakeCompilerPlans.publish(tenant, plan);
        kafka.send(new ExecutionRequested(UUID.randomUUID().toString(), tenant, execution, "wf-1", 3, plan.hash(), TriggerKind.MANUAL,
                "start", WeftJson.mapper().createObjectNode(), "user-1", null, null, Instant.now(), null, llmTokensPerMonth));
        return kafka.untilTerminal(execution, WITHIN);
    }

    private long meter() {
        return io.quarkus.arc.Arc.container().instance(io.weft.executor.ai.TokenBudgets.class).get().thisMonth(tenant).used();
    }

    @Test
    void theAgentsModelCallsAreChargedToTheTenantsBudgetAsTheProviderCountedThem() throws Exception {
        OpenAiReplica.says(provider, ASKS_WEATHER, ANSWERS);
        long before = meter();

        List<ExecutionEvent> events = run(plan(), "exec-" + UUID.randomUUID(), 1_000_000L);

        assertThat(events.getLast()).isInstanceOf(ExecutionEvent.ExecutionSucceeded.class);
        assertThat(meter() - before).as("40 + 8 and 60 + 6 tokens, not the estimates").isEqualTo(114);
    }

    @Test
    void aCallTheProviderRefusesGivesItsReservationBack() throws Exception {
        provider.stubFor(post(urlEqualTo("/v1/chat/completions")).willReturn(aResponse().withStatus(401)
                .withHeader("Content-Type", "application/json").withBody("{\"error\":{\"message\":\"Incorrect API key\"}}")));

        List<ExecutionEvent> events = run(plan(), "exec-" + UUID.randomUUID(), 1_000_000L);

        assertThat(((ExecutionEvent.ExecutionFailed) events.getLast()).error().kind()).isEqualTo(io.weft.contracts.events.ErrorKind.CREDENTIALS);
        assertThat(meter()).as("the estimate was reserved, then given back").isZero();
    }

    @Test
    void aRunWhoseTenantsBudgetIsSpentFailsWithQuotaBeforeAnyProviderIsAsked() throws Exception {
        provider.stubFor(post(urlEqualTo("/v1/chat/completions"))
                .willReturn(aResponse().withHeader("Content-Type", "application/json").withBody(ANSWERS)));
        pool.preparedQuery("INSERT INTO llm_token_meter (tenant_id, month, used, budget) VALUES ($1, date_trunc('month', now() AT TIME ZONE 'UTC')::date,"
                        + " 999990, 1000000) ON CONFLICT (tenant_id, month) DO UPDATE SET used = 999990")
                .execute(Tuple.of(tenant)).await().atMost(Duration.ofSeconds(5));

        List<ExecutionEvent> events = run(plan(), "exec-" + UUID.randomUUID(), 1_000_000L);

        ExecutionEvent.ExecutionFailed failed = (ExecutionEvent.ExecutionFailed) events.getLast();
        assertThat(failed.failedNodeId()).isEqualTo("agent");
        assertThat(failed.error().kind()).isEqualTo(io.weft.contracts.events.ErrorKind.QUOTA);
        assertThat(failed.error().message()).contains("1000000 tokens a month");
        provider.verify(0, postRequestedFor(urlEqualTo("/v1/chat/completions")));
        assertThat(meter()).isEqualTo(999_990);
    }

    private List<String> recordedKeys(String execution) {
        List<String> keys = new ArrayList<>();
        for (Row row : pool.preparedQuery("SELECT call_key FROM node_calls WHERE execution_id = $1 AND node_id = 'agent' ORDER BY call_key")
                .execute(Tuple.of(execution)).await().atMost(Duration.ofSeconds(5))) {
            keys.add(row.getString("call_key"));
        }
        return keys;
    }

    @Test
    void eachCallIsRecordedAsItEndsAndTheToolCarriesTheCallsIdempotencyKey() throws Exception {
        OpenAiReplica.says(provider, ASKS_WEATHER, ANSWERS);
        String execution = "exec-" + UUID.randomUUID();

        List<ExecutionEvent> events = run(plan(), execution);

        ExecutionEvent.ExecutionSucceeded done = (ExecutionEvent.ExecutionSucceeded) events.getLast();
        assertThat(done.outputPreview().path("text").asText()).isEqualTo("18 °C in Paris.");
        assertThat(recordedKeys(execution)).containsExactly("i0.m1", "i0.m2", "i0.t1.0");
        io.weft.contracts.events.NodeTransition agent = events.stream().flatMap(event -> event.nodes().stream())
                .filter(node -> node.nodeId().equals("agent") && node.status() == io.weft.contracts.events.NodeTransition.Status.SUCCEEDED)
                .findFirst().orElseThrow();
        assertThat(agent.usage()).as("the event says what the agent's model calls used")
                .containsExactly(new io.weft.contracts.events.ModelUsage("OpenAI", "gpt-4o-mini", 100, 14, 2));
        provider.verify(1, getRequestedFor(urlPathEqualTo("/weather")).withQueryParam("city", equalTo("Paris"))
                .withHeader("Idempotency-Key", equalTo(tenant + ":" + execution + ":agent:i0.t1.0:0")));
    }

    @Test
    void anAgentWhoseExecutorDiedBetweenTwoCallsResumesWithoutCallingTheToolAgain() throws Exception {
        provider.stubFor(post(urlEqualTo("/v1/chat/completions"))
                .willReturn(aResponse().withHeader("Content-Type", "application/json").withBody(ANSWERS)));
        ExecutionPlan plan = plan();
        String execution = "exec-" + UUID.randomUUID();
        // What a dead executor left: the trigger checkpointed, the agent running, its first model call (asking for the
        // weather) and the tool call (its answer, as the model was told) recorded; the lease ran out a minute ago.
        deadExecutorLeft(execution, plan);
        record(execution, "i0.m1", """
                {"text":null,"toolCalls":[{"id":"call_1","name":"Weather","arguments":"{\\"city\\":\\"Paris\\"}"}],
                 "usage":{"inputTokens":40,"outputTokens":8},"model":"gpt-4o-mini","finishReason":"TOOL_EXECUTION"}""");
        record(execution, "i0.t1.0", """
                {"step":{"tool":"Weather","node":"weather","input":{"city":"Paris"},"output":{"celsius":21},"durationMs":4},
                 "forModel":"{\\"celsius\\":21}"}""");

        List<ExecutionEvent> events = run(plan, execution);

        ExecutionEvent.ExecutionSucceeded done = (ExecutionEvent.ExecutionSucceeded) events.getLast();
        JsonNode answer = done.outputPreview();
        assertThat(answer.path("replayedCalls").asInt()).isEqualTo(2);
        assertThat(answer.path("steps").get(0).path("output").path("celsius").asInt()).as("what the dead executor's tool call gave")
                .isEqualTo(21);
        assertThat(answer.path("usage").path("inputTokens").asInt()).isEqualTo(100);
        provider.verify(0, getRequestedFor(urlPathEqualTo("/weather")));
        provider.verify(1, postRequestedFor(urlEqualTo("/v1/chat/completions"))
                .withRequestBody(matchingJsonPath("$.messages[?(@.tool_call_id == 'call_1')].content", equalTo("{\"celsius\":21}"))));
        assertThat(recordedKeys(execution)).containsExactly("i0.m1", "i0.m2", "i0.t1.0");
    }

    @Test
    void aSlackPostTheDeadExecutorMadeIsNotPostedAgainByTheResumedRun() throws Exception {
        String slackCredential = UUID.randomUUID().toString();
        FakeCompilerPlans.CREDENTIALS.put(tenant + ":" + slackCredential, "{\"id\":\"" + slackCredential + "\",\"type\":\"slackApi\","
                + "\"revision\":1,\"data\":{\"botToken\":\"xoxb-resume-test\"}}");
        ExecutionPlan plan = TestPlans.plan().node("start", "trigger.manual", "{}")
                .node("slack", "integration.slack", "{\"channel\":\"C1\",\"text\":\"Deployed\"}")
                .withCredential("slack", "slackApi", slackCredential)
                .connect("start", "main", "slack", "main").build();
        String execution = "exec-" + UUID.randomUUID();
        // A dead executor's run: the trigger checkpointed, the Slack node running, its post made and recorded.
        deadExecutorLeft(execution, plan);
        pool.preparedQuery("INSERT INTO node_calls (execution_id, node_id, call_key, result) VALUES ($1, 'slack', $2, $3::text::jsonb)")
                .execute(Tuple.of(execution, tenant + ":" + execution + ":slack/slack:post:0", "{\"channel\":\"C1\",\"ts\":\"9.9\"}"))
                .await().atMost(Duration.ofSeconds(5));

        List<ExecutionEvent> events = run(plan, execution);

        // Slack here is slack.com, which a test cannot reach: a post made again would fail the run
        assertThat(events.getLast()).isInstanceOf(ExecutionEvent.ExecutionSucceeded.class);
        ExecutionEvent.ExecutionSucceeded done = (ExecutionEvent.ExecutionSucceeded) events.getLast();
        assertThat(done.outputPreview().path("ts").asText()).as("the post the dead executor made").isEqualTo("9.9");
    }

    @Test
    void anExecutorThatLostItsLeaseCannotRecordACall() {
        String execution = "exec-" + UUID.randomUUID();
        pool.preparedQuery("""
                INSERT INTO executions (id, tenant_id, workflow_id, workflow_version, plan_hash, trigger_kind, trigger_data,
                                        status, lease_owner, lease_until, runs)
                VALUES ($1, $2, 'wf-1', 3, 'h', 'MANUAL', '{}', 'running', 'executor-alive', now() + interval '1 minute', 1)""")
                .execute(Tuple.of(execution, tenant)).await().atMost(Duration.ofSeconds(5));
        NodeCalls calls = io.quarkus.arc.Arc.container().instance(NodeCalls.class).get();
        Lease stale = new Lease(execution, "executor-zombie", 1, 0, null, 0, Instant.now());

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> calls.record(stale, "agent", "i0.m1",
                        WeftJson.mapper().createObjectNode()).await().atMost(Duration.ofSeconds(5)))
                .isInstanceOf(LeaseLostException.class);
        assertThat(recordedKeys(execution)).isEmpty();
    }

    /** What an executor that died mid-run leaves: the execution running under a lease that ran out a minute ago, its trigger checkpointed. */
    private void deadExecutorLeft(String execution, ExecutionPlan plan) {
        pool.preparedQuery("""
                INSERT INTO executions (id, tenant_id, workflow_id, workflow_version, plan_hash, trigger_kind, trigger_node_id,
                                        trigger_data, status, sequence, lease_owner, lease_until, runs)
                VALUES ($1, $2, 'wf-1', 3, $3, 'MANUAL', 'start', '{}', 'running', 1003, 'executor-dead',
                        now() - interval '1 minute', 1)""").execute(Tuple.of(execution, tenant, plan.hash()))
                .await().atMost(Duration.ofSeconds(5));
        pool.preparedQuery("INSERT INTO node_checkpoints (execution_id, node_id, status, attempt, output, duration_ns)"
                        + " VALUES ($1, 'start', 'SUCCEEDED', 1, '{\"ports\":{\"main\":[{\"json\":{}}]}}', 1000)")
                .execute(Tuple.of(execution)).await().atMost(Duration.ofSeconds(5));
    }

    private void record(String execution, String key, String result) {
        pool.preparedQuery("INSERT INTO node_calls (execution_id, node_id, call_key, result) VALUES ($1, 'agent', $2, $3::text::jsonb)")
                .execute(Tuple.of(execution, key, result)).await().atMost(Duration.ofSeconds(5));
    }
}
