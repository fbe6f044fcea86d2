package io.weft.workflow.workflows;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

/** What the workflow API reads and answers. */
final class WorkflowViews {

    private WorkflowViews() {
    }

    /** A workflow to create or a new version to save. @param tags null keeps the current tags on save */
    record WorkflowInput(JsonNode definition, List<String> tags) {
    }

    /** The file format of export and import. */
    record ExportDocument(String format, Integer formatVersion, String name, List<String> tags, JsonNode definition,
                          OffsetDateTime exportedAt) {
        static final String FORMAT = "weft.workflow";
        static final int FORMAT_VERSION = 1;
    }

    record Active(int version, String planHash, OffsetDateTime activatedAt) {
        static Active of(Workflow workflow) {
            return workflow.activeVersion() == null ? null
                    : new Active(workflow.activeVersion(), workflow.activePlanHash(), workflow.activatedAt());
        }
    }

    /**
     * @param revision what the ETag quotes: it moves with every change of the workflow (a save, an
     *                 activation or deactivation, a restore), and a change sent with an older one is refused (412)
     */
    record WorkflowView(UUID id, String name, List<String> tags, int version, long revision, Active active,
                        CompileStatus compileStatus, JsonNode diagnostics, JsonNode definition, String createdBy,
                        OffsetDateTime createdAt, String updatedBy, OffsetDateTime updatedAt) {
        static WorkflowView of(Workflow workflow, WorkflowVersion current) {
            return new WorkflowView(workflow.id(), workflow.name(), workflow.tags(), workflow.currentVersion(), workflow.revision(),
                    Active.of(workflow), current.compileStatus(), current.diagnostics(), current.definition(),
                    workflow.createdBy(), workflow.createdAt(), workflow.updatedBy(), workflow.updatedAt());
        }
    }

    record WorkflowSummary(UUID id, String name, List<String> tags, int version, Active active, String updatedBy,
                           OffsetDateTime updatedAt) {
        static WorkflowSummary of(Workflow workflow) {
            return new WorkflowSummary(workflow.id(), workflow.name(), workflow.tags(), workflow.currentVersion(),
                    Active.of(workflow), workflow.updatedBy(), workflow.updatedAt());
        }
    }

    /** @param nextCursor pass as {@code cursor} for the next page; absent on the last page */
    record Page<T>(List<T> items, String nextCursor) {
    }

    record VersionSummary(int version, String author, OffsetDateTime createdAt, CompileStatus compileStatus,
                          int diagnostics, Integer restoredFrom) {
        static VersionSummary of(WorkflowVersion version) {
            return new VersionSummary(version.version(), version.author(), version.createdAt(), version.compileStatus(),
                    version.diagnostics().size(), version.restoredFrom());
        }
    }

    record VersionView(int version, String author, OffsetDateTime createdAt, CompileStatus compileStatus,
                       JsonNode diagnostics, Integer restoredFrom, JsonNode definition) {
        static VersionView of(WorkflowVersion version) {
            return new VersionView(version.version(), version.author(), version.createdAt(), version.compileStatus(),
                    version.diagnostics(), version.restoredFrom(), version.definition());
        }
    }

    /** @param patch RFC 6902 operations that turn version {@code from} into version {@code to} */
    record Diff(int from, int to, JsonNode patch) {
    }
}
