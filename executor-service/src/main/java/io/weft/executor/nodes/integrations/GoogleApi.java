package io.weft.executor.nodes.integrations;

import com.fasterxml.jackson.databind.JsonNode;
import io.weft.contracts.events.ErrorKind;
import io.weft.contracts.json.WeftJson;
import io.weft.executor.engine.Credentials;
import io.weft.executor.engine.NodeFailure;
import io.weft.executor.outbound.OutboundHttp;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.function.UnaryOperator;

/**
 * Google's REST APIs (Sheets, Gmail) for one node run. The access token comes from the credential:
 * an OAuth2 credential's current token (credentials-service refreshes it before resolving), or a
 * service account's signed assertion (RS256) exchanged at its token endpoint — a URL in the
 * credential, so checked against the internal networks like any address a tenant chooses. Google's
 * errors ({@code {"error": {"code", "message", "status"}}}) become typed failures: 401/403
 * {@code CREDENTIALS}, 404 {@code NOT_FOUND}, 429 {@code RATE_LIMITED} and 5xx (retried, with
 * {@code Retry-After}), other 4xx {@code INVALID_PARAMETERS} with Google's message.
 */
final class GoogleApi {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final String DEFAULT_TOKEN_URL = "https://oauth2.googleapis.com/token";

    private final OutboundHttp http;
    private final Clock clock;
    private final String product;
    /** An OAuth2 credential's token after the provider refused the one given, or null (a service account's was just minted). */
    private final UnaryOperator<String> afterRefusal;
    private String token;
    private boolean refreshed;

    private GoogleApi(OutboundHttp http, String token, Clock clock, String product, UnaryOperator<String> afterRefusal) {
        this.http = http;
        this.token = token;
        this.clock = clock;
        this.product = product;
        this.afterRefusal = afterRefusal;
    }

    /**
     * With the credential's access token, minted first for a service account. An OAuth2 token the
     * provider refuses (401) is replaced once by {@code afterRefusal} (the credential refreshed by
     * credentials-service) and the call made again.
     */
    static GoogleApi of(OutboundHttp http, Credentials.Resolved credential, Clock clock, String product, String defaultScope,
                        java.util.function.Function<String, Credentials.Resolved> afterRefusal) {
        JsonNode data = credential.data();
        if (credential.type().equals("googleServiceAccount")) {
            return new GoogleApi(http, serviceAccountToken(http, data, clock, defaultScope), clock, product, null);
        }
        return new GoogleApi(http, accessToken(credential), clock, product, refused -> accessToken(afterRefusal.apply(refused)));
    }

    private static String accessToken(Credentials.Resolved credential) {
        String token = credential.data().path("oauthTokenData").path("accessToken").asText("");
        if (token.isEmpty()) {
            throw new NodeFailure(ErrorKind.CREDENTIALS, false, "the Google OAuth2 credential has no access token yet: connect it first");
        }
        return token;
    }

    JsonNode get(URI uri) {
        return answer(bearer -> HttpRequest.newBuilder(uri).timeout(TIMEOUT).header("Authorization", bearer).GET().build());
    }

    JsonNode post(URI uri, JsonNode body) {
        return answer(bearer -> HttpRequest.newBuilder(uri).timeout(TIMEOUT).header("Authorization", bearer)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body.toString())).build());
    }

    /** A path segment or query value, percent-encoded (a range such as {@code Sheet 1!A1:C} included). */
    static String encoded(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** The call, made again once with a refreshed token when the provider refuses an OAuth2 one. */
    private JsonNode answer(java.util.function.Function<String, HttpRequest> request) {
        HttpResponse<InputStream> response = http.send(request.apply("Bearer " + token));
        if (response.statusCode() == 401 && afterRefusal != null && !refreshed) {
            OutboundHttp.close(response);
            refreshed = true;
            token = afterRefusal.apply(token);
            response = http.send(request.apply("Bearer " + token));
        }
        byte[] body = OutboundHttp.read(response);
        int status = response.statusCode();
        if (status >= 400) {
            throw failure(response, body);
        }
        try {
            return body.length == 0 ? WeftJson.mapper().createObjectNode() : WeftJson.mapper().readTree(body);
        } catch (IOException e) {
            throw new NodeFailure(ErrorKind.HTTP_SERVER_ERROR, true, product + " answered something that is not JSON");
        }
    }

    private NodeFailure failure(HttpResponse<InputStream> response, byte[] body) {
        int status = response.statusCode();
        String said = product + " answered " + status + googleMessage(body);
        if (status == 403 && said.toLowerCase(java.util.Locale.ROOT).contains("ratelimitexceeded")) {
            return new NodeFailure(ErrorKind.RATE_LIMITED, true, said); // Google's per-user quota answers 403
        }
        if (status == 401 || status == 403) {
            return new NodeFailure(ErrorKind.CREDENTIALS, false, said);
        }
        if (status == 404) {
            return new NodeFailure(ErrorKind.NOT_FOUND, false, said);
        }
        if (status == 429 || status >= 500 || status == 408) {
            return OutboundHttp.statusFailure(response, said, clock.instant());
        }
        return new NodeFailure(ErrorKind.INVALID_PARAMETERS, false, said);
    }

    /** Google's own words: {@code ": <status>: <message>"}, cut short. */
    private static String googleMessage(byte[] body) {
        try {
            JsonNode error = WeftJson.mapper().readTree(body).path("error");
            String message = error.path("message").asText("");
            String status = error.path("status").asText("");
            String reason = error.path("errors").path(0).path("reason").asText("");
            String said = String.join(": ", java.util.stream.Stream.of(status, reason, message).filter(s -> !s.isEmpty()).toList());
            return said.isEmpty() ? "" : ": " + (said.length() > 300 ? said.substring(0, 300) + "…" : said);
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }

    private static String serviceAccountToken(OutboundHttp http, JsonNode data, Clock clock, String defaultScope) {
        String tokenUrl = data.path("tokenUrl").asText(DEFAULT_TOKEN_URL);
        URI endpoint;
        try {
            endpoint = URI.create(tokenUrl.isBlank() ? DEFAULT_TOKEN_URL : tokenUrl);
        } catch (IllegalArgumentException e) {
            throw new NodeFailure(ErrorKind.CREDENTIALS, false, "the service account's tokenUrl is not a URL");
        }
        if (endpoint.getHost() == null) {
            throw new NodeFailure(ErrorKind.CREDENTIALS, false, "the service account's tokenUrl is not a URL");
        }
        http.allowed(endpoint.getHost());
        String scope = data.path("scopes").asText("").isBlank() ? defaultScope : data.path("scopes").asText();
        String assertion = assertion(data.path("email").asText(""), scope, endpoint.toString(), data.path("privateKey").asText(""), clock);
        String form = "grant_type=" + encoded("urn:ietf:params:oauth:grant-type:jwt-bearer") + "&assertion=" + assertion;
        HttpResponse<InputStream> response = http.send(HttpRequest.newBuilder(endpoint).timeout(TIMEOUT)
                .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(form)).build());
        byte[] body = OutboundHttp.read(response);
        if (response.statusCode() >= 500 || response.statusCode() == 429) {
            throw OutboundHttp.statusFailure(response, "the service account's token endpoint answered " + response.statusCode(), clock.instant());
        }
        String token = "";
        try {
            token = WeftJson.mapper().readTree(body).path("access_token").asText("");
        } catch (IOException ignored) {
            // no token: refused below
        }
        if (response.statusCode() != 200 || token.isEmpty()) {
            throw new NodeFailure(ErrorKind.CREDENTIALS, false, "the service account's token endpoint refused it (" + response.statusCode()
                    + "): check its e-mail, key and scopes");
        }
        return token;
    }

    /** A JWT signed with the service account's key, as Google's OAuth 2.0 for server-to-server applications asks. */
    private static String assertion(String email, String scope, String audience, String pem, Clock clock) {
        if (email.isBlank()) {
            throw new NodeFailure(ErrorKind.CREDENTIALS, false, "the service account credential has no email");
        }
        long now = clock.instant().getEpochSecond();
        Base64.Encoder base64 = Base64.getUrlEncoder().withoutPadding();
        String header = base64.encodeToString("{\"alg\":\"RS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
        String claims = base64.encodeToString(WeftJson.mapper().createObjectNode().put("iss", email).put("scope", scope).put("aud", audience)
                .put("iat", now).put("exp", now + 3600).toString().getBytes(StandardCharsets.UTF_8));
        try {
            Signature signature = Signature.getInstance("SHA256withRSA");
            signature.initSign(privateKey(pem));
            signature.update((header + "." + claims).getBytes(StandardCharsets.US_ASCII));
            return header + "." + claims + "." + base64.encodeToString(signature.sign());
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new NodeFailure(ErrorKind.CREDENTIALS, false, "the service account's private key cannot sign (it must be an RSA key in PEM)");
        }
    }

    private static PrivateKey privateKey(String pem) throws GeneralSecurityException {
        String base64 = pem.replace("\\n", "\n").replaceAll("-----(BEGIN|END) PRIVATE KEY-----", "").replaceAll("\\s", "");
        return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64)));
    }
}
