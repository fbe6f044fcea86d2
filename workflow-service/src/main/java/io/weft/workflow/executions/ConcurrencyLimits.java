package io.weft.workflow.executions;

import com.fasterxml.jackson.databind.JsonNode;
import io.smallrye.mutiny.Uni;
import io.weft.workflow.workflows.VersionDefinitions;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import java.util.UUID;

/** A workflow version's concurrency limit: {@code settings.concurrencyLimit} and {@code whenLimitReached}. */
@ApplicationScoped
public class ConcurrencyLimits {

    /** @param queue true: runs beyond the limit wait their turn; false: they are refused (429) */
    public record Limit(int max, boolean queue) {
    }

    private final VersionDefinitions versions;

    ConcurrencyLimits(VersionDefinitions versions) {
        this.versions = versions;
    }

    public Uni<Optional<Limit>> of(String workflowId, int version) {
        UUID id;
        try {
            id = UUID.fromString(workflowId);
        } catch (IllegalArgumentException e) {
            return Uni.createFrom().item(Optional.empty()); // not one of this service's workflows
        }
        return versions.of(id, version).map(definition -> definition.flatMap(ConcurrencyLimits::limit));
    }

    private static Optional<Limit> limit(JsonNode definition) {
        JsonNode settings = definition.path("settings");
        int max = settings.path("concurrencyLimit").asInt(0);
        return max < 1 ? Optional.empty() : Optional.of(new Limit(max, !"reject".equals(settings.path("whenLimitReached").asText("queue"))));
    }
}
