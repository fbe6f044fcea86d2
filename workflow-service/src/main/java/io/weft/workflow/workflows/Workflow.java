package io.weft.workflow.workflows;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

/**
 * A workflow's current state. Its definitions live in its versions.
 *
 * @param revision bumped by every change; the ETag is made from it
 */
public record Workflow(UUID id, UUID tenantId, String name, List<String> tags, long revision, int currentVersion,
                       Integer activeVersion, String activePlanHash, OffsetDateTime activatedAt, String createdBy,
                       String updatedBy, OffsetDateTime createdAt, OffsetDateTime updatedAt) {

    public String etag() {
        return "\"" + revision + "\"";
    }
}
