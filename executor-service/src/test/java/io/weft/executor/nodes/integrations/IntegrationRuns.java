package io.weft.executor.nodes.integrations;

import static io.weft.executor.engine.TestPlans.plan;

import com.fasterxml.jackson.databind.JsonNode;
import io.weft.contracts.json.WeftJson;
import io.weft.contracts.plan.PlannedNode;
import io.weft.executor.engine.Backoff;
import io.weft.executor.engine.Credentials;
import io.weft.executor.engine.ExecutionOutcome;
import io.weft.executor.engine.Item;
import io.weft.executor.engine.Payloads;
import io.weft.executor.engine.PlanRunner;
import io.weft.executor.engine.RunInput;
import io.weft.executor.engine.RunListener;
import io.weft.executor.engine.TestPlans;
import io.weft.executor.expressions.ExpressionEvaluator;
import io.weft.executor.nodes.CoreNodeTypes;
import io.weft.executor.nodes.NodeCatalog;
import io.weft.executor.nodes.NodeType;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Runs Manual Trigger → one integration node (id {@code nodeId}) through the plan runner, with the
 * node's credential from {@code credentials} and its recorded calls kept here, as the executor's
 * journal keeps them: a second run finds the first one's writes, as a retried or resumed one would.
 */
final class IntegrationRuns implements RunListener {
    final Map<String, JsonNode> recorded = new ConcurrentHashMap<>();
    final List<Duration> pauses = new CopyOnWriteArrayList<>();
    private final NodeType node;
    private final String nodeId;

    IntegrationRuns(NodeType node, String nodeId) {
        this.node = node;
        this.nodeId = nodeId;
    }

    /** A credential of {@code type} whose data is {@code json}, for any node. */
    static Credentials stored(String type, String json) {
        return (tenant, id, execution, nodeName) -> {
            try {
                return new Credentials.Resolved(type, WeftJson.mapper().readTree(json));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        };
    }

    ExecutionOutcome run(String parameters, String policy, List<Item> items, String credentialType, Credentials credentials,
                         Payloads payloads) {
        List<NodeType> types = new ArrayList<>(CoreNodeTypes.ALL.stream().filter(type -> type.getClass() != node.getClass()).toList());
        types.add(node);
        PlanRunner runner = new PlanRunner(new NodeCatalog(types), new ExpressionEvaluator(), null, payloads, credentials,
                new Backoff(new Random(7)), pauses::add);
        TestPlans plan = plan().node("start", "trigger.manual", "{}").node(nodeId, node.descriptor().type(), parameters)
                .connect("start", "main", nodeId, "main").withCredential(nodeId, credentialType, "cred-1");
        return runner.run(policy == null ? plan.build() : plan.withPolicy(nodeId, policy).build(),
                new RunInput("t1", "e1", "w1", null, items, WeftJson.mapper().createObjectNode(), Clock.systemUTC()), Map.of(), this);
    }

    @Override
    public Map<String, JsonNode> recordedCalls(PlannedNode planned) {
        return Map.copyOf(recorded);
    }

    @Override
    public void callFinished(PlannedNode planned, String key, JsonNode result) {
        recorded.put(key, result);
    }
}
