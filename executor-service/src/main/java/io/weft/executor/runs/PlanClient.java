package io.weft.executor.runs;

import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpMethod;
import io.weft.contracts.json.CanonicalJson;
import io.weft.contracts.json.WeftJson;
import io.weft.contracts.plan.ExecutionPlan;
import io.weft.platform.security.ServiceCalls;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Compiled plans from compiler-service, by tenant and hash, checked against their hash and kept:
 * a plan never changes, so one fetch per plan per executor is enough.
 */
@ApplicationScoped
public class PlanClient {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final int MAX_CACHED = 1000;

    private final ServiceCalls calls;
    private final URI compiler;
    private final Map<String, ExecutionPlan> cache = new ConcurrentHashMap<>();

    PlanClient(ServiceCalls calls, @ConfigProperty(name = "weft.executor.compiler-url") URI compiler) {
        this.calls = calls;
        this.compiler = compiler;
    }

    /** Fails with {@link PlanUnavailableException} when the plan cannot be had or does not match its hash. */
    public Uni<ExecutionPlan> plan(String tenantId, String hash) {
        String key = tenantId + ":" + hash;
        ExecutionPlan known = cache.get(key);
        if (known != null) {
            return Uni.createFrom().item(known);
        }
        return calls.call(HttpMethod.GET, compiler, "/api/compile/plans/" + hash, Optional.of(UUID.fromString(tenantId)),
                        Map.of(), null, TIMEOUT)
                .onFailure().transform(failure -> new PlanUnavailableException(hash, "compiler-service cannot be reached: "
                        + failure.getMessage(), true))
                .map(answer -> {
                    if (answer.status() == 404) {
                        throw new PlanUnavailableException(hash, "compiler-service has no such plan for this tenant", false);
                    }
                    if (answer.status() != 200) {
                        throw new PlanUnavailableException(hash, "compiler-service answered " + answer.status(), true);
                    }
                    ExecutionPlan plan;
                    try {
                        plan = WeftJson.mapper().readValue(answer.body().getBytes(), ExecutionPlan.class);
                    } catch (IOException e) {
                        throw new PlanUnavailableException(hash, "the plan is unreadable: " + e.getMessage(), false);
                    }
                    if (!hash.equals(plan.hash()) || !hash.equals(CanonicalJson.sha256(plan.withHash(null)))) {
                        throw new PlanUnavailableException(hash, "the plan does not match its hash", false);
                    }
                    if (cache.size() >= MAX_CACHED) {
                        cache.clear();
                    }
                    cache.put(key, plan);
                    return plan;
                });
    }
}
