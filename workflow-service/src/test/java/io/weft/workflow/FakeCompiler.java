package io.weft.workflow;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.weft.testsupport.FakeServiceTokens;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Stands in for the gateway's service-token endpoint and for compiler-service, on a loopback port.
 * Its rule is simple and known to the tests: a definition compiles when it has a
 * {@code trigger.manual} node; otherwise it gets the compiler's NO_TRIGGER diagnostic. The real
 * compiler's checks are tested in compiler-service; the fleet smoke test in docs covers the two
 * together. {@link #DOWN} makes the compiler part answer 503, as a compiler-service that cannot work would.
 * It also answers credentials-service's webhook verification: {@link #VERDICTS} holds each
 * credential's answer (the real checks are tested in credentials-service), {@link #VERIFICATIONS}
 * what was asked. And executor-service's looks of polling triggers: {@link #LOOKS} holds, per workflow id, the
 * answers to give in turn (a JSON body, or {@code "503"} for a failure), {@link #LOOKS_ASKED} what was asked.
 */
public class FakeCompiler implements QuarkusTestResourceLifecycleManager {
    public static final AtomicBoolean DOWN = new AtomicBoolean();
    public static final Map<String, String> VERDICTS = new java.util.concurrent.ConcurrentHashMap<>();
    public static final java.util.List<JsonObject> VERIFICATIONS = new java.util.concurrent.CopyOnWriteArrayList<>();
    /** What the gateway's /internal/tenant-tiers says: tenants here are free, suspended or not; it does not know the others. */
    public static final Map<String, Boolean> SUSPENDED = new java.util.concurrent.ConcurrentHashMap<>();
    /** When set, /internal/tenant-tiers answers this status with a body that is not JSON, as a broken gateway would. */
    public static final java.util.concurrent.atomic.AtomicInteger TIERS_BROKEN_WITH = new java.util.concurrent.atomic.AtomicInteger();
    public static final Map<String, java.util.Deque<String>> LOOKS = new java.util.concurrent.ConcurrentHashMap<>();
    public static final java.util.List<JsonObject> LOOKS_ASKED = new java.util.concurrent.CopyOnWriteArrayList<>();
    private static final String SECRET = "test-workflow-secret";

    private Vertx vertx;

    @Override
    public Map<String, String> start() {
        vertx = Vertx.vertx();
        HttpServer server = vertx.createHttpServer().requestHandler(request -> request.body().onSuccess(body -> {
            if (FakeServiceTokens.answer(request, body, "workflow", SECRET)) {
                return;
            }
            if (request.path().equals("/internal/tenant-tiers")) {
                if (TIERS_BROKEN_WITH.get() != 0) {
                    request.response().setStatusCode(TIERS_BROKEN_WITH.get()).end("<html>upstream trouble</html>");
                    return;
                }
                JsonObject asked = body.toJsonObject();
                boolean known = "workflow".equals(asked.getString("service")) && SECRET.equals(asked.getString("secret"));
                JsonObject tiers = new JsonObject();
                JsonArray suspended = new JsonArray();
                asked.getJsonArray("tenantIds", new JsonArray()).stream().map(String::valueOf).filter(SUSPENDED::containsKey)
                        .forEach(tenant -> {
                            tiers.put(tenant, "free");
                            if (SUSPENDED.get(tenant)) {
                                suspended.add(tenant);
                            }
                        });
                request.response().setStatusCode(known ? 200 : 401).putHeader("content-type", "application/json")
                        .end(known ? new JsonObject().put("tiers", tiers).put("suspended", suspended).encode() : "{}");
                return;
            }
            if (DOWN.get()) {
                request.response().setStatusCode(503).end();
                return;
            }
            if (FakeServiceTokens.tenantOf(request) == null) {
                request.response().setStatusCode(401).end();
                return;
            }
            if (request.path().startsWith("/internal/credentials/") && request.path().endsWith("/verify")) {
                String id = request.path().substring("/internal/credentials/".length(), request.path().length() - "/verify".length());
                VERIFICATIONS.add(body.toJsonObject().put("credentialId", id));
                String verdict = VERDICTS.get(id);
                request.response().setStatusCode(verdict == null ? 404 : 200).putHeader("content-type", "application/json")
                        .end(verdict == null ? "{}" : verdict);
                return;
            }
            if (request.path().equals("/internal/trigger-polls")) {
                JsonObject asked = body.toJsonObject();
                LOOKS_ASKED.add(asked);
                String answer = LOOKS.getOrDefault(asked.getString("workflowId"), new java.util.ArrayDeque<>()).poll();
                if (answer == null || answer.equals("503")) {
                    request.response().setStatusCode(503).putHeader("content-type", "application/problem+json")
                            .end("{\"status\":503,\"detail\":\"no look prepared\"}");
                } else {
                    request.response().putHeader("content-type", "application/json").end(answer);
                }
                return;
            }
            JsonObject definition = body.toJsonObject();
            JsonArray nodes = definition.getJsonArray("nodes", new JsonArray());
            boolean compiles = nodes.stream().anyMatch(node -> node instanceof JsonObject n && "trigger.manual".equals(n.getString("type")));
            JsonArray diagnostics = compiles ? new JsonArray() : new JsonArray().add(new JsonObject()
                    .put("severity", "error").put("code", "NO_TRIGGER").put("pointer", "/nodes")
                    .put("message", "the workflow has no enabled trigger, so nothing could start it"));
            switch (request.path()) {
                case "/api/compile/validate" -> request.response().putHeader("content-type", "application/json")
                        .end(new JsonObject().put("valid", compiles).put("diagnostics", diagnostics).encode());
                case "/api/compile" -> request.response().setStatusCode(compiles ? 200 : 422)
                        .putHeader("content-type", compiles ? "application/json" : "application/problem+json")
                        .end(compiles ? new JsonObject().put("hash", sha256(body.toString())).put("diagnostics", diagnostics).encode()
                                : new JsonObject().put("status", 422).put("diagnostics", diagnostics).encode());
                default -> request.response().setStatusCode(404).end();
            }
        }));
        int port;
        try {
            port = server.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS).actualPort();
        } catch (Exception e) {
            throw new IllegalStateException("cannot start the fake compiler", e);
        }
        String address = "http://127.0.0.1:" + port;
        return Map.of("weft.workflow.compiler-url", address, "weft.workflow.credentials-url", address, "weft.workflow.executor-url", address,
                "weft.service-client.gateway", address,
                "weft.service-client.secret", SECRET);
    }

    @Override
    public void stop() {
        if (vertx != null) {
            vertx.close().toCompletionStage().toCompletableFuture().orTimeout(10, TimeUnit.SECONDS).join();
        }
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
