package io.weft.testsupport;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;

/**
 * The gateway's service-token endpoint as the fakes of other services play it in tests: a service
 * that presents its name and secret gets the token {@code token-for:<tenant>} ({@code null} for no
 * tenant), which the same fake then accepts on its own endpoints.
 */
public final class FakeServiceTokens {
    private static final String BEARER = "Bearer token-for:";

    private FakeServiceTokens() {
    }

    /** Answers the request when it asks for a service token (and says so); leaves any other request alone. */
    public static boolean answer(HttpServerRequest request, Buffer body, String service, String secret) {
        if (!request.path().equals("/internal/service-tokens")) {
            return false;
        }
        JsonObject asked = body.toJsonObject();
        boolean known = service.equals(asked.getString("service")) && secret.equals(asked.getString("secret"));
        request.response().setStatusCode(known ? 200 : 401).putHeader("content-type", "application/json")
                .end(known ? new JsonObject().put("accessToken", "token-for:" + asked.getString("tenantId")).put("expiresIn", 300).encode()
                        : "{}");
        return true;
    }

    /** The tenant the request's fake token was issued for ({@code "null"} for none), or null without such a token. */
    public static String tenantOf(HttpServerRequest request) {
        String authorization = request.getHeader("authorization");
        return authorization != null && authorization.startsWith(BEARER) ? authorization.substring(BEARER.length()) : null;
    }
}
