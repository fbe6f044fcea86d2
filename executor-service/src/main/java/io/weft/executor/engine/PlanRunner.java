package io.weft.executor.engine;

import io.weft.contracts.events.ConsoleLine;
import io.weft.contracts.events.ErrorKind;
import io.weft.contracts.nodes.PortDescriptor;
import io.weft.contracts.nodes.PortType;
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
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
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
 * Runs a plan in-process with the plan's join semantics: a node runs once all its incoming
 * connections have settled, if any of them brought items; otherwise it is skipped and its own
 * connections settle empty. Branches run in parallel (see {@link #run(ExecutionPlan, RunInput,
 * Map, RunListener, RunControl)}). Sub-nodes ({@link PlannedNode#subNode()}) are not scheduled:
 * their roots get them as {@link SubNode}s and call them.
 *
 * <p>Durability
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
    private final Payloads payloads;
    private final Credentials credentials;

    /** A runner without a JavaScript sandbox: Code nodes and script expressions fail with a clear error. */
    public PlanRunner(NodeCatalog catalog, ExpressionEvaluator evaluator) {
        this(catalog, evaluator, null, new Backoff(new java.util.Random()), Pause.SLEEP);
    }

    public PlanRunner(NodeCatalog catalog, ExpressionEvaluator evaluator, Sandbox sandbox) {
        this(catalog, evaluator, sandbox, Payloads.NONE);
    }

    public PlanRunner(NodeCatalog catalog, ExpressionEvaluator evaluator, Sandbox sandbox, Payloads payloads) {
        this(catalog, evaluator, sandbox, payloads, Credentials.NONE, new Backoff(new java.util.Random()), Pause.SLEEP);
    }

    public PlanRunner(NodeCatalog catalog, ExpressionEvaluator evaluator, Sandbox sandbox, Payloads payloads, Credentials credentials) {
        this(catalog, evaluator, sandbox, payloads, credentials, new Backoff(new java.util.Random()), Pause.SLEEP);
    }

    public PlanRunner(NodeCatalog catalog, ExpressionEvaluator evaluator, Sandbox sandbox, Backoff backoff, Pause pause) {
        this(catalog, evaluator, sandbox, Payloads.NONE, backoff, pause);
    }

    public PlanRunner(NodeCatalog catalog, ExpressionEvaluator evaluator, Sandbox sandbox, Payloads payloads, Backoff backoff,
                      Pause pause) {
        this(catalog, evaluator, sandbox, payloads, Credentials.NONE, backoff, pause);
    }

    public PlanRunner(NodeCatalog catalog, ExpressionEvaluator evaluator, Sandbox sandbox, Payloads payloads, Credentials credentials,
                      Backoff backoff, Pause pause) {
        this.payloads = payloads;
        this.credentials = credentials;
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
     * {@link RunStopped}; a cancel also stops the nodes that are running.
     *
     * <p>A node becomes ready when every node it reads from is decided. Ready nodes start in plan
     * order; pure nodes run at once on this thread, nodes that wait on the outside world
     * ({@link NodeType#blocking()}) each on a virtual thread of their own, so parallel branches
     * wait on the network (or scripts, or time) together. The first failure that fails the
     * execution stops the others. Nodes that ask to wait are set aside while other branches go on;
     * when nothing else can run, the execution parks until the earliest of their times.
     */
    public ExecutionOutcome run(ExecutionPlan plan, RunInput input, Map<String, NodeOutcome> finished, RunListener listener,
                                RunControl control) {
        return new Schedule(plan, input, finished, listener, control).run();
    }

    /** One run's bookkeeping: what is ready, what runs, what it is waiting for. */
    private final class Schedule {
        private final RunInput input;
        private final Map<String, NodeOutcome> finished;
        private final RunControl control;
        private final RunState state;
        private final String trigger;
        private final Map<String, Integer> order = new HashMap<>();
        private final Map<String, Integer> undecidedSources = new HashMap<>();
        private final Map<String, List<PlannedNode>> readers = new HashMap<>();
        private final PriorityQueue<PlannedNode> ready;
        private final BlockingQueue<Settled> settled = new LinkedBlockingQueue<>();
        private final Map<String, Thread> running = new HashMap<>();
        private final Map<PlannedNode, WaitRequested> waits = new LinkedHashMap<>();
        /** By root id: the sub-nodes attached to it. */
        private final Map<String, List<SubNode>> subNodes = new HashMap<>();
        private String failedNode;
        private RunStopped stopped;

        /** A node that ran on its own thread: whether the execution may go on, or why it stopped. */
        private record Settled(PlannedNode node, boolean goOn, RuntimeException thrown) {
        }

        Schedule(ExecutionPlan plan, RunInput input, Map<String, NodeOutcome> finished, RunListener listener, RunControl control) {
            this.input = input;
            this.finished = finished;
            this.control = control;
            this.state = new RunState(plan, input, listener);
            this.trigger = input.triggerNodeId() != null ? input.triggerNodeId()
                    : plan.triggers().isEmpty() ? null : plan.triggers().get(0);
            this.ready = new PriorityQueue<>(java.util.Comparator.comparingInt((PlannedNode node) -> order.get(node.id())));
            Map<String, PlannedNode> attached = new HashMap<>();
            plan.nodes().stream().filter(PlannedNode::subNode).forEach(node -> attached.put(node.id(), node));
            for (PlannedNode node : plan.nodes()) {
                if (node.subNode()) {
                    node.inputs().stream().filter(connection -> attached.containsKey(connection.from().node()))
                            .forEach(connection -> attach(node, connection, attached.get(connection.from().node())));
                    continue;
                }
                order.put(node.id(), order.size());
                Set<String> sources = new LinkedHashSet<>();
                for (Connection connection : node.inputs()) {
                    PlannedNode subNode = attached.get(connection.from().node());
                    if (subNode == null) {
                        sources.add(connection.from().node());
                    } else {
                        attach(node, connection, subNode);
                    }
                }
                undecidedSources.put(node.id(), sources.size());
                sources.forEach(source -> readers.computeIfAbsent(source, id -> new ArrayList<>()).add(node));
            }
            plan.nodes().stream().filter(node -> !node.subNode() && undecidedSources.get(node.id()) == 0).forEach(ready::add);
        }

        /** Sub-nodes attached to sub-nodes (a tool with a model of its own) are listed under that sub-node's id. */
        private void attach(PlannedNode root, Connection connection, PlannedNode subNode) {
            NodeType rootType = catalog.find(input.tenantId(), root.type(), root.typeVersion()).orElse(null);
            PortType portType = rootType == null ? null : rootType.descriptor().inputs().stream()
                    .filter(port -> port.name().equals(connection.to().port())).map(PortDescriptor::type).findFirst().orElse(null);
            subNodes.computeIfAbsent(root.id(), id -> new ArrayList<>()).add(new SubNode(connection.to().port(), portType, subNode,
                    catalog.find(input.tenantId(), subNode.type(), subNode.typeVersion()).orElse(null)));
        }

        ExecutionOutcome run() {
            try {
                return schedule();
            } catch (RuntimeException | Error e) {
                // Never leave a branch running behind a run that ended: it could call out or checkpoint for nobody.
                stopOthers();
                while (!running.isEmpty()) {
                    running.remove(take().node().id());
                }
                throw e;
            }
        }

        private ExecutionOutcome schedule() {
            while (true) {
                while (failedNode == null && stopped == null && !ready.isEmpty()) {
                    // One read: a pause that lands between two reads must not park while branches still run.
                    RunControl.Stop asked = control.requested();
                    if (asked != null && !running.isEmpty()) {
                        break;
                    }
                    PlannedNode node = ready.poll();
                    try {
                        start(node, asked);
                    } catch (RunStopped stop) {
                        stopped = stop;
                    }
                }
                if (running.isEmpty()) {
                    break;
                }
                settle(take());
            }
            if (stopped != null) {
                throw stopped;
            }
            if (failedNode != null) {
                return new ExecutionOutcome(false, state.outcomes(), failedNode);
            }
            if (!waits.isEmpty()) {
                park();
            }
            return new ExecutionOutcome(true, state.outcomes(), null);
        }

        /** Decides the node now if it can be (restored, skipped, disabled, pure), or starts it on its own thread. */
        private void start(PlannedNode node, RunControl.Stop asked) {
            NodeOutcome done = finished.get(node.id());
            Instant parkedUntil = null;
            if (done != null && done.status() == NodeOutcome.Status.WAITING) {
                parkedUntil = done.resumeAt();
                done = null;
            }
            if (done != null) {
                state.restore(done);
                decided(node, done.status() != NodeOutcome.Status.FAILED);
                return;
            }
            stopIfAsked(asked, state, node);
            long started = System.nanoTime();
            List<Item> items;
            Map<String, List<Item>> byPort = new LinkedHashMap<>();
            if (node.join() == Join.TRIGGER) {
                items = node.id().equals(trigger) ? startItems(input) : List.of();
            } else {
                items = new ArrayList<>();
                for (Connection connection : node.inputs()) {
                    if (!order.containsKey(connection.from().node())) {
                        continue; // a sub-node: called, not read
                    }
                    NodeOutput source = state.output(connection.from().node());
                    List<Item> arrived = source == null ? List.of() : source.port(connection.from().port());
                    byPort.computeIfAbsent(connection.to().port(), port -> new ArrayList<>()).addAll(arrived);
                    items.addAll(arrived);
                }
            }
            if (items.isEmpty()) {
                state.record(new NodeOutcome(node.id(), NodeOutcome.Status.SKIPPED, null, null, 0));
                decided(node, true);
                return;
            }
            if (node.disabled() && node.join() != Join.TRIGGER) {
                state.record(new NodeOutcome(node.id(), NodeOutcome.Status.PASSED_THROUGH, NodeOutput.main(items), null,
                        System.nanoTime() - started));
                decided(node, true);
                return;
            }
            NodeType type = catalog.find(input.tenantId(), node.type(), node.typeVersion()).orElse(null);
            Instant parked = parkedUntil;
            if (type != null && type.blocking()) {
                // A thread of its own (not a pool's task, which a cancel could drop before it starts):
                // whatever happens, it settles.
                running.put(node.id(), Thread.ofVirtual().name("weft-node-" + node.id()).start(() -> {
                    try {
                        settled.add(new Settled(node, runNode(node, items, byPort, subNodes, state, started, control, parked), null));
                    } catch (RuntimeException e) {
                        settled.add(new Settled(node, false, e));
                    } catch (Throwable e) {
                        settled.add(new Settled(node, false, new IllegalStateException("node \"" + node.name() + "\" broke: " + e, e)));
                    }
                }));
                return;
            }
            settle(runInline(node, items, byPort, started, parked));
        }

        private Settled runInline(PlannedNode node, List<Item> items, Map<String, List<Item>> byPort, long started, Instant parked) {
            try {
                return new Settled(node, runNode(node, items, byPort, subNodes, state, started, control, parked), null);
            } catch (RuntimeException e) {
                return new Settled(node, false, e);
            }
        }

        private Settled take() {
            try {
                return settled.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while nodes of the execution were running", e);
            }
        }

        private void settle(Settled node) {
            running.remove(node.node().id());
            if (node.thrown() instanceof WaitRequested wait) {
                waits.put(node.node(), wait);
            } else if (node.thrown() instanceof RunStopped stop) {
                if (stopped == null) {
                    stopped = stop;
                    stopOthers();
                }
            } else if (node.thrown() != null) {
                if (failedNode == null && stopped == null) {
                    throw node.thrown();
                }
                // a node stopped while it waited to try again, because another branch failed first
            } else {
                decided(node.node(), node.goOn());
            }
        }

        /** A decided node lets its readers go on; one whose failure fails the execution stops the rest. */
        private void decided(PlannedNode node, boolean goOn) {
            if (!goOn) {
                if (failedNode == null) {
                    failedNode = node.id();
                    stopOthers();
                }
                return;
            }
            for (PlannedNode reader : readers.getOrDefault(node.id(), List.of())) {
                if (undecidedSources.merge(reader.id(), -1, Integer::sum) == 0) {
                    ready.add(reader);
                }
            }
        }

        /** Interrupts the nodes still running: each settles as failed (cancelled) once its call or script is stopped. */
        private void stopOthers() {
            running.values().forEach(Thread::interrupt);
        }

        /** Nothing else can run: the nodes that wait are checkpointed as waiting, and the execution parks until the first is due. */
        private void park() {
            RunControl.Stop asked = control.requested();
            if (asked == RunControl.Stop.CANCEL || asked == RunControl.Stop.TIMEOUT) {
                PlannedNode next = waits.keySet().iterator().next();
                if (state.listener().stopping(asked, next)) {
                    throw new RunStopped(asked, next.id());
                }
            }
            Map.Entry<PlannedNode, WaitRequested> first = waits.entrySet().stream()
                    .min(java.util.Comparator.comparing(wait -> wait.getValue().resumeAt())).orElseThrow();
            Map<PlannedNode, Instant> all = new LinkedHashMap<>();
            waits.forEach((node, wait) -> all.put(node, wait.resumeAt()));
            state.listener().nodesWaiting(all, first.getKey(), first.getValue().untilTime());
            throw new RunStopped(first.getKey().id(), first.getValue());
        }
    }

    /**
     * Runs one node, with its retry policy and per-attempt timeout, and records what happened;
     * false when its failure fails the execution.
     */
    private boolean runNode(PlannedNode node, List<Item> items, Map<String, List<Item>> byPort, Map<String, List<SubNode>> subNodes,
                            RunState state, long started, RunControl control, Instant parkedUntil) {
        NodeType type = catalog.find(state.input().tenantId(), node.type(), node.typeVersion()).orElse(null);
        RetryPolicy retry = node.policy().retry();
        NodeFailure failure;
        int attempt = state.input().attempt();
        int tries = 1;
        List<ConsoleLine> console = new ArrayList<>();
        while (true) {
            NodeRun run = new NodeRun(node, items, byPort, subNodes, state, evaluator, attempt, sandbox, payloads, credentials,
                    parkedUntil, toolAttempts(control));
            try {
                if (type == null) {
                    throw new NodeFailure(ErrorKind.INTERNAL, false, "this executor has no node type " + node.type() + " v" + node.typeVersion());
                }
                state.listener().nodeStarted(node, attempt);
                NodeOutput output = attempt(type, run, node, control);
                console.addAll(run.endAttempt());
                state.record(new NodeOutcome(node.id(), NodeOutcome.Status.SUCCEEDED, output, null, System.nanoTime() - started, console));
                return true;
            } catch (WaitRequested wait) {
                run.endAttempt();
                throw wait;
            } catch (NodeFailure e) {
                failure = e;
            } catch (RuntimeException e) {
                failure = new NodeFailure(ErrorKind.INTERNAL, false, "node \"" + node.name() + "\" failed unexpectedly: " + e, e);
            }
            console.addAll(run.endAttempt());
            stopIfStopped(control, state, node);
            if (tries >= retry.maxAttempts() || !Backoff.retries(retry, failure)) {
                break;
            }
            Duration delay = backoff.after(retry, tries, failure);
            state.listener().nodeRetrying(node, attempt, failure, delay);
            control.sleep(pause, delay);
            stopIfStopped(control, state, node);
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
     * An agent's tool call as a node's run: each attempt under the tool's timeout (a blocking tool on a
     * thread of its own, which the agent's own stop interrupts too), and the tool's retry policy
     * between attempts, waiting as a node's retry waits (a cancel ends the wait). A failure that is
     * not retried goes back to the agent, which tells the model.
     */
    private NodeRun.ToolAttempts toolAttempts(RunControl control) {
        return (tool, type, newAttempt) -> {
            RetryPolicy retry = tool.policy().retry();
            for (int tries = 1; ; tries++) {
                NodeRun call = newAttempt.get();
                try {
                    return attempt(type, call, tool, control);
                } catch (NodeFailure failure) {
                    if (failure.kind() == ErrorKind.CANCELLED || tries >= retry.maxAttempts() || !Backoff.retries(retry, failure)) {
                        throw failure;
                    }
                    control.sleep(pause, backoff.after(retry, tries, failure));
                    if (control.requested() == RunControl.Stop.CANCEL || control.requested() == RunControl.Stop.TIMEOUT) {
                        throw new NodeFailure(ErrorKind.CANCELLED, false, "node \"" + tool.name() + "\" was stopped before its retry");
                    }
                } finally {
                    call.endAttempt();
                }
            }
        };
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
            // The node's own thread was interrupted because another branch failed: the interruption
            // becomes this node's failure (the flag is not kept, so its checkpoint can still be written).
            running.cancel(true);
            throw new NodeFailure(ErrorKind.CANCELLED, false, "node \"" + node.name() + "\" was stopped because another branch failed");
        } finally {
            control.finished(running);
        }
    }

    /** Between attempts of a node: a cancel or a timeout ends the run here (a pause waits for the next node). */
    private static void stopIfStopped(RunControl control, RunState state, PlannedNode node) {
        RunControl.Stop stop = control.requested();
        if ((stop == RunControl.Stop.CANCEL || stop == RunControl.Stop.TIMEOUT) && state.listener().stopping(stop, node)) {
            throw new RunStopped(stop, node.id());
        }
    }

    /**
     * Before a node starts: a cancel, a timeout or a confirmed pause ends the run here. A
     * pause the listener does not confirm yet is asked about again at the next node.
     */
    private static void stopIfAsked(RunControl.Stop stop, RunState state, PlannedNode next) {
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
