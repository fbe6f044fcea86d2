package io.weft.logs;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The gateway's {@code /internal/tenant-tiers} as logs-service's tests need it, on a loopback port:
 * it knows the tenants in {@link #TIERS} (the real endpoint is tested in gateway-service), and
 * answers 503 while {@link #DOWN}.
 */
public class FakeGateway implements QuarkusTestResourceLifecycleManager {
    public static final Map<String, String> TIERS = new ConcurrentHashMap<>();
    public static final AtomicBoolean DOWN = new AtomicBoolean();
    private static final String SECRET = "test-logs-secret";

    private Vertx vertx;

    @Override
    public Map<String, String> start() {
        vertx = Vertx.vertx();
        HttpServer server = vertx.createHttpServer().requestHandler(request -> request.body().onSuccess(body -> {
            JsonObject asked = body.length() == 0 ? new JsonObject() : body.toJsonObject();
            if (!request.path().equals("/internal/tenant-tiers")) {
                request.response().setStatusCode(404).end();
            } else if (DOWN.get()) {
                request.response().setStatusCode(503).end();
            } else if (!"logs".equals(asked.getString("service")) || !SECRET.equals(asked.getString("secret"))) {
                request.response().setStatusCode(401).end();
            } else {
                JsonObject tiers = new JsonObject();
                asked.getJsonArray("tenantIds").forEach(id -> {
                    String tier = TIERS.get(String.valueOf(id));
                    if (tier != null) {
                        tiers.put(String.valueOf(id), tier);
                    }
                });
                request.response().putHeader("content-type", "application/json").end(new JsonObject().put("tiers", tiers).encode());
            }
        }));
        try {
            server.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("the fake gateway did not start", e);
        }
        return Map.of("weft.service-client.gateway", "http://127.0.0.1:" + server.actualPort(), "weft.service-client.secret", SECRET);
    }

    @Override
    public void stop() {
        if (vertx != null) {
            vertx.close();
        }
    }
}
