package io.weft.executor.runs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Vertx;
import io.weft.contracts.events.ErrorKind;
import io.weft.contracts.events.ExecutionError;
import io.weft.contracts.events.ExecutionEvent;
import io.weft.contracts.events.ExecutionRequested;
import io.weft.contracts.json.WeftJson;
import io.weft.contracts.plan.ExecutionPlan;
import io.weft.contracts.plan.PlannedNode;
import io.weft.executor.engine.ExecutionOutcome;
import io.weft.executor.engine.Item;
import io.weft.executor.engine.NodeOutcome;
import io.weft.executor.engine.PlanRunner;
import io.weft.executor.engine.RunInput;
import io.weft.executor.engine.RunControl;
import io.weft.executor.engine.RunListener;
import io.weft.executor.engine.RunStopped;
import io.weft.executor.expressions.ExpressionEvaluator;
import io.weft.executor.nodes.NodeCatalog;
import io.weft.executor.nodes.NodeType;
import io.weft.executor.credentials.CredentialsClient;
import io.weft.executor.payloads.PayloadStore;
import io.weft.executor.sandbox.Sandbox;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Runs one requested execution to its end on the calling (worker) thread: takes its lease, fetches
 * the plan, resumes from checkpoints, checkpoints every node and publishes every transition, then
 * records the result. A second delivery of the same request finds the execution finished or leased
 * and does nothing.
 */
@ApplicationScoped
public class Executions {
    private static final Logger LOG = Logger.getLogger(Executions.class);
    private static final Duration STORE_TIMEOUT = Duration.ofSeconds(30);
    /** An answer rides on an event: it must fit Kafka's default message size with room to spare. */
    private static final int MAX_WEBHOOK_ANSWER_BYTES = 512 * 1024;

    private final ExecutionStore store;
    private final PlanClient plans;
    private final ExecutionEvents events;
    private final PlanRunner runner;
    private final NodeCatalog catalog;
    private final RunningExecutions running;
    private final int maxTakeovers;
    private final Vertx vertx;
    private final Clock clock;
    private final Duration leaseFor;
    private final String executorId = "executor-" + UUID.randomUUID();

    Executions(ExecutionStore store, PlanClient plans, ExecutionEvents events, NodeCatalog catalog, Sandbox sandbox,
               PayloadStore payloads, CredentialsClient credentials, RunningExecutions running, Vertx vertx, Clock clock, @ConfigProperty(name = "weft.executor.lease", defaultValue = "30s") Duration leaseFor,
               @ConfigProperty(name = "weft.executor.max-takeovers", defaultValue = "3") int maxTakeovers) {
        this.maxTakeovers = maxTakeovers;
        this.store = store;
        this.plans = plans;
        this.events = events;
        this.running = running;
        this.runner = new PlanRunner(catalog, new ExpressionEvaluator(), sandbox, payloads, credentials);
        this.catalog = catalog;
        this.vertx = vertx;
        this.clock = clock;
        this.leaseFor = leaseFor;
    }

    /**
     * Fails an execution that cannot go on (a poison execution, or one whose run broke in a way
     * the executor does not handle), unless another executor holds a live lease on it, and says
     * so on the events topic.
     */
    public void giveUp(ExecutionRequested request, ExecutionError error) {
        store.giveUp(request.executionId(), request.tenantId(), executorId, error).await().atMost(STORE_TIMEOUT).ifPresent(sequence -> {
            RunEvents published = new RunEvents(events, sequence - 1);
            published.publish(seq -> new ExecutionEvent.ExecutionFailed(eventId(), request.tenantId(), request.executionId(),
                    request.workflowId(), seq, 0, null, error, clock.instant()));
            published.await(STORE_TIMEOUT);
        });
    }

    public String executorId() {
        return executorId;
    }

    public void run(ExecutionRequested request) {
        RunControl control = running.start(request.tenantId(), request.executionId());
        if (control == null) {
            LOG.debugf("execution %s runs on this executor already; this delivery is a duplicate", request.executionId());
            return;
        }
        try {
            Optional<Lease> taken = store.take(request, executorId, leaseFor).await().atMost(STORE_TIMEOUT);
            if (taken.isEmpty()) {
                LOG.debugf("execution %s is finished or running elsewhere; this delivery is a duplicate", request.executionId());
                return;
            }
            run(request, taken.get(), control);
        } finally {
            running.end(request.executionId(), control);
        }
    }

    private void run(ExecutionRequested request, Lease lease, RunControl control) {
        if (lease.takeovers() > maxTakeovers) {
            giveUp(request, new ExecutionError(ErrorKind.INTERNAL, "the execution was stopped as a poison execution: its executor"
                    + " stopped while running it " + lease.takeovers() + " times; see its dead letter", false, null, null));
            throw new PoisonExecutionException(request.executionId(), lease.takeovers(), maxTakeovers);
        }
        RunEvents published = new RunEvents(events, lease.sequenceStart());
        Checkpointing checkpoints = new Checkpointing(request, lease, published);
        RunningExecutions.apply(lease.command(), control);
        long heartbeat = vertx.setPeriodic(Math.max(1000, leaseFor.toMillis() / 3), id -> store.renew(lease, leaseFor)
                .subscribe().with(command -> RunningExecutions.apply(command, control),
                        failure -> LOG.warnf("cannot renew the lease on %s: %s", lease.executionId(), failure.getMessage())));
        Instant started = clock.instant();
        long timeout = -1;
        try {
            if (control.requested() == RunControl.Stop.CANCEL) {
                cancelled(request, lease, published, control, checkpoints);
                published.await(STORE_TIMEOUT);
                return;
            }
            ExecutionPlan plan;
            try {
                plan = plans.plan(request.tenantId(), request.planHash()).await().atMost(STORE_TIMEOUT);
            } catch (PlanUnavailableException e) {
                fail(request, lease, published, started, null,
                        new ExecutionError(e.retryable() ? ErrorKind.CONNECTION : ErrorKind.INTERNAL, e.getMessage(), e.retryable(), null, null),
                        List.of());
                published.await(STORE_TIMEOUT);
                return;
            }
            ExecutionRequested asked = request;
            if (request.retryOf() != null && !lease.resumed()) {
                Retries.Prepared retry = Retries.prepare(store, request, lease, plan, STORE_TIMEOUT);
                if (retry.refusal() != null) {
                    fail(request, lease, published, started, null,
                            new ExecutionError(ErrorKind.INVALID_PARAMETERS, retry.refusal(), false, null, null), List.of());
                    published.await(STORE_TIMEOUT);
                    return;
                }
                asked = retry.request();
            } else if (request.retryOf() != null) {
                asked = Retries.resumed(store, request, STORE_TIMEOUT);
            }
            Map<String, NodeOutcome> finished = lease.resumed() || asked.startAtNodeId() != null
                    ? store.checkpoints(request.tenantId(), request.executionId(), STORE_TIMEOUT) : Map.of();
            published.publish(seq -> new ExecutionEvent.ExecutionStarted(eventId(), request.tenantId(), request.executionId(), request.workflowId(),
                    seq, request.workflowVersion(), request.planHash(), request.trigger(), executorId,
                    lease.resumed(), clock.instant()));
            ExecutionOutcome outcome;
            timeout = executionTimeout(plan, lease, control);
            try {
                outcome = runner.run(plan, input(asked, lease), finished, checkpoints, control);
            } catch (RunStopped stopped) {
                stopped(request, lease, published, control, checkpoints, plan, started, stopped);
                published.await(STORE_TIMEOUT);
                return;
            }
            if (outcome.succeeded()) {
                answerWebhook(request, plan, outcome, published);
                store.finish(lease, request.tenantId(), true, null, null, published.next(), checkpoints.unsaved()).await().atMost(STORE_TIMEOUT);
                published.publish(seq -> new ExecutionEvent.ExecutionSucceeded(eventId(), request.tenantId(), request.executionId(),
                        request.workflowId(), seq, Duration.between(started, clock.instant()).toMillis(),
                        Previews.of(lastOutput(plan, outcome)), clock.instant()));
            } else {
                NodeOutcome failed = outcome.node(outcome.failedNode());
                fail(request, lease, published, started, outcome.failedNode(), ExecutionStore.error(outcome.failedNode(), failed.error()),
                        checkpoints.unsaved());
            }
            published.await(STORE_TIMEOUT);
        } catch (LeaseLostException e) {
            LOG.warnf("%s; this executor stops working on it", e.getMessage());
        } finally {
            vertx.cancelTimer(heartbeat);
            if (timeout >= 0) {
                vertx.cancelTimer(timeout);
            }
        }
    }

    /** What a run that stopped before its end leaves: a cancelled, timed-out, parked or paused execution. */
    private void stopped(ExecutionRequested request, Lease lease, RunEvents published, RunControl control,
                         Checkpointing checkpoints, ExecutionPlan plan, Instant started, RunStopped stopped) {
        switch (stopped.stop()) {
            case CANCEL -> cancelled(request, lease, published, control, checkpoints);
            case TIMEOUT -> fail(request, lease, published, started, stopped.nextNodeId(), new ExecutionError(ErrorKind.TIMEOUT,
                    "the execution did not finish within its timeout of " + plan.settings().executionTimeoutMs() + " ms",
                    false, stopped.nextNodeId(), null), checkpoints.unsaved());
            case WAIT -> published.publish(seq -> new ExecutionEvent.ExecutionWaiting(eventId(), request.tenantId(),
                    request.executionId(), request.workflowId(), seq, stopped.nextNodeId(),
                    stopped.untilTime() ? ExecutionEvent.WaitReason.WAIT_UNTIL : ExecutionEvent.WaitReason.WAIT_DURATION,
                    stopped.resumeAt(), null, clock.instant()));
            case PAUSE -> published.publish(seq -> new ExecutionEvent.ExecutionWaiting(eventId(), request.tenantId(), request.executionId(),
                    request.workflowId(), seq, stopped.nextNodeId(), ExecutionEvent.WaitReason.PAUSED,
                    null, null, clock.instant()));
        }
    }

    /**
     * Arms the workflow's execution timeout, counted from when the execution was first taken
     * (waits and pauses count too); answers the timer, or -1 without a timeout.
     */
    private long executionTimeout(ExecutionPlan plan, Lease lease, RunControl control) {
        Long timeoutMs = plan.settings() == null ? null : plan.settings().executionTimeoutMs();
        if (timeoutMs == null || timeoutMs <= 0) {
            return -1;
        }
        long left = Duration.between(clock.instant(), lease.createdAt().plusMillis(timeoutMs)).toMillis();
        return vertx.setTimer(Math.max(1, left), id -> control.timeOut());
    }

    /** Who asked comes from the signal, or from the stored command when the cancel came through the database. */
    private void cancelled(ExecutionRequested request, Lease lease, RunEvents published, RunControl control,
                           Checkpointing checkpoints) {
        checkpoints.save();
        ExecutionCommands.Requested asked = store.cancel(lease, published.next()).await().atMost(STORE_TIMEOUT);
        boolean signalled = control.cancelledBy() != null;
        published.publish(seq -> new ExecutionEvent.ExecutionCancelled(eventId(), request.tenantId(), request.executionId(), request.workflowId(),
                seq, signalled ? control.cancelledBy() : asked.requestedBy(),
                signalled ? control.cancelReason() : asked.reason(), clock.instant()));
    }

    private void fail(ExecutionRequested request, Lease lease, RunEvents published, Instant started, String failedNode,
                      ExecutionError error, List<NodeOutcome> unsaved) {
        store.finish(lease, request.tenantId(), false, failedNode, error, published.next(), unsaved).await().atMost(STORE_TIMEOUT);
        published.publish(seq -> new ExecutionEvent.ExecutionFailed(eventId(), request.tenantId(), request.executionId(), request.workflowId(),
                seq, Duration.between(started, clock.instant()).toMillis(), failedNode, error, clock.instant()));
    }

    private RunInput input(ExecutionRequested request, Lease lease) {
        List<Item> items = new ArrayList<>();
        JsonNode data = request.triggerData();
        if (data != null && data.isArray()) {
            data.forEach(element -> items.add(Item.of(element.isObject() ? (ObjectNode) element.deepCopy()
                    : WeftJson.mapper().createObjectNode().set("value", element))));
        } else if (data != null && data.isObject()) {
            items.add(Item.of((ObjectNode) data.deepCopy()));
        }
        return new RunInput(request.tenantId(), request.executionId(), request.workflowId(), request.triggerNodeId(), items,
                WeftJson.mapper().createObjectNode(), clock, lease.attempt());
    }

    /**
     * A webhook whose trigger answers "when the last node finishes" gets the last output as its
     * answer, before the execution's end: one item's JSON, or an array of several; answers over
     * 512 KiB are refused with a 500 answer rather than cut.
     */
    private void answerWebhook(ExecutionRequested request, ExecutionPlan plan, ExecutionOutcome outcome, RunEvents published) {
        if (request.trigger() != io.weft.contracts.events.TriggerKind.WEBHOOK || request.triggerNodeId() == null) {
            return;
        }
        PlannedNode trigger = plan.nodes().stream().filter(node -> node.id().equals(request.triggerNodeId())).findFirst().orElse(null);
        if (trigger == null || trigger.parameters() == null
                || !"whenLastNodeFinishes".equals(trigger.parameters().path("respond").asText())) {
            return;
        }
        List<Item> last = lastOutput(plan, outcome);
        JsonNode body;
        if (last.isEmpty()) {
            body = null;
        } else if (last.size() == 1) {
            body = last.get(0).json();
        } else {
            com.fasterxml.jackson.databind.node.ArrayNode all = WeftJson.mapper().createArrayNode();
            last.forEach(item -> all.add(item.json()));
            body = all;
        }
        int status = 200;
        if (body != null && body.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8).length > MAX_WEBHOOK_ANSWER_BYTES) {
            status = 500;
            body = WeftJson.mapper().createObjectNode().put("message", "the workflow's answer is larger than 512 KiB");
        }
        int answerStatus = status;
        JsonNode answer = body;
        published.publish(seq -> new ExecutionEvent.WebhookResponded(eventId(), request.tenantId(), request.executionId(),
                request.workflowId(), seq, trigger.id(), answerStatus, Map.of(), answer, answer == null ? null : "application/json",
                clock.instant()));
    }

    /** The output of the last node in plan order that produced any. */
    private static List<Item> lastOutput(ExecutionPlan plan, ExecutionOutcome outcome) {
        for (int i = plan.nodes().size() - 1; i >= 0; i--) {
            NodeOutcome node = outcome.node(plan.nodes().get(i).id());
            if (node != null && node.output() != null && !node.output().all().isEmpty()) {
                return node.output().all();
            }
        }
        return List.of();
    }

    private static String eventId() {
        return UUID.randomUUID().toString();
    }

    /**
     * Checkpoints each decided node and tells the world. A node that reaches the outside world
     * (a blocking node type: HTTP, scripts, time) is saved at once, with everything decided before
     * it, because running it again would repeat what it did; pure nodes run in microseconds and are
     * saved with the next such write, before the next blocking node starts, or with the
     * execution's end, so that a run of pure nodes costs one statement instead of one per node.
     */
    private final class Checkpointing implements RunListener {
        private final ExecutionRequested request;
        private final Lease lease;
        private final RunEvents published;
        private final List<NodeOutcome> unsaved = new ArrayList<>();

        Checkpointing(ExecutionRequested request, Lease lease, RunEvents published) {
            this.request = request;
            this.lease = lease;
            this.published = published;
        }

        /** Saves what is not saved yet; a lease lost in the meantime stops the run. */
        void save() {
            store.checkpoint(lease, request.tenantId(), unsaved(), lease.attempt()).await().atMost(STORE_TIMEOUT);
        }

        /** Hands over (and forgets) the outcomes not saved yet, for a write that saves them with something else. */
        synchronized List<NodeOutcome> unsaved() {
            List<NodeOutcome> taken = List.copyOf(unsaved);
            unsaved.clear();
            return taken;
        }

        private boolean reachesOutside(PlannedNode node) {
            return catalog.find(node.type(), node.typeVersion()).map(NodeType::blocking).orElse(false);
        }

        @Override
        public void nodeStarted(PlannedNode node, int attempt) {
            if (reachesOutside(node)) {
                save();
            }
            published.publish(seq -> new ExecutionEvent.NodeStarted(eventId(), request.tenantId(), request.executionId(), request.workflowId(),
                    seq, node.id(), node.name(), node.type(), attempt,
                    request.tenantId() + ":" + request.executionId() + ":" + node.id() + ":" + attempt, clock.instant()));
        }

        @Override
        public void nodeRetrying(PlannedNode node, int failedAttempt, io.weft.executor.engine.NodeFailure failure, Duration delay) {
            published.publish(seq -> new ExecutionEvent.NodeRetrying(eventId(), request.tenantId(), request.executionId(), request.workflowId(),
                    seq, node.id(), node.name(), failedAttempt, clock.instant().plus(delay),
                    ExecutionStore.error(node.id(), failure), clock.instant()));
        }

        @Override
        public void webhookResponse(PlannedNode node, io.weft.executor.engine.WebhookResponse response) {
            published.publish(seq -> new ExecutionEvent.WebhookResponded(eventId(), request.tenantId(), request.executionId(),
                    request.workflowId(), seq, node.id(), response.statusCode(), response.headers(), response.body(),
                    response.contentType(), clock.instant()));
        }

        @Override
        public void nodesWaiting(Map<PlannedNode, Instant> waits) {
            Map<String, Instant> byId = new java.util.LinkedHashMap<>();
            waits.forEach((node, resumeAt) -> byId.put(node.id(), resumeAt));
            save();
            store.park(lease, byId, lease.attempt()).await().atMost(STORE_TIMEOUT);
        }

        /** A cancel or a timeout always stops the run; a pause only if it is still pending in the database (not withdrawn by a resume). */
        @Override
        public boolean stopping(RunControl.Stop stop, PlannedNode next) {
            if (stop != RunControl.Stop.PAUSE) {
                return true;
            }
            save();
            return store.pause(lease).await().atMost(STORE_TIMEOUT);
        }

        @Override
        public void nodeFinished(PlannedNode node, NodeOutcome outcome) {
            int attempt = lease.attempt();
            synchronized (this) {
                unsaved.add(outcome);
            }
            boolean ran = outcome.status() != NodeOutcome.Status.SKIPPED && outcome.status() != NodeOutcome.Status.PASSED_THROUGH;
            if (ran && reachesOutside(node)) {
                save();
            }
            long took = Duration.ofNanos(outcome.durationNanos()).toMillis();
            switch (outcome.status()) {
                case SUCCEEDED, PASSED_THROUGH -> published.publish(seq -> new ExecutionEvent.NodeSucceeded(eventId(), request.tenantId(),
                        request.executionId(), request.workflowId(), seq, node.id(), node.name(), attempt,
                        took, outcome.output().all().size(), Previews.of(outcome.output().all()),
                        "checkpoint:" + request.executionId() + "/" + node.id(), Previews.console(outcome.console()), clock.instant()));
                case FAILED, FAILED_HANDLED -> published.publish(seq -> new ExecutionEvent.NodeFailed(eventId(), request.tenantId(),
                        request.executionId(), request.workflowId(), seq, node.id(), node.name(), attempt,
                        took, ExecutionStore.error(node.id(), outcome.error()), handling(node, outcome),
                        Previews.console(outcome.console()), clock.instant()));
                case SKIPPED -> {
                    // decided without running: checkpointed so a resumed run does not decide it again, no event
                }
            }
        }

        private ExecutionEvent.FailureHandling handling(PlannedNode node, NodeOutcome outcome) {
            if (outcome.status() == NodeOutcome.Status.FAILED) {
                return ExecutionEvent.FailureHandling.FAIL_EXECUTION;
            }
            return switch (node.policy().onError()) {
                case CONTINUE -> ExecutionEvent.FailureHandling.CONTINUE;
                case ROUTE_TO_ERROR_OUTPUT -> ExecutionEvent.FailureHandling.ROUTE_TO_ERROR_OUTPUT;
                case FAIL_EXECUTION -> ExecutionEvent.FailureHandling.FAIL_EXECUTION;
            };
        }
    }
}
