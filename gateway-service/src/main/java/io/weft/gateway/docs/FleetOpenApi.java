package io.weft.gateway.docs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.weft.contracts.json.WeftJson;
import io.weft.gateway.forwarding.ForwardingConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The fleet's OpenAPI documents merged into one: the gateway's own paths and every service's,
 * with their schemas. A service that does not answer is listed under {@code x-weft-unavailable};
 * a schema name two services define differently keeps the first definition and is listed under
 * {@code x-weft-schema-conflicts}. The merged document is remembered for {@link #REMEMBER}.
 */
@ApplicationScoped
public class FleetOpenApi {
    static final Duration REMEMBER = Duration.ofSeconds(60);
    private static final Duration FETCH_TIMEOUT = Duration.ofSeconds(3);

    private final ForwardingConfig config;
    private final HttpClient client;
    private final Clock clock;
    private volatile JsonNode cached;
    private volatile Instant cachedUntil = Instant.MIN;

    FleetOpenApi(ForwardingConfig config, Vertx vertx, Clock clock) {
        this.config = config;
        this.clock = clock;
        this.client = vertx.createHttpClient(new HttpClientOptions().setConnectTimeout(1000));
    }

    public Uni<JsonNode> document(int gatewayPort) {
        if (cached != null && clock.instant().isBefore(cachedUntil)) {
            return Uni.createFrom().item(cached);
        }
        Map<String, URI> sources = new TreeMap<>(config.upstreams());
        sources.put("gateway", URI.create("http://127.0.0.1:" + gatewayPort));
        List<Uni<Fetched>> fetches = new ArrayList<>();
        sources.forEach((name, uri) -> fetches.add(fetch(name, uri)));
        return Uni.join().all(fetches).andFailFast().map(this::merge).invoke(document -> {
            cached = document;
            cachedUntil = clock.instant().plus(REMEMBER);
        });
    }

    private record Fetched(String service, JsonNode document, String error) {
    }

    private Uni<Fetched> fetch(String service, URI base) {
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.GET).setHost(base.getHost()).setPort(base.getPort())
                .setURI("/q/openapi?format=json").setIdleTimeout(FETCH_TIMEOUT.toMillis()).putHeader("Accept", "application/json");
        return Uni.createFrom().completionStage(() -> client.request(options)
                        // The body is read inside send's own continuation (see platform's ServiceCalls).
                        .compose(request -> request.send()
                                .compose(response -> response.statusCode() == 200 ? response.body()
                                        : io.vertx.core.Future.failedFuture("answered " + response.statusCode())))
                        .toCompletionStage())
                .map(body -> {
                    try {
                        return new Fetched(service, WeftJson.mapper().readTree(body.getBytes()), null);
                    } catch (Exception e) {
                        return new Fetched(service, null, "not JSON");
                    }
                })
                .ifNoItem().after(FETCH_TIMEOUT).fail()
                .onFailure().recoverWithItem(failure -> new Fetched(service, null, String.valueOf(failure.getMessage())));
    }

    private JsonNode merge(List<Fetched> documents) {
        ObjectNode merged = WeftJson.mapper().createObjectNode();
        merged.put("openapi", "3.1.0");
        ObjectNode info = merged.putObject("info");
        info.put("title", "Weft API");
        info.put("version", "0.1.0");
        info.put("description", "Every public endpoint of the fleet, as served through the gateway. Authenticate with "
                + "'Authorization: Bearer <access token or API key>' or 'X-API-Key: <API key>'.");
        merged.putArray("servers").addObject().put("url", "/");
        ObjectNode paths = merged.putObject("paths");
        ObjectNode components = merged.putObject("components");
        ObjectNode schemas = components.putObject("schemas");
        ObjectNode securitySchemes = components.putObject("securitySchemes");
        securitySchemes.putObject("bearer").put("type", "http").put("scheme", "bearer");
        securitySchemes.putObject("apiKey").put("type", "apiKey").put("in", "header").put("name", "X-API-Key");
        ArrayNode security = merged.putArray("security");
        security.addObject().putArray("bearer");
        security.addObject().putArray("apiKey");
        ObjectNode unavailable = WeftJson.mapper().createObjectNode();
        ArrayNode conflicts = WeftJson.mapper().createArrayNode();
        for (Fetched fetched : documents) {
            if (fetched.document() == null) {
                unavailable.put(fetched.service(), fetched.error());
                continue;
            }
            fetched.document().path("paths").fields().forEachRemaining(path -> {
                // Service-to-service endpoints are not the public API (and the gateway does not forward them).
                if (!path.getKey().startsWith("/test-support") && !path.getKey().startsWith("/internal/")) {
                    paths.set(path.getKey(), path.getValue());
                }
            });
            fetched.document().path("components").path("schemas").fields().forEachRemaining(schema -> {
                JsonNode existing = schemas.get(schema.getKey());
                if (existing == null) {
                    schemas.set(schema.getKey(), schema.getValue());
                } else if (!existing.equals(schema.getValue())) {
                    conflicts.add(fetched.service() + ": " + schema.getKey());
                }
            });
        }
        if (!unavailable.isEmpty()) {
            merged.set("x-weft-unavailable", unavailable);
        }
        if (!conflicts.isEmpty()) {
            merged.set("x-weft-schema-conflicts", conflicts);
        }
        return merged;
    }
}
