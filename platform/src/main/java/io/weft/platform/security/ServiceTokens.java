package io.weft.platform.security;

import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Gets service tokens from the gateway for calls to other services, and reuses each until shortly
 * before it expires (one per tenant the service acts for, plus one without a tenant).
 */
public final class ServiceTokens implements AutoCloseable {
    private static final String NO_TENANT = "-";
    private static final Duration RENEW_BEFORE_EXPIRY = Duration.ofSeconds(20);

    private final HttpClient client;
    private final URI gateway;
    private final String service;
    private final String secret;
    private final List<String> scopes;
    private final Clock clock;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();

    private record Cached(String token, Instant renewAt) {
    }

    /** @param scopes what to ask for; empty means everything the gateway allows this service */
    public ServiceTokens(Vertx vertx, URI gateway, String service, String secret, List<String> scopes, Clock clock) {
        this.client = vertx.createHttpClient(new HttpClientOptions().setConnectTimeout(2000));
        this.gateway = gateway;
        this.service = service;
        this.secret = secret;
        this.scopes = List.copyOf(scopes);
        this.clock = clock;
    }

    /** A bearer token for calls made on behalf of {@code tenant}, or of no tenant when empty. */
    public Uni<String> token(Optional<UUID> tenant) {
        String key = tenant.map(UUID::toString).orElse(NO_TENANT);
        Cached cached = cache.get(key);
        if (cached != null && clock.instant().isBefore(cached.renewAt())) {
            return Uni.createFrom().item(cached.token());
        }
        JsonObject body = new JsonObject().put("service", service).put("secret", secret).put("scopes", new JsonArray(scopes));
        tenant.ifPresent(id -> body.put("tenantId", id.toString()));
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setHost(gateway.getHost())
                .setPort(gateway.getPort()).setURI("/internal/service-tokens").setIdleTimeout(5000)
                .putHeader("Content-Type", "application/json").putHeader("Accept", "application/json");
        return Uni.createFrom().completionStage(() -> client.request(options)
                        // The body is read inside send's own continuation (see ServiceCalls).
                        .compose(request -> request.send(Buffer.buffer(body.encode()))
                                .compose(response -> response.body().map(answer -> {
                                    if (response.statusCode() != 200) {
                                        throw new IllegalStateException("the gateway refused a service token for " + service
                                                + " (" + response.statusCode() + ")");
                                    }
                                    return answer.toJsonObject();
                                })))
                        .toCompletionStage())
                .map(answer -> {
                    String token = answer.getString("accessToken");
                    Instant renewAt = clock.instant().plusSeconds(answer.getLong("expiresIn")).minus(RENEW_BEFORE_EXPIRY);
                    cache.put(key, new Cached(token, renewAt));
                    return token;
                });
    }

    @Override
    public void close() {
        client.close();
    }
}
