package io.weft.platform.tenants;

import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.weft.contracts.identity.Tier;
import io.weft.platform.security.ServiceClient;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Asks the gateway, which owns tenants, for their tier and whether an operator suspended them
 * ({@code POST /internal/tenant-tiers} on its internal listener, with this service's secret and
 * the scope {@code tenants:read}). For services that act for a tenant without a request of that
 * tenant: logs-service's retention, workflow-service's webhooks and schedules. Callers keep the
 * answers for a while; this asks every time.
 */
@ApplicationScoped
public class TenantLookup {
    private static final int ASK_AT_MOST = 500;

    /** What the gateway says of a tenant. */
    public record TenantState(Tier tier, boolean suspended) {
    }

    private final ServiceClient client;
    private final HttpClient http;

    TenantLookup(ServiceClient client, Vertx vertx) {
        this.client = client;
        this.http = vertx.createHttpClient(new HttpClientOptions().setConnectTimeout(2_000).setMaxPoolSize(4));
    }

    @PreDestroy
    void close() {
        http.close();
    }

    /** The state of each tenant the gateway knows; tenants it does not know are left out. Fails when it cannot answer. */
    public Uni<Map<UUID, TenantState>> ask(List<UUID> tenants) {
        List<Uni<Map<UUID, TenantState>>> asks = new ArrayList<>();
        for (int from = 0; from < tenants.size(); from += ASK_AT_MOST) {
            asks.add(askOnce(tenants.subList(from, Math.min(tenants.size(), from + ASK_AT_MOST))));
        }
        return Uni.join().all(asks).andFailFast().map(parts -> {
            Map<UUID, TenantState> all = new HashMap<>();
            parts.forEach(all::putAll);
            return all;
        });
    }

    private Uni<Map<UUID, TenantState>> askOnce(List<UUID> tenants) {
        String body = new JsonObject().put("service", client.name().orElse("")).put("secret", client.secret().orElse(""))
                .put("tenantIds", new JsonArray(tenants.stream().map(UUID::toString).toList())).encode();
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST)
                .setAbsoluteURI(client.gateway().resolve("/internal/tenant-tiers").toString())
                .putHeader("content-type", "application/json").setTimeout(5_000);
        // The body is read in send's own continuation (Vert.x #3517).
        return Uni.createFrom().completionStage(() -> http.request(options)
                .compose(request -> request.send(body).compose(response -> response.body().map(answer -> {
                    if (response.statusCode() != 200) {
                        throw new IllegalStateException("gateway answered " + response.statusCode());
                    }
                    JsonObject parsed = answer.toJsonObject();
                    Set<String> suspended = new HashSet<>();
                    parsed.getJsonArray("suspended", new JsonArray()).forEach(id -> suspended.add(String.valueOf(id)));
                    Map<UUID, TenantState> states = new HashMap<>();
                    parsed.getJsonObject("tiers", new JsonObject()).forEach(entry -> states.put(UUID.fromString(entry.getKey()),
                            new TenantState(Tier.fromWireName(String.valueOf(entry.getValue())), suspended.contains(entry.getKey()))));
                    return states;
                }))).toCompletionStage());
    }
}
