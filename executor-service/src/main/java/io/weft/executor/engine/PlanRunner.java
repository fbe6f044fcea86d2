package io.weft.executor.engine;

import io.weft.contracts.events.ConsoleLine;
import io.weft.contracts.events.ErrorKind;
import io.weft.contracts.plan.ExecutionPlan;
import io.weft.contracts.plan.Join;
import io.weft.contracts.plan.PlannedNode;
import io.weft.contracts.workflow.Connection;
import io.weft.contracts.workflow.RetryPolicy;
import io.weft.executor.expressions.ExpressionEvaluator;
import io.weft.executor.nodes.NodeCatalog;
import io.weft.executor.nodes.NodeType;
import io.weft.executor.sandbox.Sandbox;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs a plan in-process, node by node in the plan's topological order, with the plan's join
 * semantics: a node runs once all its incoming connections have settled, if any of them brought
 * items; otherwise it is skipped and its own connections settle empty.
 *
 * <p>Nodes run one at a time; parallel branches are a later slice of the engine issue. Durability
 * (checkpoints, leases, events) is the caller's, through {@link RunListener}; commands (cancel,
 * pause) reach the run through {@link RunControl}.
 */
public final class PlanRunner {
    private static final ExecutorService BLOCKING_NODES = Executors.newVirtualThreadPerTaskExecutor();

    private final NodeCatalog catalog;
    private final ExpressionEvaluator evaluator;
    private final Sandbox sandbox;
    private final Backoff backoff;
    private final Pause pause;

    /** A runner without a JavaScript sandbox: Code nodes and script expressions fail with a clear error. */
    public PlanRunner(NodeCatalog catalog, ExpressionEvaluator evaluator) {
        this(catalog, evaluator, null, new Backoff(new java.util.Random()), Pause.SLEEP);
    }

    public PlanRunner(NodeCatalog catalog, ExpressionEvaluator evaluator, Sandbox sandbox) {
        this(catalog, evaluator, sandbox, new Backoff(new java.util.Random()), Pause.SLEEP);
    }

    public PlanRunner(NodeCatalog catalog, ExpressionEvaluator evaluator, Sandbox sandbox, Backoff backoff, Pause pause) {
        this.catalog = catalog;
        this.evaluator = evaluator;
        this.sandbox = sandbox;
        this.backoff = backoff;
        this.pause = pause;
    }

    public ExecutionOutcome run(ExecutionPlan plan, RunInput input) {
        return run(plan, input, Map.of(), RunListener.NONE);
    }

    /**
     * Runs the plan, or resumes it: nodes with an outcome in {@code finished} (from checkpoints) are
     * not run again, their recorded outputs feed the nodes after them.
     */
    public ExecutionOutcome run(ExecutionPlan plan, RunInput input, Map<String, NodeOutcome> finished, RunListener listener) {
        return run(plan, input, finished, listener, new RunControl());
    }

    /**
     * As above, under {@code control}: a cancel or pause stops the run before the next node with
     * {@link RunStopped}; a cancel also stops the node that is running.
     */
    public ExecutionOutcome run(ExecutionPlan plan, RunInput input, Map<String, NodeOutcome> finished, RunListener listener,
                                RunControl control) {
        RunState state = new RunState(plan, input, listener);
        String trigger = input.triggerNodeId() != null ? input.triggerNodeId()
                : plan.triggers().isEmpty() ? null : plan.triggers().get(0);
        for (PlannedNode node : plan.nodes()) {
            NodeOutcome done = finished.get(node.id());
            Instant parkedUntil = null;
            if (done != null && done.status() == NodeOutcome.Status.WAITING) {
                parkedUntil = done.resumeAt();
                done = null;
            }
            if (done != null) {
                state.restore(done);
                if (done.status() == NodeOutcome.Status.FAILED) {
                    return new ExecutionOutcome(false, state.outcomes(), node.id());
                }
                continue;
            }
            stopIfAsked(control, state, node);
            long started = System.nanoTime();
            if (node.join() == Join.TRIGGER) {
                List<Item> fired = node.id().equals(trigger) ? startItems(input) : List.of();
                if (fired.isEmpty()) {
                    state.record(new NodeOutcome(node.id(), NodeOutcome.Status.SKIPPED, null, null, 0));
                    continue;
                }
                if (!runNode(node, fired, Map.of(), state, started, control, null)) {
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
            if (!runNode(node, all, byPort, state, started, control, parkedUntil)) {
                return new ExecutionOutcome(false, state.outcomes(), node.id());
            }
        }
        return new ExecutionOutcome(true, state.outcomes(), null);
    }

    /**
     * Runs one node, with its retry policy and per-attempt timeout, and records what happened;
     * false when its failure fails the execution.
     */
    private boolean runNode(PlannedNode node, List<Item> items, Map<String, List<Item>> byPort, RunState state, long started,
                            RunControl control, Instant parkedUntil) {
        NodeType type = catalog.find(node.type(), node.typeVersion()).orElse(null);
        RetryPolicy retry = node.policy().retry();
        NodeFailure failure;
        int attempt = state.input().attempt();
        int tries = 1;
        List<ConsoleLine> console = new ArrayList<>();
        while (true) {
            NodeRun run = new NodeRun(node, items, byPort, state, evaluator, attempt, sandbox, parkedUntil);
            try {
                if (type == null) {
                    throw new NodeFailure(ErrorKind.INTERNAL, false, "this executor has no node type " + node.type() + " v" + node.typeVersion());
                }
                state.listener().nodeStarted(node, attempt);
                NodeOutput output = attempt(type, run, node, control);
                console.addAll(run.closeScripts());
                state.record(new NodeOutcome(node.id(), NodeOutcome.Status.SUCCEEDED, output, null, System.nanoTime() - started, console));
                return true;
            } catch (WaitRequested wait) {
                run.closeScripts();
                state.listener().nodeWaiting(node, wait.resumeAt());
                throw new RunStopped(RunControl.Stop.WAIT, node.id(), wait.resumeAt());
            } catch (NodeFailure e) {
                failure = e;
            } catch (RuntimeException e) {
                failure = new NodeFailure(ErrorKind.INTERNAL, false, "node \"" + node.name() + "\" failed unexpectedly: " + e, e);
            }
            console.addAll(run.closeScripts());
            stopIfAsked(control, state, node);
            if (tries >= retry.maxAttempts() || !Backoff.retries(retry, failure)) {
                break;
            }
            Duration delay = backoff.after(retry, tries);
            state.listener().nodeRetrying(node, attempt, failure, delay);
            control.sleep(pause, delay);
            stopIfAsked(control, state, node);
            tries++;
            attempt++;
        }
        long took = System.nanoTime() - started;
        switch (node.policy().onError()) {
            case CONTINUE -> {
                state.record(new NodeOutcome(node.id(), NodeOutcome.Status.FAILED_HANDLED, NodeOutput.main(items), failure, took, console));
                return true;
            }
            case ROUTE_TO_ERROR_OUTPUT -> {
                state.record(new NodeOutcome(node.id(), NodeOutcome.Status.FAILED_HANDLED,
                        NodeOutput.of("error", ErrorItems.describe(items, failure)), failure, took, console));
                return true;
            }
            default -> {
                state.record(new NodeOutcome(node.id(), NodeOutcome.Status.FAILED, null, failure, took, console));
                return false;
            }
        }
    }

    /**
     * One attempt. Nodes that wait on the outside world run on a virtual thread, so that the
     * node's timeout can interrupt them (an HTTP call is cancelled); pure nodes run inline.
     */
    private static NodeOutput attempt(NodeType type, NodeRun run, PlannedNode node, RunControl control) {
        if (!type.blocking()) {
            return type.run(run);
        }
        Future<NodeOutput> running = BLOCKING_NODES.submit(() -> type.run(run));
        control.running(running);
        try {
            return running.get(node.policy().timeoutMs(), TimeUnit.MILLISECONDS);
        } catch (CancellationException e) {
            throw new NodeFailure(ErrorKind.CANCELLED, false, "node \"" + node.name() + "\" was stopped because the execution was cancelled");
        } catch (TimeoutException e) {
            running.cancel(true);
            throw new NodeFailure(ErrorKind.TIMEOUT, true, "node \"" + node.name() + "\" did not finish within "
                    + node.policy().timeoutMs() + " ms and was stopped");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new NodeFailure(ErrorKind.INTERNAL, false, "node \"" + node.name() + "\" failed: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            running.cancel(true);
            Thread.currentThread().interrupt();
            throw new NodeFailure(ErrorKind.CANCELLED, false, "node \"" + node.name() + "\" was interrupted");
        } finally {
            control.running(null);
        }
    }

    /**
     * Before a node starts (or tries again): a cancel or a confirmed pause ends the run here. A
     * pause the listener does not confirm yet is asked about again at the next node.
     */
    private static void stopIfAsked(RunControl control, RunState state, PlannedNode next) {
        RunControl.Stop stop = control.requested();
        if (stop == null) {
            return;
        }
        if (state.listener().stopping(stop, next)) {
            throw new RunStopped(stop, next.id());
        }
    }

    private static List<Item> startItems(RunInput input) {
        return input.triggerItems().isEmpty() ? List.of(Item.empty()) : input.triggerItems();
    }
}
