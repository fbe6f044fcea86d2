package io.weft.credentials.crypto;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A local stand-in for Vault's transit HTTP API ({@code /v1/transit/encrypt|decrypt/<key>}), which
 * cannot run here: it checks the client token, "encrypts" reversibly (XOR, base64, {@code vault:v1:}
 * prefix, as opaque to the client as the real thing) and records every call in {@link #CALLS}.
 */
public class VaultTransitStub implements QuarkusTestResourceLifecycleManager {
    static final String TOKEN = "test-vault-token";
    static final List<String> CALLS = new CopyOnWriteArrayList<>();

    private Vertx vertx;

    @Override
    public Map<String, String> start() {
        vertx = Vertx.vertx();
        HttpServer server = vertx.createHttpServer().requestHandler(request -> request.body().onSuccess(body -> {
            CALLS.add(request.method() + " " + request.path());
            if (!TOKEN.equals(request.getHeader("X-Vault-Token"))) {
                request.response().setStatusCode(403).putHeader("content-type", "application/json").end("{\"errors\":[\"permission denied\"]}");
                return;
            }
            // quarkus-vault sends batches: {"batch_input": [{"plaintext"|"ciphertext": ...}]} → {"batch_results": [...]}
            io.vertx.core.json.JsonArray results = new io.vertx.core.json.JsonArray();
            boolean encrypt = request.path().equals("/v1/transit/encrypt/weft-credentials");
            boolean decrypt = request.path().equals("/v1/transit/decrypt/weft-credentials");
            for (Object item : body.toJsonObject().getJsonArray("batch_input", new io.vertx.core.json.JsonArray())) {
                JsonObject input = (JsonObject) item;
                if (encrypt) {
                    byte[] plaintext = Base64.getDecoder().decode(input.getString("plaintext"));
                    results.add(new JsonObject().put("ciphertext", "vault:v1:" + Base64.getEncoder().encodeToString(xor(plaintext))));
                } else if (decrypt && input.getString("ciphertext", "").startsWith("vault:v1:")) {
                    byte[] plaintext = xor(Base64.getDecoder().decode(input.getString("ciphertext").substring("vault:v1:".length())));
                    results.add(new JsonObject().put("plaintext", Base64.getEncoder().encodeToString(plaintext)));
                } else {
                    results.add(new JsonObject().put("error", "invalid ciphertext"));
                }
            }
            JsonObject answer = new JsonObject().put("batch_results", results);
            request.response().putHeader("content-type", "application/json").end(new JsonObject().put("data", answer).encode());
        }));
        int port;
        try {
            port = server.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS).actualPort();
        } catch (Exception e) {
            throw new IllegalStateException("cannot start the Vault stub", e);
        }
        return Map.of("quarkus.vault.url", "http://127.0.0.1:" + port, "quarkus.vault.authentication.client-token", TOKEN,
                "weft.credentials.kek.provider", "vault");
    }

    private static byte[] xor(byte[] bytes) {
        byte[] out = bytes.clone();
        for (int i = 0; i < out.length; i++) {
            out[i] ^= (byte) 0x5a;
        }
        return out;
    }

    @Override
    public void stop() {
        if (vertx != null) {
            vertx.close().toCompletionStage().toCompletableFuture().orTimeout(10, TimeUnit.SECONDS).join();
        }
    }
}
