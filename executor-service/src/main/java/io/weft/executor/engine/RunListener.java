package io.weft.executor.engine;

import com.fasterxml.jackson.databind.JsonNode;
import io.weft.contracts.plan.PlannedNode;
import java.time.Instant;
import java.util.Map;

/**
 * Told about every node as the runner gets to it. Nodes of parallel branches report from their own
 * threads, so implementations must be thread-safe.
 */
public interface RunListener {
    RunListener NONE = new RunListener() {
    };

    default void nodeStarted(PlannedNode node, int attempt) {
    }

    /** An attempt failed and the node will be tried again after {@code delay}. */
    default void nodeRetrying(PlannedNode node, int failedAttempt, NodeFailure failure, java.time.Duration delay) {
    }

    /** After the outcome is decided (including skipped nodes); a checkpoint belongs here. */
    default void nodeFinished(PlannedNode node, NodeOutcome outcome) {
    }

    /**
     * The calls the node made in earlier attempts of the execution (an agent's model and tool calls),
     * by the keys the node gave them: the node replays them instead of calling again.
     */
    default Map<String, JsonNode> recordedCalls(PlannedNode node) {
        return Map.of();
    }

    /** A call of the node ended: the listener makes it durable before the node goes on (called on the node's thread). */
    default void callFinished(PlannedNode node, String key, JsonNode result) {
    }

    /**
     * Before a model call of the node: takes about {@code tokens} from the tenant's budget, or throws
     * a {@code QUOTA} {@link NodeFailure} when they do not fit (called on the node's thread).
     */
    default TokenReservation reserveTokens(PlannedNode node, long tokens) {
        return TokenReservation.NONE;
    }

    /** The node's attempt had a model answer, which counted these tokens (called on the node's thread). */
    default void tokensUsed(PlannedNode node, String provider, String model, long inputTokens, long outputTokens) {
    }

    /**
     * A piece of the text the node is producing for its input item {@code item} (a model's answer
     * as it streams), numbered from 1 per node and item; live only, never stored (called on the
     * node's thread; it must not hold the node up).
     */
    default void tokens(PlannedNode node, int item, int sequence, String text) {
    }

    /** A Respond to Webhook node set the webhook call's answer (the execution goes on). */
    default void webhookResponse(PlannedNode node, WebhookResponse response) {
    }

    /**
     * Nothing can run but nodes that wait, each until its time: the listener parks the execution
     * (checkpointing the nodes as waiting) until the earliest, {@code first}, which waits until a
     * time ({@code untilTime}) or for a while. Called on the runner's thread.
     */
    default void nodesWaiting(Map<PlannedNode, Instant> waits, PlannedNode first, boolean untilTime) {
    }

    /**
     * A command would stop the run before {@code next} starts: true to stop (the listener has made
     * it durable), false to go on (a pause that was withdrawn in the meantime).
     */
    default boolean stopping(RunControl.Stop stop, PlannedNode next) {
        return true;
    }
}
