package io.weft.executor.runs;

import com.fasterxml.jackson.databind.JsonNode;
import io.weft.contracts.events.ExecutionError;
import io.weft.contracts.events.ExecutionEvent;
import io.weft.contracts.events.ExecutionRequested;
import io.weft.contracts.events.ModelUsage;
import io.weft.contracts.events.NodeTransition;
import io.weft.contracts.live.TokenChunk;
import io.weft.contracts.plan.PlannedNode;
import io.weft.executor.ai.TokenBudgets;
import io.weft.executor.engine.NodeFailure;
import io.weft.executor.engine.NodeOutcome;
import io.weft.executor.engine.RunControl;
import io.weft.executor.engine.RunListener;
import io.weft.executor.engine.TokenReservation;
import io.weft.executor.engine.WebhookResponse;
import io.weft.executor.nodes.NodeCatalog;
import io.weft.executor.nodes.NodeType;
import io.weft.executor.streaming.TokenPublisher;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * What one run checkpoints and tells. Node outcomes and the transitions that describe them are
 * gathered and written together — checkpoints, and events in the outbox — in one statement per
 * flush, then the events are handed to Kafka (contract v2: one event per flush, not one per
 * transition). A node that reaches the outside world (a blocking node type: HTTP, scripts, time) is
 * flushed as running when it starts, with everything decided before it: running it again would
 * repeat what it did, and live views must see it running while it waits. Pure nodes run in
 * microseconds and travel with the next flush, so a run of pure nodes costs one statement and one
 * event at its end. Every write that commits events also numbers and sends them under this
 * journal's lock, so that Kafka gets one execution's events in the order of their sequence.
 */
final class RunJournal implements RunListener {
    private static final Duration STORE_TIMEOUT = Duration.ofSeconds(30);
    /** A batch of transitions larger than this (estimated) is split over several events; Kafka takes 1 MB a message. */
    private static final int MAX_BATCH_CHARS = 256 * 1024;

    private final ExecutionRequested request;
    private final Lease lease;
    private final ExecutionStore store;
    private final EventOutbox outbox;
    private final NodeCalls calls;
    private final TokenBudgets budgets;
    private final TokenPublisher tokens;
    private final NodeCatalog catalog;
    private final Clock clock;
    private final RunEvents events;
    private final List<NodeOutcome> unsaved = new ArrayList<>();
    private final List<NodeTransition> untold = new ArrayList<>();
    private final Map<String, Instant> starts = new ConcurrentHashMap<>();
    /** By node: the tokens of its attempt under way, told with the attempt's end. */
    private final Map<String, Map<String, ModelUsage>> usage = new HashMap<>();
    private ExecutionEvent started;

    RunJournal(ExecutionRequested request, Lease lease, ExecutionStore store, EventOutbox outbox, NodeCalls calls,
               TokenBudgets budgets, TokenPublisher tokens, NodeCatalog catalog, Clock clock) {
        this.tokens = tokens;
        this.calls = calls;
        this.budgets = budgets;
        this.request = request;
        this.lease = lease;
        this.store = store;
        this.outbox = outbox;
        this.catalog = catalog;
        this.clock = clock;
        this.events = new RunEvents(outbox, lease.sequenceStart());
    }

    /**
     * The run's {@code ExecutionStarted}: numbered now, before any other event of the run, and told
     * with the run's first flush (a webhook's answer, which is not stored, may reach Kafka before it).
     */
    synchronized void started(String executorId, boolean resumed) {
        started = events.number(seq -> new ExecutionEvent.ExecutionStarted(eventId(), request.tenantId(), request.executionId(),
                request.workflowId(), seq, request.workflowVersion(), request.planHash(), request.trigger(), executorId, resumed,
                clock.instant()));
    }

    /** Saves and tells what is not saved or told yet; a lease lost in the meantime stops the run. */
    synchronized void flush() {
        List<NodeTransition> transitions = takeUntold();
        List<ExecutionEvent> told = new ArrayList<>(openingEvents());
        for (List<NodeTransition> batch : batches(transitions)) {
            told.add(events.number(seq -> new ExecutionEvent.NodesProgressed(eventId(), request.tenantId(), request.executionId(),
                    request.workflowId(), seq, batch, clock.instant())));
        }
        store.checkpoint(lease, request.tenantId(), takeUnsaved(), lease.attempt(), encode(told)).await().atMost(STORE_TIMEOUT);
        events.send(told);
    }

    /** Ends the run: saves what is left with the execution's end and tells it with the terminal event. */
    synchronized void finish(String failedNode, ExecutionError error, Terminal terminal) {
        List<ExecutionEvent> told = endingEvents(terminal);
        store.finish(lease, request.tenantId(), error == null, failedNode, error, events.next(), takeUnsaved(), encode(told))
                .await().atMost(STORE_TIMEOUT);
        events.send(told);
    }

    /** Ends the run as cancelled; who asked and why come from {@code control}, or from the stored command. */
    synchronized void cancelled(RunControl control) {
        flush();
        List<ExecutionEvent> told = new ArrayList<>();
        store.cancel(lease, request.tenantId(), events.next(), asked -> {
            boolean signalled = control.cancelledBy() != null;
            told.add(events.number(seq -> new ExecutionEvent.ExecutionCancelled(eventId(), request.tenantId(), request.executionId(),
                    request.workflowId(), seq, signalled ? control.cancelledBy() : asked.requestedBy(),
                    signalled ? control.cancelReason() : asked.reason(), List.of(), clock.instant())));
            return encode(told);
        }).await().atMost(STORE_TIMEOUT);
        events.send(told);
    }

    @Override
    public Map<String, JsonNode> recordedCalls(PlannedNode node) {
        return calls.of(request.executionId(), node.id()).await().atMost(STORE_TIMEOUT);
    }

    /** Not under the journal's lock: a call's record is its own statement, and other nodes' flushes need not wait for it. */
    @Override
    public void callFinished(PlannedNode node, String key, JsonNode result) {
        calls.record(lease, node.id(), key, result).await().atMost(STORE_TIMEOUT);
    }

    /** Live only, and not under the journal's lock: a chunk is published as it comes and never stored. */
    @Override
    public void tokens(PlannedNode node, int item, int sequence, String text) {
        tokens.publish(request.tenantId(), request.executionId(), new TokenChunk(node.id(), item, sequence, text));
    }

    /** A webhook's answer goes out at once (someone is waiting for it) and is not stored: a resumed run answers again. */
    @Override
    public synchronized void webhookResponse(PlannedNode node, WebhookResponse response) {
        ExecutionEvent answer = events.number(seq -> new ExecutionEvent.WebhookResponded(eventId(), request.tenantId(),
                request.executionId(), request.workflowId(), seq, node.id(), response.statusCode(), response.headers(), response.body(),
                response.contentType(), clock.instant()));
        events.sendUnstored(answer);
    }

    /** Same, for an answer the runner makes of the last node's output. */
    synchronized void webhookAnswered(Function<Long, ExecutionEvent> answer) {
        events.sendUnstored(events.number(answer::apply));
    }

    void await() {
        events.await(STORE_TIMEOUT);
    }

    /** The sequence the next event of this run will have. */
    long nextSequence() {
        return events.next();
    }

    @Override
    public void nodeStarted(PlannedNode node, int attempt) {
        Instant at = clock.instant();
        starts.put(node.id(), at);
        if (reachesOutside(node)) {
            synchronized (this) {
                untold.add(NodeTransition.running(node.id(), node.name(), node.type(), attempt, idempotencyKey(node, attempt), at));
                flush();
            }
        }
    }

    /** The node waits for its next attempt: told at once, as it holds the run for a while. */
    @Override
    public synchronized void nodeRetrying(PlannedNode node, int failedAttempt, NodeFailure failure, Duration delay) {
        Instant now = clock.instant();
        Instant began = starts.getOrDefault(node.id(), now);
        untold.add(new NodeTransition(node.id(), node.name(), node.type(), NodeTransition.Status.RETRYING, failedAttempt,
                idempotencyKey(node, failedAttempt), began, now, Duration.between(began, now).toMillis(), null, null, null,
                ExecutionStore.error(node.id(), failure), null, now.plus(delay), List.of(), takeUsage(node)));
        flush();
    }

    @Override
    public void nodeFinished(PlannedNode node, NodeOutcome outcome) {
        int attempt = lease.attempt();
        boolean ran = outcome.status() != NodeOutcome.Status.SKIPPED && outcome.status() != NodeOutcome.Status.PASSED_THROUGH;
        synchronized (this) {
            unsaved.add(outcome);
            NodeTransition transition = transition(node, outcome, attempt);
            if (transition != null) {
                untold.add(transition);
            }
            if (ran && reachesOutside(node)) {
                flush();
            }
        }
    }

    @Override
    public synchronized void nodesWaiting(Map<PlannedNode, Instant> waits, PlannedNode first, boolean untilTime) {
        flush();
        Map<String, Instant> byId = new java.util.LinkedHashMap<>();
        waits.forEach((node, resumeAt) -> byId.put(node.id(), resumeAt));
        List<ExecutionEvent> told = List.of(events.number(seq -> new ExecutionEvent.ExecutionWaiting(eventId(), request.tenantId(),
                request.executionId(), request.workflowId(), seq, first.id(),
                untilTime ? ExecutionEvent.WaitReason.WAIT_UNTIL : ExecutionEvent.WaitReason.WAIT_DURATION, waits.get(first), null,
                List.of(), clock.instant())));
        store.park(lease, request.tenantId(), byId, lease.attempt(), encode(told)).await().atMost(STORE_TIMEOUT);
        events.send(told);
    }

    /** A cancel or a timeout always stops the run; a pause only if it is still pending in the database (not withdrawn by a resume). */
    @Override
    public synchronized boolean stopping(RunControl.Stop stop, PlannedNode next) {
        if (stop != RunControl.Stop.PAUSE) {
            return true;
        }
        flush();
        // numbered even when the pause was withdrawn: a gap in the sequence is harmless
        ExecutionEvent paused = events.number(seq -> new ExecutionEvent.ExecutionWaiting(eventId(), request.tenantId(),
                request.executionId(), request.workflowId(), seq, next.id(), ExecutionEvent.WaitReason.PAUSED, null, null, List.of(),
                clock.instant()));
        boolean stops = store.pause(lease, request.tenantId(), encode(List.of(paused))).await().atMost(STORE_TIMEOUT);
        if (stops) {
            events.send(List.of(paused));
        }
        return stops;
    }

    /** Makes the run's terminal event, which carries the transitions of the last flush. */
    interface Terminal {
        ExecutionEvent make(long sequence, List<NodeTransition> nodes);
    }

    private List<ExecutionEvent> endingEvents(Terminal terminal) {
        List<ExecutionEvent> told = new ArrayList<>(openingEvents());
        List<List<NodeTransition>> batches = batches(takeUntold());
        for (int i = 0; i < batches.size() - 1; i++) {
            List<NodeTransition> batch = batches.get(i);
            told.add(events.number(seq -> new ExecutionEvent.NodesProgressed(eventId(), request.tenantId(), request.executionId(),
                    request.workflowId(), seq, batch, clock.instant())));
        }
        List<NodeTransition> last = batches.isEmpty() ? List.of() : batches.get(batches.size() - 1);
        told.add(events.number(seq -> terminal.make(seq, last)));
        return told;
    }

    private List<ExecutionEvent> openingEvents() {
        if (started == null) {
            return List.of();
        }
        ExecutionEvent opening = started;
        started = null;
        return List.of(opening);
    }

    private List<NodeTransition> takeUntold() {
        List<NodeTransition> taken = List.copyOf(untold);
        untold.clear();
        return taken;
    }

    private List<NodeOutcome> takeUnsaved() {
        List<NodeOutcome> taken = List.copyOf(unsaved);
        unsaved.clear();
        return taken;
    }

    /** The transitions in batches small enough for one Kafka message each (almost always one batch). */
    private static List<List<NodeTransition>> batches(List<NodeTransition> transitions) {
        List<List<NodeTransition>> batches = new ArrayList<>();
        List<NodeTransition> batch = new ArrayList<>();
        int chars = 0;
        for (NodeTransition transition : transitions) {
            int size = estimatedChars(transition);
            if (!batch.isEmpty() && chars + size > MAX_BATCH_CHARS) {
                batches.add(batch);
                batch = new ArrayList<>();
                chars = 0;
            }
            batch.add(transition);
            chars += size;
        }
        if (!batch.isEmpty()) {
            batches.add(batch);
        }
        return batches;
    }

    private static int estimatedChars(NodeTransition transition) {
        int chars = 600;
        if (transition.outputPreview() != null) {
            chars += transition.outputPreview().toString().length();
        }
        if (transition.error() != null && transition.error().message() != null) {
            chars += transition.error().message().length() * 2;
        }
        for (var line : transition.console()) {
            chars += line.line().length() + 40;
        }
        return chars * 2;
    }

    private NodeTransition transition(PlannedNode node, NodeOutcome outcome, int attempt) {
        Instant now = clock.instant();
        long took = Duration.ofNanos(outcome.durationNanos()).toMillis();
        Instant began = starts.getOrDefault(node.id(), now.minusMillis(took));
        String key = idempotencyKey(node, attempt);
        return switch (outcome.status()) {
            case SUCCEEDED, PASSED_THROUGH -> new NodeTransition(node.id(), node.name(), node.type(), NodeTransition.Status.SUCCEEDED,
                    attempt, key, began, now, took, outcome.output().all().size(), Previews.of(outcome.output().all()),
                    "checkpoint:" + request.executionId() + "/" + node.id(), null, null, null, Previews.console(outcome.console()),
                    takeUsage(node));
            case FAILED, FAILED_HANDLED -> new NodeTransition(node.id(), node.name(), node.type(), NodeTransition.Status.FAILED,
                    attempt, key, began, now, took, null, null, null, ExecutionStore.error(node.id(), outcome.error()),
                    handling(node, outcome), null, Previews.console(outcome.console()), takeUsage(node));
            // decided without running: checkpointed so that a resumed run does not decide it again, not told
            case SKIPPED, WAITING -> null;
        };
    }

    @Override
    public TokenReservation reserveTokens(PlannedNode node, long tokens) {
        Long budget = request.llmTokensPerMonth();
        return budget == null ? TokenReservation.NONE : budgets.reserve(request.tenantId(), budget, tokens);
    }

    @Override
    public synchronized void tokensUsed(PlannedNode node, String provider, String model, long inputTokens, long outputTokens) {
        usage.computeIfAbsent(node.id(), id -> new LinkedHashMap<>())
                .merge(provider + "/" + model, new ModelUsage(provider, model, inputTokens, outputTokens, 1),
                        (counted, more) -> counted.plus(more.inputTokens(), more.outputTokens()));
    }

    /** The model calls of the node's attempt that ends now, each provider and model once. */
    private List<ModelUsage> takeUsage(PlannedNode node) {
        Map<String, ModelUsage> counted = usage.remove(node.id());
        return counted == null ? List.of() : List.copyOf(counted.values());
    }

    private static ExecutionEvent.FailureHandling handling(PlannedNode node, NodeOutcome outcome) {
        if (outcome.status() == NodeOutcome.Status.FAILED) {
            return ExecutionEvent.FailureHandling.FAIL_EXECUTION;
        }
        return switch (node.policy().onError()) {
            case CONTINUE -> ExecutionEvent.FailureHandling.CONTINUE;
            case ROUTE_TO_ERROR_OUTPUT -> ExecutionEvent.FailureHandling.ROUTE_TO_ERROR_OUTPUT;
            case FAIL_EXECUTION -> ExecutionEvent.FailureHandling.FAIL_EXECUTION;
        };
    }

    private String idempotencyKey(PlannedNode node, int attempt) {
        return request.tenantId() + ":" + request.executionId() + ":" + node.id() + ":" + attempt;
    }

    private boolean reachesOutside(PlannedNode node) {
        return catalog.find(node.type(), node.typeVersion()).map(NodeType::blocking).orElse(false);
    }

    private List<EventOutbox.Encoded> encode(List<ExecutionEvent> told) {
        return told.stream().map(outbox::encode).toList();
    }

    private static String eventId() {
        return UUID.randomUUID().toString();
    }
}
