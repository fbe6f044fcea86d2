package io.weft.inference.providers;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.weft.testsupport.FakeServiceTokens;
import io.weft.testsupport.LoopbackServer;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Stands in for the gateway's service-token endpoint and credentials-service's resolution endpoint
 * on a loopback port: tests put a tenant's credentials in {@link #CREDENTIALS} (tenant:id → the
 * answer's JSON, or {@code "403 body"} for another status) and read what was asked in
 * {@link #RESOLUTIONS} ({@code tenant id body}). Unknown credentials answer 404. Also the gateway's
 * tenants' tiers ({@code /internal/tenant-tiers}): tests put a tenant's tier in {@link #TIERS} ({@code "down"}:
 * the gateway answers 503 when asked for it); the others are unknown to it.
 */
public class FakeCredentials implements QuarkusTestResourceLifecycleManager {
    public static final Map<String, String> CREDENTIALS = new ConcurrentHashMap<>();
    public static final List<String> RESOLUTIONS = new CopyOnWriteArrayList<>();
    public static final Map<UUID, String> TIERS = new ConcurrentHashMap<>();
    private static final String SECRET = "test-inference-secret";

    private LoopbackServer server;

    @Override
    public Map<String, String> start() {
        server = LoopbackServer.start("fake credentials-service", request -> request.body().onSuccess(body -> {
            if (FakeServiceTokens.answer(request, body, "inference", SECRET)) {
                return;
            }
            if (request.path().equals("/internal/tenant-tiers")) {
                answerTiers(request, body.toJsonObject());
                return;
            }
            String tenant = FakeServiceTokens.tenantOf(request);
            if (request.path().startsWith("/internal/credentials/") && request.path().endsWith("/resolve") && tenant != null) {
                String id = request.path().substring("/internal/credentials/".length(), request.path().length() - "/resolve".length());
                RESOLUTIONS.add(tenant + " " + id + " " + body);
                LoopbackServer.answer(request.response(), CREDENTIALS.getOrDefault(tenant + ":" + id, "404 {\"title\":\"Not found\",\"status\":404}"));
                return;
            }
            request.response().setStatusCode(404).end();
        }));
        String address = server.address();
        return Map.of("weft.inference.credentials-url", address, "weft.service-client.gateway", address, "weft.service-client.secret", SECRET);
    }

    private static void answerTiers(HttpServerRequest request, JsonObject asked) {
        if (!"inference".equals(asked.getString("service")) || !SECRET.equals(asked.getString("secret"))) {
            request.response().setStatusCode(403).end();
            return;
        }
        if (asked.getJsonArray("tenantIds").stream().anyMatch(id -> "down".equals(TIERS.get(UUID.fromString(String.valueOf(id)))))) {
            request.response().setStatusCode(503).end("the gateway is down");
            return;
        }
        JsonObject tiers = new JsonObject();
        asked.getJsonArray("tenantIds").forEach(id -> {
            String tier = TIERS.get(UUID.fromString(String.valueOf(id)));
            if (tier != null) {
                tiers.put(String.valueOf(id), tier);
            }
        });
        request.response().putHeader("content-type", "application/json")
                .end(new JsonObject().put("tiers", tiers).put("suspended", new JsonArray()).encode());
    }

    @Override
    public void stop() {
        if (server != null) {
            server.close();
        }
    }
}
