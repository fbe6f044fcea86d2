package io.weft.workflow.approvals;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/**
 * An approval as the API shows it.
 *
 * @param status     {@code pending}, {@code approved}, {@code rejected}, {@code timed_out} (also a pending one past its time
 *                   limit, which the run settles when it wakes) or {@code cancelled} (its run ended without it)
 * @param decisions  who decided what, oldest first: {@code decidedBy}, {@code decision}, {@code comment}, {@code formValues}, {@code decidedAt}
 */
public record ApprovalView(String id, String executionId, String workflowId, String nodeId, String nodeName, String status, String message,
                           JsonNode approvers, int requiredApprovals, boolean allowSelfApproval, String requestedBy, JsonNode form,
                           Instant createdAt, Instant expiresAt, Instant decidedAt, JsonNode decisions) {

    boolean pending() {
        return "pending".equals(status);
    }
}
