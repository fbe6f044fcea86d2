package io.weft.compiler.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpMethod;
import io.weft.compiler.CompilerConfig;
import io.weft.contracts.json.WeftJson;
import io.weft.contracts.nodes.NodeTypeDescriptor;
import io.weft.contracts.problems.ProblemType;
import io.weft.platform.problems.ProblemException;
import io.weft.platform.security.ServiceCalls;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * A tenant's own node types ({@code custom.*}), fetched from executor-service with a service token
 * for the tenant when a definition uses one: no other tenant's types are ever seen, so a node of
 * another tenant's type is an unknown type. Not kept between compilations: a type registered or
 * deleted a moment ago counts at once.
 */
@ApplicationScoped
public class TenantNodeTypes {
    public static final String PREFIX = "custom.";
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final CompilerConfig config;
    private final ServiceCalls calls;

    TenantNodeTypes(CompilerConfig config, ServiceCalls calls) {
        this.config = config;
        this.calls = calls;
    }

    /** True when a node of the definition has a tenant's own type. */
    public static boolean used(JsonNode definition) {
        for (JsonNode node : definition.path("nodes")) {
            if (node.path("type").asText("").startsWith(PREFIX)) {
                return true;
            }
        }
        return false;
    }

    public Uni<List<NodeTypeDescriptor>> of(UUID tenant) {
        return calls.call(HttpMethod.GET, config.executorUrl(), "/api/nodes/custom", Optional.of(tenant), Map.of(), null, TIMEOUT)
                .onFailure().transform(failure -> unavailable())
                .map(answer -> {
                    if (answer.status() != 200) {
                        throw unavailable();
                    }
                    try {
                        List<NodeTypeDescriptor> descriptors = new ArrayList<>();
                        for (JsonNode item : WeftJson.mapper().readTree(answer.body().getBytes()).path("items")) {
                            descriptors.add(WeftJson.mapper().treeToValue(item.path("descriptor"), NodeTypeDescriptor.class));
                        }
                        return descriptors;
                    } catch (Exception e) {
                        throw unavailable();
                    }
                });
    }

    private static ProblemException unavailable() {
        return new ProblemException(ProblemType.DEPENDENCY_UNAVAILABLE,
                "the tenant's own node types cannot be fetched from executor-service; try again shortly");
    }
}
