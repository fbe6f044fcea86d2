package io.weft.credentials;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.weft.testsupport.FakeServiceTokens;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Stands in for the gateway's service-token endpoint and workflow-service's credential-uses endpoint
 * (tested in workflow-service) on a loopback port: tests put, per credential id, the workflows that
 * use it in {@link #USES}; {@link #DOWN} holds credential ids for which workflow-service fails.
 */
public class FakeWorkflowService implements QuarkusTestResourceLifecycleManager {
    public static final Map<String, JsonArray> USES = new ConcurrentHashMap<>();
    public static final java.util.Set<String> DOWN = ConcurrentHashMap.newKeySet();
    private static final String SECRET = "test-credentials-secret";

    private Vertx vertx;

    @Override
    public Map<String, String> start() {
        vertx = Vertx.vertx();
        HttpServer server = vertx.createHttpServer().requestHandler(request -> request.body().onSuccess(body -> {
            if (FakeServiceTokens.answer(request, body, "credentials", SECRET)) {
                return;
            }
            if (request.path().startsWith("/internal/credential-uses/")
                    && FakeServiceTokens.tenantOf(request) != null) {
                String credential = request.path().substring("/internal/credential-uses/".length());
                if (DOWN.contains(credential)) {
                    request.response().setStatusCode(503).end();
                    return;
                }
                request.response().putHeader("content-type", "application/json")
                        .end(new JsonObject().put("workflows", USES.getOrDefault(credential, new JsonArray())).encode());
                return;
            }
            request.response().setStatusCode(404).end();
        }));
        int port;
        try {
            port = server.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS).actualPort();
        } catch (Exception e) {
            throw new IllegalStateException("cannot start the fake workflow-service", e);
        }
        String address = "http://127.0.0.1:" + port;
        return Map.of("weft.service-client.gateway", address, "weft.service-client.secret", SECRET, "weft.credentials.workflow-url", address);
    }

    @Override
    public void stop() {
        if (vertx != null) {
            vertx.close().toCompletionStage().toCompletableFuture().orTimeout(10, TimeUnit.SECONDS).join();
        }
    }
}
