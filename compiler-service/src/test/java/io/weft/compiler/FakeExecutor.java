package io.weft.compiler;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.weft.testsupport.FakeServiceTokens;
import java.nio.file.Files;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Stands in for the two fleet services the compiler calls, on a loopback port: the gateway's
 * service-token endpoint (checks the compiler's secret) and executor-service's catalog endpoint
 * (checks the token, serves the published catalog with its ETag, answers 304 to a matching
 * If-None-Match, and lists each tenant's own node types of {@link #CUSTOM_TYPES}), and credentials-service's lookup (answers the credentials of {@link #CREDENTIALS}
 * for the tenant the service token was asked for).
 */
public class FakeExecutor implements QuarkusTestResourceLifecycleManager {
    public static final String SECRET = "test-compiler-secret";
    public static final AtomicInteger CATALOG_DOWNLOADS = new AtomicInteger();
    public static final AtomicInteger CATALOG_REVALIDATIONS = new AtomicInteger();
    /** Per tenant: credential id → type, as credentials-service would hold them. */
    public static final Map<String, Map<String, String>> CREDENTIALS = new java.util.concurrent.ConcurrentHashMap<>();
    /** Per tenant: its own node types' descriptors, as executor-service's /api/nodes/custom lists them. */
    public static final Map<String, JsonArray> CUSTOM_TYPES = new java.util.concurrent.ConcurrentHashMap<>();
    private static final String ETAG = "\"catalog-v1\"";

    private Vertx vertx;

    @Override
    public Map<String, String> start() {
        vertx = Vertx.vertx();
        Buffer catalog;
        try {
            catalog = Buffer.buffer(Files.readAllBytes(TestCatalog.PUBLISHED));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        HttpServer server = vertx.createHttpServer().requestHandler(request -> request.body().onSuccess(body -> {
            if (FakeServiceTokens.answer(request, body, "compiler", SECRET)) {
                return;
            }
            String tenant = FakeServiceTokens.tenantOf(request);
            if (tenant == null) {
                request.response().setStatusCode(401).end();
            } else if (request.path().equals("/api/nodes/all")) {
                if (ETAG.equals(request.getHeader("if-none-match"))) {
                    CATALOG_REVALIDATIONS.incrementAndGet();
                    request.response().setStatusCode(304).putHeader("etag", ETAG).end();
                } else {
                    CATALOG_DOWNLOADS.incrementAndGet();
                    request.response().putHeader("content-type", "application/json").putHeader("etag", ETAG).end(catalog);
                }
            } else if (request.path().equals("/api/nodes/custom")) {
                JsonArray items = new JsonArray();
                CUSTOM_TYPES.getOrDefault(tenant, new JsonArray()).forEach(descriptor -> items.add(new JsonObject().put("descriptor", descriptor)));
                request.response().putHeader("content-type", "application/json").end(new JsonObject().put("items", items).encode());
            } else if (request.path().equals("/internal/credentials/lookup")) {
                JsonArray found = new JsonArray();
                Map<String, String> owned = CREDENTIALS.getOrDefault(tenant, Map.of());
                body.toJsonObject().getJsonArray("ids").forEach(id -> {
                    if (owned.containsKey(String.valueOf(id))) {
                        found.add(new JsonObject().put("id", id).put("type", owned.get(String.valueOf(id))).put("status", "ok"));
                    }
                });
                request.response().putHeader("content-type", "application/json").end(new JsonObject().put("credentials", found).encode());
            } else {
                request.response().setStatusCode(404).end();
            }
        }));
        int port;
        try {
            port = server.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS).actualPort();
        } catch (Exception e) {
            throw new IllegalStateException("cannot start the fake executor", e);
        }
        String address = "http://127.0.0.1:" + port;
        return Map.of("weft.compiler.executor-url", address,
                "weft.service-client.gateway", address,
                "weft.compiler.credentials-url", address,
                "weft.service-client.secret", SECRET,
                "weft.compiler.catalog-refresh", "1s");
    }

    @Override
    public void stop() {
        if (vertx != null) {
            vertx.close().toCompletionStage().toCompletableFuture().orTimeout(10, TimeUnit.SECONDS).join();
        }
    }
}
