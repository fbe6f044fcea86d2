package io.weft.gateway.forwarding;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Stands in for the services behind the gateway: a real HTTP server on a loopback port that
 * shows what it received (/echo), streams server-sent events (/sse), stays silent (/slow), or
 * echoes WebSocket messages.
 * executor-service is pointed at a port where nothing listens.
 */
public class FakeUpstream implements QuarkusTestResourceLifecycleManager {
    /** How many of the /sse streams were closed before they ended (the gateway reset them). */
    public static final AtomicLong STREAMS_CLOSED = new AtomicLong();
    /** While set, /internal/tenant-usage answers 503. */
    public static final AtomicBoolean USAGE_DOWN = new AtomicBoolean();
    private Vertx vertx;
    private HttpServer server;

    @Override
    public Map<String, String> start() {
        vertx = Vertx.vertx();
        server = vertx.createHttpServer().webSocketHandler(FakeUpstream::echo).requestHandler(request -> {
            String path = request.path();
            if ("websocket".equalsIgnoreCase(request.getHeader("Upgrade"))) {
                // Some upgrades reach the request handler rather than webSocketHandler when several
                // servers of this kind ran in the JVM before; accept them here too.
                request.toWebSocket().onSuccess(FakeUpstream::echo);
                return;
            }
            if (path.equals("/q/openapi")) {
                request.response().putHeader("Content-Type", "application/json").end("""
                        {"openapi":"3.1.0","info":{"title":"fake","version":"1"},
                         "paths":{"/api/orchestrator/workflows":{"get":{"summary":"List workflows"}},
                                  "/test-support/problems/boom":{"get":{}},
                                  "/internal/credentials/{id}/resolve":{"post":{}}},
                         "components":{"schemas":{"Workflow":{"type":"object"}}}}""");
            } else if (path.equals("/internal/tenant-usage")) {
                request.body().onSuccess(body -> usage(request, body.toJsonObject()));
            } else if (path.endsWith("/sse")) {
                request.response().closeHandler(closed -> STREAMS_CLOSED.incrementAndGet());
                request.response().setChunked(true).putHeader("Content-Type", "text/event-stream");
                request.response().write("data: first\n\n");
                vertx.setTimer(1500, t -> {
                    if (!request.response().closed()) {
                        request.response().end("data: second\n\n");
                    }
                });
            } else if (path.endsWith("/slow")) {
                vertx.setTimer(3000, t -> {
                    if (!request.response().closed()) {
                        request.response().end("too late");
                    }
                });
            } else {
                AtomicLong bytes = new AtomicLong();
                StringBuilder text = new StringBuilder();
                request.handler(chunk -> {
                    bytes.addAndGet(chunk.length());
                    if (text.length() < 1000) {
                        text.append(chunk.toString());
                    }
                });
                request.endHandler(end -> {
                    JsonObject headers = new JsonObject();
                    request.headers().forEach((name, value) -> headers.put(name.toLowerCase(), value));
                    JsonObject echo = new JsonObject().put("method", request.method().name()).put("uri", request.uri())
                            .put("headers", headers).put("bodyLength", bytes.get()).put("body", text.toString());
                    int status = path.endsWith("/created") ? 201 : 200;
                    request.response().setStatusCode(status).putHeader("Content-Type", "application/json")
                            .putHeader("X-Upstream", "fake").end(echo.encode());
                });
            }
        });
        server.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().join();
        String url = "http://127.0.0.1:" + server.actualPort();
        return Map.of(
                "weft.gateway.upstreams.workflow", url,
                "weft.gateway.upstreams.compiler", url,
                "weft.gateway.upstreams.logs", url,
                "weft.gateway.upstreams.credentials", url,
                "weft.gateway.upstreams.executor", "http://127.0.0.1:1",
                "weft.gateway.upstream-timeout", "1s");
    }

    /**
     * As workflow-service answers the gateway's operator pages: 7 workflows, 3 active, 42 runs in 30
     * days, 2 in flight for every tenant asked for; 403 unless the token is the gateway's own with
     * the scope tenants:usage (the signature is checked by the real service, not here).
     */
    private static void usage(io.vertx.core.http.HttpServerRequest request, JsonObject body) {
        String authorization = request.getHeader("Authorization");
        JsonObject claims = authorization == null || !authorization.startsWith("Bearer ") ? new JsonObject()
                : new JsonObject(new String(Base64.getUrlDecoder().decode(authorization.substring(7).split("\\.")[1]), StandardCharsets.UTF_8));
        if (USAGE_DOWN.get()) {
            request.response().setStatusCode(503).end();
        } else if (!"service:gateway".equals(claims.getString("sub")) || claims.containsKey("tid")
                || !claims.getString("scope", "").contains("tenants:usage")) {
            request.response().setStatusCode(403).end();
        } else {
            JsonObject tenants = new JsonObject();
            body.getJsonArray("tenantIds").forEach(id -> tenants.put(String.valueOf(id), new JsonObject().put("workflows", 7)
                    .put("activeWorkflows", 3).put("executionsLast30Days", 42).put("executionsInFlight", 2)));
            request.response().putHeader("Content-Type", "application/json").end(new JsonObject().put("tenants", tenants).encode());
        }
    }

    private static void echo(io.vertx.core.http.ServerWebSocket socket) {
        String authorization = socket.headers().get("Authorization");
        socket.writeTextMessage("hello " + (authorization == null ? "anonymous" : authorization.substring(0, 7)));
        socket.textMessageHandler(text -> socket.writeTextMessage("echo: " + text));
    }

    @Override
    public void stop() {
        if (vertx != null) {
            vertx.close().toCompletionStage().toCompletableFuture().orTimeout(10, TimeUnit.SECONDS).join();
        }
    }
}
