package io.weft.executor.engine;

import io.weft.contracts.events.ErrorKind;
import io.weft.contracts.plan.ExecutionPlan;
import io.weft.contracts.plan.Join;
import io.weft.contracts.plan.PlannedNode;
import io.weft.contracts.workflow.Connection;
import io.weft.executor.expressions.ExpressionEvaluator;
import io.weft.executor.nodes.NodeCatalog;
import io.weft.executor.nodes.NodeType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs a plan in-process, node by node in the plan's topological order, with the plan's join
 * semantics: a node runs once all its incoming connections have settled, if any of them brought
 * items; otherwise it is skipped and its own connections settle empty.
 *
 * <p>This slice runs nodes one at a time, once each, in memory. Parallel branches, retries with
 * backoff, timeouts, checkpoints, leases and events are the engine issue's next slices.
 */
public final class PlanRunner {
    private final NodeCatalog catalog;
    private final ExpressionEvaluator evaluator;

    public PlanRunner(NodeCatalog catalog, ExpressionEvaluator evaluator) {
        this.catalog = catalog;
        this.evaluator = evaluator;
    }

    public ExecutionOutcome run(ExecutionPlan plan, RunInput input) {
        return run(plan, input, Map.of(), RunListener.NONE);
    }

    /**
     * Runs the plan, or resumes it: nodes with an outcome in {@code finished} (from checkpoints) are
     * not run again, their recorded outputs feed the nodes after them.
     */
    public ExecutionOutcome run(ExecutionPlan plan, RunInput input, Map<String, NodeOutcome> finished, RunListener listener) {
        RunState state = new RunState(plan, input, listener);
        String trigger = input.triggerNodeId() != null ? input.triggerNodeId()
                : plan.triggers().isEmpty() ? null : plan.triggers().get(0);
        for (PlannedNode node : plan.nodes()) {
            NodeOutcome done = finished.get(node.id());
            if (done != null) {
                state.restore(done);
                if (done.status() == NodeOutcome.Status.FAILED) {
                    return new ExecutionOutcome(false, state.outcomes(), node.id());
                }
                continue;
            }
            long started = System.nanoTime();
            if (node.join() == Join.TRIGGER) {
                List<Item> fired = node.id().equals(trigger) ? startItems(input) : List.of();
                if (fired.isEmpty()) {
                    state.record(new NodeOutcome(node.id(), NodeOutcome.Status.SKIPPED, null, null, 0));
                    continue;
                }
                if (!runNode(node, fired, Map.of(), state, started)) {
                    return new ExecutionOutcome(false, state.outcomes(), node.id());
                }
                continue;
            }
            Map<String, List<Item>> byPort = new LinkedHashMap<>();
            List<Item> all = new ArrayList<>();
            for (Connection connection : node.inputs()) {
                NodeOutput source = state.output(connection.from().node());
                List<Item> arrived = source == null ? List.of() : source.port(connection.from().port());
                byPort.computeIfAbsent(connection.to().port(), port -> new ArrayList<>()).addAll(arrived);
                all.addAll(arrived);
            }
            if (all.isEmpty()) {
                state.record(new NodeOutcome(node.id(), NodeOutcome.Status.SKIPPED, null, null, 0));
                continue;
            }
            if (node.disabled()) {
                state.record(new NodeOutcome(node.id(), NodeOutcome.Status.PASSED_THROUGH, NodeOutput.main(all), null,
                        System.nanoTime() - started));
                continue;
            }
            if (!runNode(node, all, byPort, state, started)) {
                return new ExecutionOutcome(false, state.outcomes(), node.id());
            }
        }
        return new ExecutionOutcome(true, state.outcomes(), null);
    }

    /** Runs one node and records what happened; false when its failure fails the execution. */
    private boolean runNode(PlannedNode node, List<Item> items, Map<String, List<Item>> byPort, RunState state, long started) {
        NodeType type = catalog.find(node.type(), node.typeVersion()).orElse(null);
        NodeFailure failure;
        try {
            if (type == null) {
                throw new NodeFailure(ErrorKind.INTERNAL, false, "this executor has no node type " + node.type() + " v" + node.typeVersion());
            }
            int attempt = state.input().attempt();
            state.listener().nodeStarted(node, attempt);
            NodeOutput output = type.run(new NodeRun(node, items, byPort, state, evaluator, attempt));
            state.record(new NodeOutcome(node.id(), NodeOutcome.Status.SUCCEEDED, output, null, System.nanoTime() - started));
            return true;
        } catch (NodeFailure e) {
            failure = e;
        } catch (RuntimeException e) {
            failure = new NodeFailure(ErrorKind.INTERNAL, false, "node \"" + node.name() + "\" failed unexpectedly: " + e, e);
        }
        long took = System.nanoTime() - started;
        switch (node.policy().onError()) {
            case CONTINUE -> {
                state.record(new NodeOutcome(node.id(), NodeOutcome.Status.FAILED_HANDLED, NodeOutput.main(items), failure, took));
                return true;
            }
            case ROUTE_TO_ERROR_OUTPUT -> {
                state.record(new NodeOutcome(node.id(), NodeOutcome.Status.FAILED_HANDLED,
                        NodeOutput.of("error", ErrorItems.describe(items, failure)), failure, took));
                return true;
            }
            default -> {
                state.record(new NodeOutcome(node.id(), NodeOutcome.Status.FAILED, null, failure, took));
                return false;
            }
        }
    }

    private static List<Item> startItems(RunInput input) {
        return input.triggerItems().isEmpty() ? List.of(Item.empty()) : input.triggerItems();
    }
}
