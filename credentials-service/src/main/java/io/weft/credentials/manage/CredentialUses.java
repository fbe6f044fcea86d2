package io.weft.credentials.manage;

import com.fasterxml.jackson.databind.JsonNode;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpMethod;
import io.weft.contracts.json.WeftJson;
import io.weft.contracts.problems.ProblemType;
import io.weft.platform.problems.ProblemException;
import io.weft.platform.security.ServiceCalls;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Which active workflow versions use a credential, asked of workflow-service (which owns the
 * workflows) with a service token for the tenant. When it cannot answer, nothing is deleted.
 */
@ApplicationScoped
public class CredentialUses {
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final ServiceCalls calls;
    private final URI workflows;

    CredentialUses(ServiceCalls calls, @ConfigProperty(name = "weft.credentials.workflow-url") URI workflows) {
        this.calls = calls;
        this.workflows = workflows;
    }

    /** "Name (id, version n)" of each workflow whose active version names the credential. */
    public Uni<List<String>> activeWorkflowsUsing(UUID tenant, UUID credential) {
        return calls.call(HttpMethod.GET, workflows, "/internal/credential-uses/" + credential, Optional.of(tenant), Map.of(), null, TIMEOUT)
                .onFailure().transform(failure -> unavailable())
                .map(answer -> {
                    if (answer.status() != 200) {
                        throw unavailable();
                    }
                    try {
                        List<String> uses = new ArrayList<>();
                        for (JsonNode use : WeftJson.mapper().readTree(answer.body().getBytes()).path("workflows")) {
                            uses.add(use.path("name").asText() + " (" + use.path("workflowId").asText() + ", version "
                                    + use.path("activeVersion").asInt() + ")");
                        }
                        return uses;
                    } catch (Exception e) {
                        throw unavailable();
                    }
                });
    }

    private static ProblemException unavailable() {
        return new ProblemException(ProblemType.DEPENDENCY_UNAVAILABLE,
                "workflow-service cannot say whether active workflows use the credential, so it is not deleted; try again shortly");
    }
}
