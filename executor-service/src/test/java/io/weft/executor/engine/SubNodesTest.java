package io.weft.executor.engine;

import static io.weft.executor.engine.PlanRunnerTest.CLOCK;
import static io.weft.executor.engine.TestPlans.plan;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.weft.contracts.json.WeftJson;
import io.weft.contracts.nodes.NodeFamily;
import io.weft.contracts.nodes.NodeTypeDescriptor;
import io.weft.contracts.nodes.PortDescriptor;
import io.weft.contracts.nodes.PortType;
import io.weft.executor.expressions.ExpressionEvaluator;
import io.weft.executor.nodes.CoreNodeTypes;
import io.weft.executor.nodes.NodeCatalog;
import io.weft.executor.nodes.NodeType;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Sub-nodes in the engine (issue 20): a node attached through an ai_* port is never scheduled on its
 * own; its root runs once its main input is decided and reaches its sub-nodes, their parameters
 * (resolved against the root's items) and their credentials through its {@link NodeRun}.
 */
class SubNodesTest {
    private static final AtomicInteger SUB_NODE_RUNS = new AtomicInteger();
    private static final List<String> RESOLVED_FOR = Collections.synchronizedList(new ArrayList<>());

    private static NodeTypeDescriptor descriptor(String type, List<PortDescriptor> inputs, List<PortDescriptor> outputs,
                                                 List<String> credentialTypes) {
        return new NodeTypeDescriptor(type, 1, type, "test", NodeFamily.LLM, false, WeftJson.mapper().createObjectNode(), inputs,
                outputs, credentialTypes);
    }

    /** A root that says what is attached to it: for each sub-node, its port, its resolved parameters, and its credential's type. */
    private static final NodeType ROOT = new NodeType() {
        @Override
        public NodeTypeDescriptor descriptor() {
            return SubNodesTest.descriptor("test.root", List.of(new PortDescriptor("main", PortType.MAIN, "Input", true),
                    new PortDescriptor("ai_languageModel", PortType.AI_LANGUAGE_MODEL, "Model", true),
                    new PortDescriptor("ai_tool", PortType.AI_TOOL, "Tools", false)),
                    List.of(new PortDescriptor("main", PortType.MAIN, "Output", false)), List.<String>of());
        }

        @Override
        public NodeOutput run(NodeRun run) {
            ObjectNode seen = WeftJson.mapper().createObjectNode();
            SubNode model = run.subNodes(PortType.AI_LANGUAGE_MODEL).get(0);
            seen.put("model", model.node().id()).set("modelParameters", run.parameters(model, 0));
            seen.put("modelCredential", run.credential(model, List.of("openAiApi")).map(Credentials.Resolved::type).orElse("none"));
            var tools = seen.putArray("tools");
            for (SubNode tool : run.subNodes(PortType.AI_TOOL)) {
                tools.addObject().put("id", tool.node().id()).put("port", tool.port()).put("runnable", tool.type() != null)
                        .set("parameters", run.parameters(tool, 0));
            }
            seen.put("toolsOfTheFirstTool", run.subNodes(run.subNodes(PortType.AI_TOOL).get(0), PortType.AI_LANGUAGE_MODEL).size());
            return NodeOutput.main(List.of(Item.of(seen)));
        }
    };

    private static NodeType subNodeType(String type, PortType output, List<PortDescriptor> inputs) {
        return new NodeType() {
            @Override
            public NodeTypeDescriptor descriptor() {
                return SubNodesTest.descriptor(type, inputs, List.of(new PortDescriptor(output.name(), output, type, false)),
                        List.of("openAiApi"));
            }

            @Override
            public NodeOutput run(NodeRun run) {
                SUB_NODE_RUNS.incrementAndGet();
                return NodeOutput.main(run.items());
            }
        };
    }

    private static PlanRunner runner() {
        List<NodeType> types = new ArrayList<>(CoreNodeTypes.ALL);
        types.add(ROOT);
        types.add(subNodeType("test.model", PortType.AI_LANGUAGE_MODEL, List.of()));
        types.add(subNodeType("test.tool", PortType.AI_TOOL, List.of(new PortDescriptor("main", PortType.MAIN, "Input", true),
                new PortDescriptor("ai_languageModel", PortType.AI_LANGUAGE_MODEL, "Model", false))));
        Credentials credentials = (tenantId, credentialId, executionId, nodeId) -> {
            RESOLVED_FOR.add(tenantId + "/" + credentialId + "/" + nodeId);
            return new Credentials.Resolved("openAiApi", WeftJson.mapper().createObjectNode().put("apiKey", "sk-test"));
        };
        return new PlanRunner(new NodeCatalog(types), new ExpressionEvaluator(), null, Payloads.NONE, credentials);
    }

    @Test
    void theRootRunsOnItsMainInputAndCallsWhatIsAttached() {
        ExecutionOutcome outcome = runner().run(plan()
                .node("start", "trigger.manual", "{}")
                .node("model", "test.model", "{\"model\":\"gpt-test\",\"user\":\"{{ $json.customer }}\"}")
                .node("toolModel", "test.model", "{\"model\":\"small\"}")
                .node("search", "test.tool", "{\"query\":\"{{ $json.question }}\"}")
                .node("lookup", "test.tool", "{\"query\":\"orders of {{ $json.customer }}\"}")
                .node("root", "test.root", "{}")
                .node("after", "core.noOp", "{}")
                .withCredential("model", "openAiApi", "cred-1")
                .connect("start", "main", "root", "main")
                .connect("model", "ai_languageModel", "root", "ai_languageModel")
                .connect("toolModel", "ai_languageModel", "search", "ai_languageModel")
                .connect("search", "ai_tool", "root", "ai_tool")
                .connect("lookup", "ai_tool", "root", "ai_tool")
                .connect("root", "main", "after", "main")
                .build(), input());

        assertThat(outcome.succeeded()).isTrue();
        assertThat(outcome.nodes()).as("sub-nodes have no outcome of their own").containsOnlyKeys("start", "root", "after");
        assertThat(SUB_NODE_RUNS).as("a sub-node never runs on its own").hasValue(0);
        String seen = outcome.node("after").output().all().get(0).json().toString();
        assertThat(seen).contains("\"model\":\"model\"")
                .contains("\"modelParameters\":{\"model\":\"gpt-test\",\"user\":\"ada\"}")
                .contains("\"modelCredential\":\"openAiApi\"")
                .contains("{\"id\":\"search\",\"port\":\"ai_tool\",\"runnable\":true,\"parameters\":{\"query\":\"Where is my order?\"}}")
                .contains("{\"id\":\"lookup\",\"port\":\"ai_tool\",\"runnable\":true,\"parameters\":{\"query\":\"orders of ada\"}}")
                .contains("\"toolsOfTheFirstTool\":1");
        assertThat(RESOLVED_FOR).as("the credential is resolved for the tenant, and its use is the sub-node's").contains("t/cred-1/model");
    }

    @Test
    void aRootWhoseMainInputBringsNothingIsSkippedWithItsSubNodes() {
        ExecutionOutcome outcome = runner().run(plan()
                .node("start", "trigger.manual", "{}")
                .node("gate", "core.if", "{\"conditions\":[{\"left\":\"{{ $json.question }}\",\"operator\":\"equals\",\"right\":\"never\"}]}")
                .node("model", "test.model", "{}")
                .node("root", "test.root", "{}")
                .connect("start", "main", "gate", "main")
                .connect("gate", "true", "root", "main")
                .connect("model", "ai_languageModel", "root", "ai_languageModel")
                .build(), input());

        assertThat(outcome.succeeded()).isTrue();
        assertThat(outcome.node("root").status()).isEqualTo(NodeOutcome.Status.SKIPPED);
        assertThat(outcome.nodes()).doesNotContainKey("model");
    }

    private static RunInput input() {
        return new RunInput("t", "e", "w", null, List.of(Item.of(WeftJson.mapper().createObjectNode().put("question", "Where is my order?")
                .put("customer", "ada"))), WeftJson.mapper().createObjectNode(), CLOCK);
    }
}
