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
import io.weft.executor.ai.TokenBudgets;
import io.weft.executor.streaming.TokenPublisher;
import io.weft.executor.engine.ExecutionOutcome;
import io.weft.executor.engine.Item;
import io.weft.executor.engine.NodeOutcome;
import io.weft.executor.engine.PlanRunner;
import io.weft.executor.engine.RunInput;
import io.weft.executor.engine.RunControl;
import io.weft.executor.engine.RunStopped;
import io.weft.executor.expressions.ExpressionEvaluator;
import io.weft.executor.nodes.NodeCatalog;
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
 * Runs one requested execution to its end on the calling (worker) thread: takes its lease, publishes
 * what a crashed previous run left in the outbox, fetches the plan, resumes from checkpoints,
 * checkpoints and tells every node through its {@link RunJournal}, then records the result. A second delivery of the same request finds the execution finished or leased
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
    private final EventOutbox outbox;
    private final PlanRunner runner;
    private final NodeCalls calls;
    private final TokenBudgets budgets;
    private final TokenPublisher tokens;
    private final NodeCatalog catalog;
    private final RunningExecutions running;
    private final int maxTakeovers;
    private final Vertx vertx;
    private final Clock clock;
    private final Duration leaseFor;
    private final String executorId = "executor-" + UUID.randomUUID();

    Executions(ExecutionStore store, PlanClient plans, EventOutbox outbox, NodeCalls calls, TokenBudgets budgets, TokenPublisher tokens,
               NodeCatalog catalog, Sandbox sandbox, PayloadStore payloads, CredentialsClient credentials, RunningExecutions running, Vertx vertx, Clock clock,
               @ConfigProperty(name = "weft.executor.lease", defaultValue = "30s") Duration leaseFor,
               @ConfigProperty(name = "weft.executor.max-takeovers", defaultValue = "3") int maxTakeovers) {
        this.maxTakeovers = maxTakeovers;
        this.store = store;
        this.calls = calls;
        this.budgets = budgets;
        this.tokens = tokens;
        this.plans = plans;
        this.outbox = outbox;
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
        List<ExecutionEvent> told = new ArrayList<>();
        boolean failed = store.giveUp(request.executionId(), request.tenantId(), executorId, error, sequence -> {
            ExecutionEvent event = new ExecutionEvent.ExecutionFailed(eventId(), request.tenantId(), request.executionId(),
                    request.workflowId(), sequence, 0, null, error, List.of(), clock.instant());
            told.add(event);
            return outbox.encode(event);
        }).await().atMost(STORE_TIMEOUT);
        if (failed) {
            told.forEach(event -> outbox.publish(event).orTimeout(STORE_TIMEOUT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS)
                    .exceptionally(e -> null).join());
        }
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
        if (lease.resumed()) {
            outbox.publishPending(request.executionId());
        }
        RunJournal journal = new RunJournal(request, lease, store, outbox, calls, budgets, tokens, catalog, clock);
        RunningExecutions.apply(lease.command(), control);
        long heartbeat = vertx.setPeriodic(Math.max(1000, leaseFor.toMillis() / 3), id -> store.renew(lease, leaseFor)
                .subscribe().with(command -> RunningExecutions.apply(command, control),
                        failure -> LOG.warnf("cannot renew the lease on %s: %s", lease.executionId(), failure.getMessage())));
        Instant started = clock.instant();
        long timeout = -1;
        try {
            if (control.requested() == RunControl.Stop.CANCEL) {
                journal.cancelled(control);
                journal.await();
                return;
            }
            ExecutionPlan plan;
            try {
                plan = plans.plan(request.tenantId(), request.planHash()).await().atMost(STORE_TIMEOUT);
            } catch (PlanUnavailableException e) {
                fail(request, journal, started, null,
                        new ExecutionError(e.retryable() ? ErrorKind.CONNECTION : ErrorKind.INTERNAL, e.getMessage(), e.retryable(), null, null));
                journal.await();
                return;
            }
            ExecutionRequested asked = request;
            if (request.retryOf() != null && !lease.resumed()) {
                Retries.Prepared retry = Retries.prepare(store, request, lease, plan, STORE_TIMEOUT);
                if (retry.refusal() != null) {
                    fail(request, journal, started, null,
                            new ExecutionError(ErrorKind.INVALID_PARAMETERS, retry.refusal(), false, null, null));
                    journal.await();
                    return;
                }
                asked = retry.request();
            } else if (request.retryOf() != null) {
                asked = Retries.resumed(store, request, STORE_TIMEOUT);
            }
            Map<String, NodeOutcome> finished = lease.resumed() || asked.startAtNodeId() != null
                    ? store.checkpoints(request.tenantId(), request.executionId(), STORE_TIMEOUT) : Map.of();
            journal.started(executorId, lease.resumed());
            ExecutionOutcome outcome;
            timeout = executionTimeout(plan, lease, control);
            try {
                outcome = runner.run(plan, input(asked, lease), finished, journal, control);
            } catch (RunStopped stopped) {
                stopped(request, journal, control, plan, started, stopped);
                journal.await();
                return;
            }
            if (outcome.succeeded()) {
                answerWebhook(request, plan, outcome, journal);
                long took = Duration.between(started, clock.instant()).toMillis();
                JsonNode preview = Previews.of(lastOutput(plan, outcome));
                journal.finish(null, null, (seq, nodes) -> new ExecutionEvent.ExecutionSucceeded(eventId(), request.tenantId(),
                        request.executionId(), request.workflowId(), seq, took, preview, nodes, clock.instant()));
            } else {
                NodeOutcome failed = outcome.node(outcome.failedNode());
                fail(request, journal, started, outcome.failedNode(), ExecutionStore.error(outcome.failedNode(), failed.error()));
            }
            journal.await();
        } catch (LeaseLostException e) {
            LOG.warnf("%s; this executor stops working on it", e.getMessage());
        } finally {
            vertx.cancelTimer(heartbeat);
            if (timeout >= 0) {
                vertx.cancelTimer(timeout);
            }
        }
    }

    /**
     * What a run that stopped before its end leaves: a cancelled or timed-out execution (a parked or
     * paused one was stored and told by the journal as it stopped).
     */
    private void stopped(ExecutionRequested request, RunJournal journal, RunControl control, ExecutionPlan plan, Instant started,
                         RunStopped stopped) {
        switch (stopped.stop()) {
            case CANCEL -> journal.cancelled(control);
            case TIMEOUT -> fail(request, journal, started, stopped.nextNodeId(), new ExecutionError(ErrorKind.TIMEOUT,
                    "the execution did not finish within its timeout of " + plan.settings().executionTimeoutMs() + " ms",
                    false, stopped.nextNodeId(), null));
            case WAIT, PAUSE -> {
            }
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

    private void fail(ExecutionRequested request, RunJournal journal, Instant started, String failedNode, ExecutionError error) {
        long took = Duration.between(started, clock.instant()).toMillis();
        journal.finish(failedNode, error, (seq, nodes) -> new ExecutionEvent.ExecutionFailed(eventId(), request.tenantId(),
                request.executionId(), request.workflowId(), seq, took, failedNode, error, nodes, clock.instant()));
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
                WeftJson.mapper().createObjectNode(), clock, lease.attempt(), request.depth());
    }

    /**
     * A webhook whose trigger answers "when the last node finishes" gets the last output as its
     * answer, before the execution's end: one item's JSON, or an array of several; answers over
     * 512 KiB are refused with a 500 answer rather than cut.
     */
    private void answerWebhook(ExecutionRequested request, ExecutionPlan plan, ExecutionOutcome outcome, RunJournal journal) {
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
        journal.webhookAnswered(seq -> new ExecutionEvent.WebhookResponded(eventId(), request.tenantId(), request.executionId(),
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
}
