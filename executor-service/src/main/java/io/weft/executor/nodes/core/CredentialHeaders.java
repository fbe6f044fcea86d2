package io.weft.executor.nodes.core;

import com.fasterxml.jackson.databind.JsonNode;
import io.weft.contracts.events.ErrorKind;
import io.weft.executor.engine.Credentials;
import io.weft.executor.engine.NodeFailure;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/** The request headers that carry an HTTP credential. Error messages name fields, never values. */
final class CredentialHeaders {
    static final List<String> TYPES = List.of("httpBasicAuth", "httpHeaderAuth", "httpBearerAuth", "oAuth2Api");

    private CredentialHeaders() {
    }

    static Map<String, String> of(Credentials.Resolved credential) {
        JsonNode data = credential.data();
        return switch (credential.type()) {
            case "httpBasicAuth" -> Map.of("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                    (required(data, "user") + ":" + required(data, "password")).getBytes(StandardCharsets.UTF_8)));
            case "httpHeaderAuth" -> Map.of(required(data, "name"), required(data, "value"));
            case "httpBearerAuth" -> Map.of("Authorization", "Bearer " + required(data, "token"));
            case "oAuth2Api" -> {
                String token = data.path("oauthTokenData").path("accessToken").asText("");
                if (token.isEmpty()) {
                    throw new NodeFailure(ErrorKind.CREDENTIALS, false, "the OAuth2 credential has no access token yet: connect it first");
                }
                yield Map.of("Authorization", "Bearer " + token);
            }
            default -> throw new NodeFailure(ErrorKind.CREDENTIALS, false, "HTTP Request cannot authenticate with a "
                    + credential.type() + " credential");
        };
    }

    /** A redirect keeps the credential only within the origin the node was asked to call. */
    static boolean sameOrigin(URI first, URI next) {
        return first.getScheme().equalsIgnoreCase(next.getScheme())
                && first.getHost().toLowerCase(Locale.ROOT).equals(next.getHost().toLowerCase(Locale.ROOT))
                && Objects.equals(port(first), port(next));
    }

    private static int port(URI uri) {
        return uri.getPort() != -1 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
    }

    private static String required(JsonNode data, String field) {
        String value = data.path(field).asText("");
        if (value.isEmpty()) {
            throw new NodeFailure(ErrorKind.CREDENTIALS, false, "the credential has no " + field);
        }
        return value;
    }
}
