package io.weft.executor.subworkflows;

import io.weft.contracts.events.ErrorKind;
import io.weft.contracts.plan.ExecutionPlan;
import io.weft.executor.engine.Item;
import io.weft.executor.engine.NodeFailure;
import io.weft.executor.engine.NodeOutcome;
import io.weft.executor.runs.ExecutionStore;
import io.weft.executor.runs.PlanClient;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Waits for a run another node started to end, in the executors' own database (whichever executor
 * runs it), and reads its result: the items of the last node of its plan that put out any — what
 * the run's {@code ExecutionSucceeded} previews. Blocking: nodes run on virtual threads.
 */
@ApplicationScoped
public class FinishedRuns {
    private static final Duration QUERY_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration FIRST_LOOK = Duration.ofMillis(50);
    private static final Duration LONGEST_LOOK = Duration.ofSeconds(1);

    private final ExecutionStore store;
    private final PlanClient plans;

    FinishedRuns(ExecutionStore store, PlanClient plans) {
        this.store = store;
        this.plans = plans;
    }

    /**
     * The run's result items once it succeeded; a {@link NodeFailure} when it failed or was cancelled
     * (its own error kind and message), or when it has not ended within {@code within} ({@code TIMEOUT}).
     */
    public List<Item> await(String tenantId, String executionId, Duration within) {
        long deadline = System.nanoTime() + within.toNanos();
        Duration look = FIRST_LOOK;
        while (true) {
            Optional<ExecutionStore.Ended> ended = store.ended(tenantId, executionId, QUERY_TIMEOUT);
            if (ended.isPresent()) {
                return result(tenantId, executionId, ended.get());
            }
            if (System.nanoTime() >= deadline) {
                throw new NodeFailure(ErrorKind.TIMEOUT, false, "run " + executionId + " did not end within " + within.toMillis()
                        + " ms (it goes on; this node stops waiting for it)");
            }
            try {
                Thread.sleep(look);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new NodeFailure(ErrorKind.CANCELLED, false, "stopped while waiting for run " + executionId + " (it goes on)");
            }
            look = look.multipliedBy(2).compareTo(LONGEST_LOOK) > 0 ? LONGEST_LOOK : look.multipliedBy(2);
        }
    }

    private List<Item> result(String tenantId, String executionId, ExecutionStore.Ended ended) {
        if ("cancelled".equals(ended.status())) {
            throw new NodeFailure(ErrorKind.CANCELLED, false, "run " + executionId + " was cancelled");
        }
        if ("failed".equals(ended.status())) {
            ErrorKind kind = ended.error() == null ? ErrorKind.INTERNAL : ended.error().kind();
            String message = ended.error() == null ? "it failed" : ended.error().message();
            throw new NodeFailure(kind, false, "run " + executionId + " failed"
                    + (ended.error() != null && ended.error().nodeId() != null ? " at node " + ended.error().nodeId() : "") + ": " + message);
        }
        ExecutionPlan plan = plans.plan(tenantId, ended.planHash()).await().atMost(QUERY_TIMEOUT);
        Map<String, NodeOutcome> outcomes = store.checkpoints(tenantId, executionId, QUERY_TIMEOUT);
        for (int i = plan.nodes().size() - 1; i >= 0; i--) {
            NodeOutcome node = outcomes.get(plan.nodes().get(i).id());
            if (node != null && node.output() != null && !node.output().all().isEmpty()) {
                return node.output().all();
            }
        }
        return List.of();
    }
}
