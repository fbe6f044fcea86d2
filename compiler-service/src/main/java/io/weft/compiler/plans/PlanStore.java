package io.weft.compiler.plans;

import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.value.ReactiveValueCommands;
import io.quarkus.redis.datasource.value.GetExArgs;
import io.quarkus.redis.datasource.value.SetArgs;
import io.smallrye.mutiny.Uni;
import io.weft.compiler.CompilerConfig;
import io.weft.contracts.json.CanonicalJson;
import io.weft.contracts.plan.ExecutionPlan;
import io.weft.contracts.problems.ProblemType;
import io.weft.platform.problems.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;

/**
 * Compiled plans in Redis, per tenant and content hash, kept for
 * {@link CompilerConfig#planRetention()} after they were last written or read. Plans are derived
 * data: the definition they came from (kept by workflow-service) can always compile them again.
 */
@ApplicationScoped
public class PlanStore {
    private static final Duration REDIS_TIMEOUT = Duration.ofSeconds(3);

    private final ReactiveValueCommands<String, String> values;
    private final CompilerConfig config;

    PlanStore(ReactiveRedisDataSource redis, CompilerConfig config) {
        this.values = redis.value(String.class, String.class);
        this.config = config;
    }

    public Uni<Void> save(UUID tenant, ExecutionPlan plan) {
        return unavailableAsProblem(values.set(key(tenant, plan.hash()), CanonicalJson.write(plan),
                new SetArgs().px(config.planRetention())));
    }

    /** The plan's canonical JSON, as it was hashed. */
    public Uni<Optional<String>> find(UUID tenant, String hash) {
        return unavailableAsProblem(values.getex(key(tenant, hash), new GetExArgs().px(config.planRetention())))
                .map(Optional::ofNullable);
    }

    private static <T> Uni<T> unavailableAsProblem(Uni<T> redisCall) {
        return redisCall.ifNoItem().after(REDIS_TIMEOUT).fail()
                .onFailure().transform(failure -> new ProblemException(ProblemType.DEPENDENCY_UNAVAILABLE,
                        "compiled plans cannot be stored or read right now; try again shortly").withHeader("Retry-After", "5"));
    }

    private static String key(UUID tenant, String hash) {
        return "weft:plan:" + tenant + ":" + hash;
    }
}
