package io.weft.gateway.operators;

import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.weft.gateway.forwarding.ForwardingConfig;
import io.weft.gateway.forwarding.InternalTokenIssuer;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Tenants' workflows and runs, asked of workflow-service (which owns them) for one page of the
 * operator API at a time, with the gateway's own service token ({@code service:gateway}, scope
 * {@code tenants:usage}, no tenant) at {@code POST /internal/tenant-usage}.
 */
@ApplicationScoped
public class WorkflowUsage {
    static final String SCOPE = "tenants:usage";
    /** An operator's page waits no longer than this for the counts; without them it still answers. */
    private static final Duration ASK_AT_MOST_FOR = Duration.ofSeconds(5);
    private static final InternalTokenIssuer.Principal GATEWAY =
            new InternalTokenIssuer.Principal(null, "service:gateway", null, SCOPE, null, "service", null);

    /**
     * @param executionsLast30Days runs created in the last 30 days, whatever became of them
     * @param executionsInFlight   runs queued, running, waiting or paused now
     */
    public record Usage(long workflows, long activeWorkflows, long executionsLast30Days, long executionsInFlight) {
    }

    private final InternalTokenIssuer tokens;
    private final URI workflow;
    private final long timeoutMillis;
    private final HttpClient http;

    WorkflowUsage(ForwardingConfig config, InternalTokenIssuer tokens, Vertx vertx) {
        this.tokens = tokens;
        this.workflow = config.upstreams().get("workflow");
        this.timeoutMillis = Math.min(ASK_AT_MOST_FOR.toMillis(), config.upstreamTimeout().toMillis());
        this.http = vertx.createHttpClient(new HttpClientOptions().setConnectTimeout((int) config.connectTimeout().toMillis())
                .setMaxPoolSize(2));
    }

    @PreDestroy
    void close() {
        http.close();
    }

    /** Usage by tenant (every tenant asked for); fails when workflow-service does not answer, or answers anything but 200. */
    public Uni<Map<UUID, Usage>> of(List<UUID> tenants) {
        if (tenants.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        String body = new JsonObject().put("tenantIds", new JsonArray(tenants.stream().map(UUID::toString).toList())).encode();
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST)
                .setAbsoluteURI(workflow.resolve("/internal/tenant-usage").toString())
                .putHeader("content-type", "application/json").putHeader("authorization", "Bearer " + tokens.tokenFor(GATEWAY))
                .setTimeout(timeoutMillis);
        // The body is read in send's own continuation (Vert.x #3517).
        return Uni.createFrom().completionStage(() -> http.request(options)
                .compose(request -> request.send(body).compose(response -> response.body().map(answer -> {
                    if (response.statusCode() != 200) {
                        throw new IllegalStateException("workflow-service answered " + response.statusCode());
                    }
                    Map<UUID, Usage> usage = new HashMap<>();
                    answer.toJsonObject().getJsonObject("tenants", new JsonObject()).forEach(entry -> {
                        JsonObject counts = (JsonObject) entry.getValue();
                        usage.put(UUID.fromString(entry.getKey()), new Usage(counts.getLong("workflows", 0L),
                                counts.getLong("activeWorkflows", 0L), counts.getLong("executionsLast30Days", 0L),
                                counts.getLong("executionsInFlight", 0L)));
                    });
                    return usage;
                }))).toCompletionStage());
    }
}
