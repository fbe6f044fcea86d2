package io.weft.workflow.executions;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;

/** One execution as the API shows it: what it is, where it stands, and each node it reached. */
public record ExecutionView(@JsonUnwrapped Summary execution, List<Node> nodes) {

    /**
     * @param status  queued, running, waiting, paused, succeeded, failed or cancelled
     * @param waiting while waiting or paused: the node, the reason and (for a wait) when it ends
     * @param retryOf for a retry: the execution it retries
     */
    public record Summary(String id, String workflowId, Integer workflowVersion, String planHash, String trigger, String status,
                          String requestedBy, Instant createdAt, Instant startedAt, Instant finishedAt, Long durationMs,
                          String failedNodeId, JsonNode error, JsonNode waiting, JsonNode outputPreview, String retryOf) {
    }

    /** @param status running, retrying, succeeded or failed */
    public record Node(String nodeId, String name, String type, String status, int attempts, Instant startedAt, Instant finishedAt,
                       Long durationMs, Integer itemCount, JsonNode error, JsonNode outputPreview) {
    }
}
