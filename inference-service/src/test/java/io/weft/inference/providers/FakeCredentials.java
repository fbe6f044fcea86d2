package io.weft.inference.providers;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.vertx.core.Vertx;
import io.weft.testsupport.FakeServiceTokens;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * Stands in for the gateway's service-token endpoint and credentials-service's resolution endpoint
 * on a loopback port: tests put a tenant's credentials in {@link #CREDENTIALS} (tenant:id → the
 * answer's JSON, or {@code "403 body"} for another status) and read what was asked in
 * {@link #RESOLUTIONS} ({@code tenant id body}). Unknown credentials answer 404.
 */
public class FakeCredentials implements QuarkusTestResourceLifecycleManager {
    public static final Map<String, String> CREDENTIALS = new ConcurrentHashMap<>();
    public static final List<String> RESOLUTIONS = new CopyOnWriteArrayList<>();
    private static final String SECRET = "test-inference-secret";

    private Vertx vertx;

    @Override
    public Map<String, String> start() {
        vertx = Vertx.vertx();
        var server = vertx.createHttpServer().requestHandler(request -> request.body().onSuccess(body -> {
            if (FakeServiceTokens.answer(request, body, "inference", SECRET)) {
                return;
            }
            String tenant = FakeServiceTokens.tenantOf(request);
            if (request.path().startsWith("/internal/credentials/") && request.path().endsWith("/resolve") && tenant != null) {
                String id = request.path().substring("/internal/credentials/".length(), request.path().length() - "/resolve".length());
                RESOLUTIONS.add(tenant + " " + id + " " + body);
                String answer = CREDENTIALS.getOrDefault(tenant + ":" + id, "404 {\"title\":\"Not found\",\"status\":404}");
                int status = answer.matches("\\d{3} .*") ? Integer.parseInt(answer.substring(0, 3)) : 200;
                request.response().setStatusCode(status).putHeader("content-type", "application/json")
                        .end(status == 200 ? answer : answer.substring(4));
                return;
            }
            request.response().setStatusCode(404).end();
        }));
        int port;
        try {
            port = server.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS).actualPort();
        } catch (Exception e) {
            throw new IllegalStateException("cannot start the fake credentials-service", e);
        }
        String address = "http://127.0.0.1:" + port;
        return Map.of("weft.inference.credentials-url", address, "weft.service-client.gateway", address, "weft.service-client.secret", SECRET);
    }

    @Override
    public void stop() {
        if (vertx != null) {
            vertx.close().toCompletionStage().toCompletableFuture().orTimeout(10, TimeUnit.SECONDS).join();
        }
    }
}
