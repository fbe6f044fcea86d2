package io.weft.workflow.workflows;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * One saved definition of a workflow; never changes once written.
 *
 * @param diagnostics   the compiler's findings when it was saved (a JSON array)
 * @param restoredFrom  the version it copies, when it was made by restoring one
 */
public record WorkflowVersion(UUID workflowId, int version, JsonNode definition, String author, OffsetDateTime createdAt,
                              CompileStatus compileStatus, JsonNode diagnostics, Integer restoredFrom) {
}
