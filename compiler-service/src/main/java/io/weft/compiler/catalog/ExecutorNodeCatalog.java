package io.weft.compiler.catalog;

import com.fasterxml.jackson.core.type.TypeReference;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpMethod;
import io.weft.compiler.CompilerConfig;
import io.weft.contracts.json.WeftJson;
import io.weft.contracts.nodes.NodeTypeDescriptor;
import io.weft.contracts.problems.ProblemType;
import io.weft.platform.problems.ProblemException;
import io.weft.platform.security.ServiceCalls;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import org.jboss.logging.Logger;

/**
 * The node catalog of executor-service, fetched with a service token and kept for
 * {@link CompilerConfig#catalogRefresh()}; after that it is revalidated with its ETag, so an
 * unchanged catalog costs a 304. When executor-service cannot be reached the last catalog stays in
 * use; only a compiler that never got one answers 503.
 */
@ApplicationScoped
public class ExecutorNodeCatalog implements NodeCatalogSource {
    private static final Logger LOG = Logger.getLogger(ExecutorNodeCatalog.class);
    private static final TypeReference<List<NodeTypeDescriptor>> DESCRIPTORS = new TypeReference<>() {
    };

    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final CompilerConfig config;
    private final ServiceCalls calls;
    private final Clock clock;
    private final AtomicReference<Snapshot> snapshot = new AtomicReference<>();
    private final AtomicReference<CompletableFuture<NodeTypes>> refreshing = new AtomicReference<>();

    private record Snapshot(NodeTypes types, String etag, Instant fetchedAt) {
    }

    ExecutorNodeCatalog(CompilerConfig config, ServiceCalls calls, Clock clock) {
        this.config = config;
        this.calls = calls;
        this.clock = clock;
    }

    @Override
    public Uni<NodeTypes> current() {
        Snapshot known = snapshot.get();
        if (known != null && clock.instant().isBefore(known.fetchedAt().plus(config.catalogRefresh()))) {
            return Uni.createFrom().item(known.types());
        }
        return Uni.createFrom().completionStage(this::refreshOnce);
    }

    /** Concurrent callers share one fetch. */
    private CompletableFuture<NodeTypes> refreshOnce() {
        CompletableFuture<NodeTypes> mine = new CompletableFuture<>();
        CompletableFuture<NodeTypes> running = refreshing.compareAndExchange(null, mine);
        if (running != null) {
            return running;
        }
        Snapshot known = snapshot.get();
        fetch(known)
                .subscribe().with(fetched -> {
                    snapshot.set(fetched);
                    refreshing.set(null);
                    mine.complete(fetched.types());
                }, failure -> {
                    refreshing.set(null);
                    if (known != null) {
                        LOG.warnf("cannot refresh the node catalog from executor-service (%s); keeping the one from %s",
                                failure.getMessage(), known.fetchedAt());
                        snapshot.set(new Snapshot(known.types(), known.etag(), clock.instant()));
                        mine.complete(known.types());
                    } else {
                        LOG.warnf("cannot fetch the node catalog from executor-service: %s", failure.getMessage());
                        mine.completeExceptionally(new ProblemException(ProblemType.DEPENDENCY_UNAVAILABLE,
                                "the node catalog cannot be fetched from executor-service; try again shortly"));
                    }
                });
        return mine;
    }

    private Uni<Snapshot> fetch(Snapshot known) {
        Map<String, String> headers = known == null ? Map.of() : Map.of("If-None-Match", known.etag());
        return calls.call(HttpMethod.GET, config.executorUrl(), "/api/nodes/all", Optional.empty(), headers, null, TIMEOUT)
                .map(answer -> {
                    if (answer.status() == 304 && known != null) {
                        return new Snapshot(known.types(), known.etag(), clock.instant());
                    }
                    if (answer.status() != 200) {
                        throw new IllegalStateException("executor-service answered " + answer.status());
                    }
                    try {
                        List<NodeTypeDescriptor> descriptors = WeftJson.mapper().readValue(answer.body().getBytes(), DESCRIPTORS);
                        LOG.infof("node catalog loaded from executor-service: %d node type versions", descriptors.size());
                        return new Snapshot(NodeTypes.of(descriptors), answer.headers().get("ETag"), clock.instant());
                    } catch (IOException e) {
                        throw new UncheckedIOException("executor-service sent an unreadable node catalog", e);
                    }
                });
    }
}
