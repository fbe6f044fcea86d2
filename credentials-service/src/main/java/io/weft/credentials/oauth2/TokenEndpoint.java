package io.weft.credentials.oauth2;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpMethod;
import io.weft.contracts.json.WeftJson;
import io.weft.credentials.providers.ProviderCalls;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Base64;
import java.util.Map;
import java.util.StringJoiner;

/**
 * A provider's OAuth2 token endpoint (RFC 6749): exchanges a code (with its PKCE verifier), a refresh
 * token or client credentials for tokens, through {@link ProviderCalls} (internal addresses refused
 * unless allowed).
 */
@ApplicationScoped
public class TokenEndpoint {
    /** The provider refused (4xx: the grant is no good) or could not be reached or answered badly. */
    public static final class TokenError extends RuntimeException {
        private final boolean refused;

        TokenError(String message, boolean refused) {
            super(message);
            this.refused = refused;
        }

        /** True when the provider said no (invalid_grant and the like): asking again will not help. */
        public boolean refused() {
            return refused;
        }
    }

    private final ProviderCalls calls;
    private final Clock clock;

    TokenEndpoint(ProviderCalls calls, Clock clock) {
        this.calls = calls;
        this.clock = clock;
    }

    /**
     * Asks for tokens with these form fields; the client authenticates with HTTP Basic
     * ({@code authentication: header}, the default) or in the body. Answers the credential's
     * {@code oauthTokenData}, keeping the earlier refresh token when the provider sends none.
     */
    public Uni<ObjectNode> request(String type, JsonNode settings, Map<String, String> form, JsonNode earlier) {
        URI endpoint = OAuth2Settings.tokenUrl(type, settings);
        StringJoiner body = new StringJoiner("&");
        form.forEach((name, value) -> body.add(encode(name) + "=" + encode(value)));
        String clientId = settings.path("clientId").asText();
        String clientSecret = settings.path("clientSecret").asText();
        Map<String, String> headers = new java.util.HashMap<>(Map.of("Content-Type", "application/x-www-form-urlencoded"));
        if ("body".equals(settings.path("authentication").asText("header"))) {
            body.add("client_id=" + encode(clientId)).add("client_secret=" + encode(clientSecret));
        } else {
            headers.put("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                    (encode(clientId) + ":" + encode(clientSecret)).getBytes(StandardCharsets.UTF_8)));
        }
        return calls.send(HttpMethod.POST, endpoint, headers, body.toString())
                .onFailure(ProviderCalls.Unreachable.class).transform(failure -> new TokenError("the token endpoint cannot be called: "
                        + failure.getMessage(), ((ProviderCalls.Unreachable) failure).refused()))
                .map(response -> tokens(endpoint, response, earlier));
    }


    private ObjectNode tokens(URI endpoint, ProviderCalls.Answer response, JsonNode earlier) {
        JsonNode answer;
        try {
            answer = WeftJson.mapper().readTree(response.body());
        } catch (Exception e) {
            answer = WeftJson.mapper().createObjectNode();
        }
        if (response.status() >= 400 && response.status() < 500) {
            // The provider's error code is safe to show; its description may echo what was sent, so it is left out.
            throw new TokenError("the provider refused: " + answer.path("error").asText("HTTP " + response.status()), true);
        }
        if (response.status() != 200 || !answer.hasNonNull("access_token")) {
            throw new TokenError("the token endpoint " + endpoint.getHost() + " answered " + response.status() + " without a token", false);
        }
        ObjectNode tokens = WeftJson.mapper().createObjectNode();
        tokens.put("accessToken", answer.path("access_token").asText());
        String refresh = answer.path("refresh_token").asText(earlier == null ? null : earlier.path("refreshToken").asText(null));
        if (refresh != null) {
            tokens.put("refreshToken", refresh);
        }
        tokens.put("tokenType", answer.path("token_type").asText("Bearer"));
        if (answer.has("scope")) {
            tokens.put("scope", answer.path("scope").asText());
        }
        if (answer.path("expires_in").canConvertToLong() && answer.path("expires_in").asLong() > 0) {
            tokens.put("expiresAt", clock.instant().plusSeconds(answer.path("expires_in").asLong()).toString());
        }
        return tokens;
    }

    private static String encode(String value) {
        return URLEncoder.encode(value == null ? "" : value, StandardCharsets.UTF_8);
    }
}
