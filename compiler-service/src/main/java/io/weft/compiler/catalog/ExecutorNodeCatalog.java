package io.weft.compiler.catalog;

import com.fasterxml.jackson.core.type.TypeReference;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.weft.compiler.CompilerConfig;
import io.weft.contracts.json.WeftJson;
import io.weft.contracts.nodes.NodeTypeDescriptor;
import io.weft.contracts.problems.ProblemType;
import io.weft.platform.problems.ProblemException;
import io.weft.platform.security.ServiceTokens;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
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

    private final CompilerConfig config;
    private final ServiceTokens tokens;
    private final Clock clock;
    private final HttpClient client;
    private final AtomicReference<Snapshot> snapshot = new AtomicReference<>();
    private final AtomicReference<CompletableFuture<NodeTypes>> refreshing = new AtomicReference<>();

    private record Snapshot(NodeTypes types, String etag, Instant fetchedAt) {
    }

    ExecutorNodeCatalog(CompilerConfig config, ServiceTokens tokens, Clock clock, Vertx vertx) {
        this.config = config;
        this.tokens = tokens;
        this.clock = clock;
        this.client = vertx.createHttpClient(new HttpClientOptions().setConnectTimeout(2000));
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
        tokens.token(Optional.empty())
                .chain(token -> Uni.createFrom().completionStage(fetch(token, known).toCompletionStage()))
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

    private Future<Snapshot> fetch(String token, Snapshot known) {
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.GET)
                .setHost(config.executorUrl().getHost()).setPort(config.executorUrl().getPort())
                .setURI("/api/nodes/all").setIdleTimeout(5000)
                .putHeader(HttpHeaders.AUTHORIZATION, "Bearer " + token)
                .putHeader(HttpHeaders.ACCEPT, "application/json");
        if (known != null) {
            options.putHeader(HttpHeaders.IF_NONE_MATCH, known.etag());
        }
        return client.request(options).compose(request -> request.send()).compose(response -> response.body().map(body -> {
            if (response.statusCode() == 304 && known != null) {
                return new Snapshot(known.types(), known.etag(), clock.instant());
            }
            if (response.statusCode() != 200) {
                throw new IllegalStateException("executor-service answered " + response.statusCode());
            }
            try {
                List<NodeTypeDescriptor> descriptors = WeftJson.mapper().readValue(body.getBytes(), DESCRIPTORS);
                LOG.infof("node catalog loaded from executor-service: %d node type versions", descriptors.size());
                return new Snapshot(NodeTypes.of(descriptors), response.getHeader(HttpHeaders.ETAG), clock.instant());
            } catch (IOException e) {
                throw new UncheckedIOException("executor-service sent an unreadable node catalog", e);
            }
        }));
    }

    @PreDestroy
    void close() {
        client.close();
    }
}
