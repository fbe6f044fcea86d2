package io.weft.compiler.check;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.weft.compiler.TestCatalog;
import io.weft.compiler.catalog.NodeTypes;
import io.weft.contracts.compile.DiagnosticCode;
import io.weft.contracts.json.CanonicalJson;
import io.weft.contracts.json.WeftJson;
import io.weft.contracts.plan.ExecutionPlan;
import io.weft.contracts.plan.Join;
import io.weft.contracts.plan.PlannedNode;
import io.weft.contracts.workflow.BackoffKind;
import io.weft.contracts.workflow.Connection;
import io.weft.contracts.workflow.OnError;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ValidWorkflowPlanTest {
    private static final NodeTypes TYPES = TestCatalog.withAiTypes();
    private static final WorkflowCompiler COMPILER = new WorkflowCompiler(Duration.ofMinutes(5));

    @Test
    void linearWorkflowKeepsItsOrderAndGetsEveryDefault() {
        ExecutionPlan plan = compile(workflow("Linear")
                .node("start", "trigger.manual", "{}")
                .node("fetch", "core.httpRequest", "{\"url\":\"https://example.com/{{ $json.id }}\",\"timeoutMs\":\"{{ $json.t }}\"}")
                .node("shape", "core.set", "{\"fields\":[{\"name\":\"status\",\"value\":\"{{ $node['Fetch'].json.status }}\"}]}")
                .connect("start", "main", "fetch", "main")
                .connect("fetch", "main", "shape", "main"));

        assertThat(plan.nodes()).extracting(PlannedNode::id).containsExactly("start", "fetch", "shape");
        assertThat(plan.triggers()).containsExactly("start");
        PlannedNode fetch = plan.nodes().get(1);
        assertThat(fetch.join()).isEqualTo(Join.ANY);
        assertThat(fetch.parameters().get("method").asText()).isEqualTo("GET");
        assertThat(fetch.parameters().get("timeoutMs").asText()).isEqualTo("{{ $json.t }}");
        assertThat(fetch.parameters().get("followRedirects").asBoolean()).isTrue();
        assertThat(fetch.policy().timeoutMs()).isEqualTo(300_000);
        assertThat(fetch.policy().onError()).isEqualTo(OnError.FAIL_EXECUTION);
        assertThat(fetch.policy().retry().maxAttempts()).isEqualTo(1);
        assertThat(fetch.policy().retry().backoff()).isEqualTo(BackoffKind.EXPONENTIAL);
        assertThat(plan.nodes().get(0).join()).isEqualTo(Join.TRIGGER);
        assertThat(plan.hash()).matches("[0-9a-f]{64}").isEqualTo(CanonicalJson.sha256(plan.withHash(null)));
    }

    @Test
    void subNodesComeBeforeTheirRootAreMarkedAndAreNotWaitedFor() {
        ExecutionPlan plan = compile(workflow("Agent")
                .node("start", "trigger.webhook", "{\"path\":\"ask\"}")
                .node("agent", "test.agent", "{}")
                .node("model", "test.chatModel", "{}")
                .node("memory", "test.memory", "{}")
                .node("search", "test.tool", "{\"query\":\"{{ $node['Start'].json.body.question }}\"}")
                .node("lookup", "test.tool", "{\"query\":\"{{ $json.body.question }}\"}")
                .node("answer", "core.noOp", "{}")
                .connect("start", "main", "agent", "main")
                .connect("model", "model", "agent", "model")
                .connect("memory", "ai_memory", "agent", "ai_memory")
                .connect("search", "ai_tool", "agent", "ai_tool")
                .connect("lookup", "ai_tool", "agent", "ai_tool")
                .connect("agent", "main", "answer", "main"));

        assertThat(plan.nodes().stream().filter(PlannedNode::subNode).map(PlannedNode::id))
                .containsExactlyInAnyOrder("model", "memory", "search", "lookup");
        PlannedNode agent = plan.nodes().stream().filter(node -> node.id().equals("agent")).findFirst().orElseThrow();
        assertThat(agent.subNode()).isFalse();
        assertThat(agent.join()).as("the agent waits for its main input only").isEqualTo(Join.ANY);
        assertThat(agent.inputs()).hasSize(5);
        List<String> order = plan.nodes().stream().map(PlannedNode::id).toList();
        assertThat(order.indexOf("agent")).isGreaterThan(order.indexOf("model")).isGreaterThan(order.indexOf("search"));
    }

    @Test
    void aSubNodeOnlyTypeAttachedToNothingIsAWarning() {
        CompileOutcome outcome = COMPILER.compile(workflow("Loose").node("start", "trigger.manual", "{}")
                .node("model", "test.chatModel", "{}").build(), TYPES);
        assertThat(outcome.plan()).isNotNull();
        assertThat(outcome.diagnostics()).extracting(diagnostic -> diagnostic.code().name() + " " + diagnostic.nodeId())
                .containsExactly("SUB_NODE_NOT_ATTACHED model");
    }

    /** A streaming answer: a webhook answered by a Respond node, after a chain whose model streams ({@code streamTokens}). */
    private static CompileOutcome streamingAnswer(String respond, boolean streamTokens) {
        return COMPILER.compile(workflow("Streaming")
                .node("hook", "trigger.webhook", "{\"path\":\"chat\",\"respond\":\"" + respond + "\"}")
                .node("model", "ai.chatModel.openAi", "{}")
                .node("chain", "ai.llmChain", "{\"prompt\":\"{{ $json.body.q }}\",\"streamTokens\":" + streamTokens + "}")
                .node("answer", "core.respondToWebhook", "{\"stream\":true}")
                .connect("hook", "main", "chain", "main")
                .connect("model", "ai_languageModel", "chain", "ai_languageModel")
                .connect("chain", "main", "answer", "main").build(), TYPES);
    }

    @Test
    void aStreamingRespondNodeWithNothingToStreamOrNoCallToStreamToIsAWarning() {
        assertThat(streamingAnswer("usingRespondNode", true).diagnostics()).as("a chain that streams, a call that waits").isEmpty();

        CompileOutcome nothingStreams = streamingAnswer("usingRespondNode", false);
        assertThat(nothingStreams.plan()).isNotNull();
        assertThat(nothingStreams.diagnostics()).extracting(d -> d.code().name() + " " + d.nodeId() + " " + d.pointer())
                .containsExactly("STREAMING_RESPONSE_UNUSED answer /nodes/3/parameters/stream");
        assertThat(nothingStreams.diagnostics().get(0).message()).contains("no node before it streams its text");

        CompileOutcome noCall = streamingAnswer("immediately", true);
        assertThat(noCall.plan()).isNotNull();
        assertThat(noCall.diagnostics()).extracting(d -> d.code().name() + " " + d.nodeId()).containsExactly("STREAMING_RESPONSE_UNUSED answer");
        assertThat(noCall.diagnostics().get(0).message()).contains("no call waits for the stream");
    }

    @Test
    void mergeWaitsForBothBranchesAndComesAfterThem() {
        ExecutionPlan plan = compile(workflow("Diamond")
                .node("start", "trigger.manual", "{}")
                .node("merge", "core.merge", "{}")
                .node("left", "core.httpRequest", "{\"url\":\"https://example.com/a\"}")
                .node("right", "core.httpRequest", "{\"url\":\"https://example.com/b\"}")
                .node("after", "core.noOp", "{}")
                .connect("start", "main", "left", "main")
                .connect("start", "main", "right", "main")
                .connect("left", "main", "merge", "input1")
                .connect("right", "main", "merge", "input2")
                .connect("merge", "main", "after", "main"));

        assertThat(plan.nodes()).extracting(PlannedNode::id).containsExactly("start", "left", "right", "merge", "after");
        PlannedNode merge = plan.nodes().get(3);
        assertThat(merge.join()).isEqualTo(Join.ALL);
        assertThat(merge.inputs()).extracting(c -> c.from().node() + ">" + c.to().port()).containsExactly("left>input1", "right>input2");
        assertThat(plan.nodes().get(0).outputs()).hasSize(2);
    }

    @Test
    void branchesOfAnIfMeetAgainInOneNode() {
        ExecutionPlan plan = compile(workflow("Branches")
                .node("hook", "trigger.webhook", "{}")
                .node("check", "core.if", "{\"conditions\":[{\"left\":\"{{ $json.body.vip }}\",\"operator\":\"isTrue\"}]}")
                .node("vip", "core.set", "{}")
                .node("normal", "core.set", "{}")
                .node("reply", "core.respondToWebhook", "{\"respondWith\":\"allItems\"}")
                .connect("hook", "main", "check", "main")
                .connect("check", "true", "vip", "main")
                .connect("check", "false", "normal", "main")
                .connect("vip", "main", "reply", "main")
                .connect("normal", "main", "reply", "main"));

        PlannedNode reply = plan.nodes().get(4);
        assertThat(reply.id()).isEqualTo("reply");
        assertThat(reply.join()).isEqualTo(Join.ANY);
        assertThat(reply.inputs()).extracting(c -> c.from().node()).containsExactly("vip", "normal");
        assertThat(plan.nodes().get(1).outputs()).extracting(c -> c.from().port()).containsExactly("true", "false");
    }

    @Test
    void errorOutputAndPoliciesComeThroughResolved() {
        ExecutionPlan plan = compile(workflow("Errors")
                .node("start", "trigger.manual", "{}")
                .raw("{\"id\":\"call\",\"name\":\"Call\",\"type\":\"core.httpRequest\",\"typeVersion\":1,"
                        + "\"parameters\":{\"url\":\"https://example.com\"},\"onError\":\"errorOutput\",\"timeoutMs\":2000,"
                        + "\"retry\":{\"maxAttempts\":4,\"backoff\":\"fixed\",\"retryOn\":[\"TIMEOUT\"]}}")
                .node("alarm", "core.noOp", "{}")
                .connect("start", "main", "call", "main")
                .connect("call", "error", "alarm", "main"));

        PlannedNode call = plan.nodes().get(1);
        assertThat(call.policy().onError()).isEqualTo(OnError.ROUTE_TO_ERROR_OUTPUT);
        assertThat(call.policy().timeoutMs()).isEqualTo(2000);
        assertThat(call.policy().retry().maxAttempts()).isEqualTo(4);
        assertThat(call.policy().retry().backoff()).isEqualTo(BackoffKind.FIXED);
        assertThat(call.policy().retry().initialIntervalMs()).isEqualTo(1000);
        assertThat(call.policy().retry().retryOn()).hasSize(1);
        assertThat(call.outputs()).extracting(c -> c.from().port()).containsExactly("error");
    }

    @Test
    void theHashIgnoresLayoutButNotBehaviour() {
        Builder first = workflow("Hash").node("start", "trigger.manual", "{}").node("set", "core.set", "{}")
                .connect("start", "main", "set", "main");
        ObjectNode moved = first.build().deepCopy();
        ((ObjectNode) moved.get("nodes").get(1)).set("position", WeftJson.mapper().createObjectNode().put("x", 40).put("y", 80));
        ObjectNode changed = first.build().deepCopy();
        ((ObjectNode) changed.get("nodes").get(1)).put("timeoutMs", 1000);

        String hash = compile(first).hash();
        assertThat(COMPILER.compile(moved, TYPES).plan().hash()).isEqualTo(hash);
        assertThat(COMPILER.compile(changed, TYPES).plan().hash()).isNotEqualTo(hash);
        assertThat(compile(first).hash()).isEqualTo(hash);
    }

    @Test
    void disabledTriggersAreNotListedAsTriggers() {
        ExecutionPlan plan = compile(workflow("Two triggers")
                .node("manual", "trigger.manual", "{}")
                .raw("{\"id\":\"nightly\",\"name\":\"Nightly\",\"type\":\"trigger.schedule\",\"typeVersion\":1,"
                        + "\"parameters\":{\"cron\":\"0 3 * * *\"},\"disabled\":true}")
                .node("set", "core.set", "{}")
                .connect("manual", "main", "set", "main")
                .connect("nightly", "main", "set", "main"));

        assertThat(plan.triggers()).containsExactly("manual");
        assertThat(plan.nodes()).filteredOn(PlannedNode::disabled).extracting(PlannedNode::id).containsExactly("nightly");
    }

    @ParameterizedTest(name = "{0} nodes")
    @ValueSource(ints = {10, 100, 1000})
    void largeWorkflowsCompileInATopologicalOrder(int size) {
        JsonNode definition = LayeredWorkflows.of(size);

        CompileOutcome outcome = COMPILER.compile(definition, TYPES);

        assertThat(outcome.diagnostics()).isEmpty();
        ExecutionPlan plan = outcome.plan();
        assertThat(plan.nodes()).hasSize(size);
        Map<String, Integer> position = new HashMap<>();
        for (int i = 0; i < plan.nodes().size(); i++) {
            position.put(plan.nodes().get(i).id(), i);
        }
        for (PlannedNode node : plan.nodes()) {
            for (Connection input : node.inputs()) {
                assertThat(position.get(input.from().node())).isLessThan(position.get(node.id()));
            }
        }
        assertThat(plan.nodes().stream().filter(n -> n.join() == Join.ALL).count()).isEqualTo(LayeredWorkflows.merges(size));
    }

    @Test
    void moreThanAThousandNodesAreRefusedByTheSchema() {
        CompileOutcome outcome = COMPILER.compile(LayeredWorkflows.of(10_000), TYPES);

        assertThat(outcome.plan()).isNull();
        assertThat(outcome.diagnostics()).extracting(d -> d.code() + " " + d.pointer()).contains("SCHEMA_VIOLATION /nodes");
    }

    @Test
    void oddUnicodeNamesAreFine() {
        ExecutionPlan plan = compile(workflow("Ünïcødé 🚀 ‮ name")
                .raw("{\"id\":\"start\",\"name\":\"Старт 🚀\",\"type\":\"trigger.manual\",\"typeVersion\":1}")
                .raw("{\"id\":\"set\",\"name\":\"設定 \\u202e\",\"type\":\"core.set\",\"typeVersion\":1,"
                        + "\"parameters\":{\"fields\":[{\"name\":\"x\",\"value\":\"{{ $node['Старт 🚀'].json.a }}\"}]}}")
                .connect("start", "main", "set", "main"));

        assertThat(plan.nodes()).extracting(PlannedNode::name).containsExactly("Старт 🚀", "設定 \u202e");
    }

    private static ExecutionPlan compile(Builder builder) {
        CompileOutcome outcome = COMPILER.compile(builder.build(), TYPES);
        assertThat(outcome.diagnostics()).as("diagnostics").isEmpty();
        assertThat(outcome.compiles()).isTrue();
        return outcome.plan();
    }

    static Builder workflow(String name) {
        return new Builder(name);
    }

    static final class Builder {
        private final ObjectNode root = WeftJson.mapper().createObjectNode();

        Builder(String name) {
            root.put("name", name);
            root.putArray("nodes");
            root.putArray("connections");
        }

        Builder node(String id, String type, String parameters) {
            String name = Character.toUpperCase(id.charAt(0)) + id.substring(1);
            return raw("{\"id\":\"" + id + "\",\"name\":\"" + name + "\",\"type\":\"" + type + "\",\"typeVersion\":1,"
                    + "\"parameters\":" + parameters + "}");
        }

        Builder raw(String json) {
            try {
                ((ArrayNode) root.get("nodes")).add(WeftJson.mapper().readTree(json));
            } catch (Exception e) {
                throw new IllegalArgumentException(json, e);
            }
            return this;
        }

        Builder connect(String from, String fromPort, String to, String toPort) {
            ObjectNode connection = ((ArrayNode) root.get("connections")).addObject();
            connection.putObject("from").put("node", from).put("port", fromPort);
            connection.putObject("to").put("node", to).put("port", toPort);
            return this;
        }

        ObjectNode build() {
            return root;
        }
    }
}
