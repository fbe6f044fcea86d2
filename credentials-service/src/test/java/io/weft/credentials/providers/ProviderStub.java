package io.weft.credentials.providers;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Local stand-ins for the providers' identity calls (OpenAI, Gemini, Ollama, Slack, Google's token
 * endpoint), which cannot be reached from here: each accepts exactly one good secret.
 */
public class ProviderStub implements QuarkusTestResourceLifecycleManager {
    static String address;
    private Vertx vertx;

    @Override
    public Map<String, String> start() {
        vertx = Vertx.vertx();
        HttpServer server = vertx.createHttpServer().requestHandler(request -> request.body().onSuccess(body -> {
            String authorization = String.valueOf(request.getHeader("authorization"));
            int status = 404;
            String answer = "{}";
            switch (request.path()) {
                case "/openai/models" -> status = authorization.equals("Bearer sk-good") ? 200 : 401;
                case "/gemini/v1beta/models" -> status = "gm-good".equals(request.getHeader("x-goog-api-key")) ? 200 : 403;
                case "/ollama/api/tags" -> status = 200;
                case "/slack/auth.test" -> {
                    status = 200;
                    answer = authorization.equals("Bearer xoxb-good") ? new JsonObject().put("ok", true).put("team", "Weft").encode()
                            : new JsonObject().put("ok", false).put("error", "invalid_auth").encode();
                }
                case "/google/token" -> {
                    String form = body.toString();
                    boolean signed = form.contains("grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer")
                            && form.matches(".*assertion=[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+$");
                    status = signed ? 200 : 400;
                    answer = signed ? new JsonObject().put("access_token", "ya29.stub").encode() : "{\"error\":\"invalid_grant\"}";
                }
                default -> { }
            }
            request.response().setStatusCode(status).putHeader("content-type", "application/json").end(answer);
        }));
        int port;
        try {
            port = server.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS).actualPort();
        } catch (Exception e) {
            throw new IllegalStateException("cannot start the provider stub", e);
        }
        address = "http://127.0.0.1:" + port;
        return Map.of("weft.credentials.providers.slack-url", address + "/slack");
    }

    @Override
    public void stop() {
        if (vertx != null) {
            vertx.close().toCompletionStage().toCompletableFuture().orTimeout(10, TimeUnit.SECONDS).join();
        }
    }
}
