package io.weft.executor.nodes.human;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.weft.contracts.json.WeftJson;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Stands in for workflow-service's approvals in the send-and-wait tests: an approval opened gets two
 * fixed links, what was asked is kept in {@link #opened}, and it settles as {@link #outcome} says, decided by its link.
 */
public final class LinkedApprovals implements Approvals {
    public static final String APPROVE = "https://weft.example/approvals/respond/yes";
    public static final String REJECT = "https://weft.example/approvals/respond/no";

    public final List<ObjectNode> opened = new CopyOnWriteArrayList<>();
    public volatile String outcome = "pending";
    private final Instant expiresAt;

    public LinkedApprovals(Instant expiresAt) {
        this.expiresAt = expiresAt;
    }

    @Override
    public Approval open(String tenantId, ObjectNode request) {
        opened.add(request);
        ObjectNode view = request.deepCopy().put("id", "a-1").put("status", "pending");
        view.putObject("links").put("approve", APPROVE).put("reject", REJECT);
        return new Approval("a-1", "pending", Instant.parse(request.path("expiresAt").asText()), view);
    }

    @Override
    public Approval settle(String tenantId, String executionId, String nodeId) {
        ObjectNode view = WeftJson.mapper().createObjectNode().put("id", "a-1").put("status", outcome);
        view.putArray("decisions").addObject().put("decidedBy", "link").put("decision", "approve");
        return new Approval("a-1", outcome, expiresAt, view);
    }
}
