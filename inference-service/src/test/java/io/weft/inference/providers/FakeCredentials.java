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
 * the gateway answers 503 when asked for it); the others are unknown to it. And the executors' token
 * meter ({@code /internal/llm-tokens}): {@link #METER} holds each tenant's tokens used this month,
 * reservations over the budget answer 429, and {@link #EXECUTORS_DOWN} makes it answer 503.
 */
public class FakeCredentials implements QuarkusTestResourceLifecycleManager {
    public static final Map<String, String> CREDENTIALS = new ConcurrentHashMap<>();
    public static final List<String> RESOLUTIONS = new CopyOnWriteArrayList<>();
    public static final Map<UUID, String> TIERS = new ConcurrentHashMap<>();
    public static final Map<String, Long> METER = new ConcurrentHashMap<>();
    public static volatile boolean EXECUTORS_DOWN;
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
            if (request.path().startsWith("/internal/llm-tokens/") && tenant != null) {
                answerMeter(request, tenant, body.toJsonObject());
                return;
            }
            if (request.path().startsWith("/internal/credentials/") && request.path().endsWith("/resolve") && tenant != null) {
                String id = request.path().substring("/internal/credentials/".length(), request.path().length() - "/resolve".length());
                RESOLUTIONS.add(tenant + " " + id + " " + body);
                LoopbackServer.answer(request.response(), CREDENTIALS.getOrDefault(tenant + ":" + id, "404 {\"title\":\"Not found\",\"status\":404}"));
                return;
            }
            request.response().setStatusCode(404).end();
        }));
        String address = server.address();
        return Map.of("weft.inference.credentials-url", address, "weft.service-client.gateway", address, "weft.service-client.secret", SECRET,
                "weft.inference.executor-url", address);
    }

    private static synchronized void answerMeter(HttpServerRequest request, String tenant, JsonObject asked) {
        if (EXECUTORS_DOWN) {
            request.response().setStatusCode(503).end();
            return;
        }
        long used = METER.getOrDefault(tenant, 0L);
        if (request.path().endsWith("/reservations")) {
            long tokens = asked.getLong("tokens");
            if (used + tokens > asked.getLong("budget")) {
                LoopbackServer.answer(request.response(), "429 {\"title\":\"Quota exceeded\",\"status\":429,\"detail\":\"the organisation's"
                        + " language-model budget of " + asked.getLong("budget") + " tokens a month does not hold this call\"}");
                return;
            }
            METER.put(tenant, used + tokens);
            request.response().setStatusCode(201).putHeader("content-type", "application/json").end(new JsonObject()
                    .put("month", java.time.LocalDate.now(java.time.ZoneOffset.UTC).withDayOfMonth(1).toString()).put("reserved", tokens).encode());
        } else {
            METER.put(tenant, used + asked.getLong("used") - asked.getLong("reserved"));
            request.response().setStatusCode(204).end();
        }
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
