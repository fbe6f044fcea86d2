package io.weft.executor.nodes.human;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;

/** Where approvals live (workflow-service): asked to open one for a node of a run, and for its outcome. */
public interface Approvals {

    /** What workflow-service says of an approval: {@code pending}, {@code approved}, {@code rejected}, {@code timed_out}, {@code cancelled}. */
    record Approval(String id, String status, Instant expiresAt, JsonNode view) {
    }

    /** Opens the approval of the node in this run, or answers the one it opened before (the same for every attempt). */
    Approval open(String tenantId, ObjectNode request);

    /** Its outcome; still pending past its time limit, it is settled as timed out there and then (a decision that came first wins). */
    Approval settle(String tenantId, String executionId, String nodeId);
}
