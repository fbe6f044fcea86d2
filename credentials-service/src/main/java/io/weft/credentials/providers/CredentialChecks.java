package io.weft.credentials.providers;

import com.fasterxml.jackson.databind.JsonNode;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.jwt.algorithm.SignatureAlgorithm;
import io.smallrye.jwt.build.Jwt;
import io.smallrye.jwt.util.KeyUtils;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpMethod;
import io.weft.contracts.json.WeftJson;
import io.weft.credentials.types.CredentialType;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.util.Map;

/**
 * Whether a credential works, asked of its provider's cheapest identity call: OpenAI and Ollama list
 * models, Gemini lists models, Slack calls {@code auth.test}, Google checks the OAuth2 token or
 * exchanges a service account's signed assertion for a token. Generic HTTP credentials and HMAC
 * secrets have no provider to ask. Provider answers are summarised, never passed on.
 */
@ApplicationScoped
public class CredentialChecks {

    /** Provider addresses that are not part of a credential's data: {@code weft.credentials.providers.*}. */
    @ConfigMapping(prefix = "weft.credentials.providers")
    public interface Config {
        @WithDefault("https://slack.com/api")
        URI slackUrl();

        @WithDefault("https://oauth2.googleapis.com/tokeninfo")
        URI googleTokenInfoUrl();
    }

    /** @param tested false when the type has no provider to ask */
    public record Result(boolean tested, boolean ok, String message) {
    }

    private final ProviderCalls calls;
    private final Config config;

    CredentialChecks(ProviderCalls calls, Config config) {
        this.calls = calls;
        this.config = config;
    }

    /** {@code data} is the credential's data with a fresh access token for OAuth2 types. */
    public Uni<Result> check(String type, JsonNode data) {
        return switch (type) {
            case "openAiApi" -> get(url(data, "baseUrl", "https://api.openai.com/v1") + "/models",
                    withOrganization(bearer(data.path("apiKey").asText()), data), "OpenAI");
            case "googleGeminiApi" -> get(url(data, "baseUrl", "https://generativelanguage.googleapis.com") + "/v1beta/models",
                    Map.of("x-goog-api-key", data.path("apiKey").asText()), "Gemini");
            case "ollamaApi" -> get(url(data, "baseUrl", "http://127.0.0.1:11434") + "/api/tags",
                    data.hasNonNull("apiKey") ? bearer(data.path("apiKey").asText()) : Map.of(), "Ollama");
            case "slackApi" -> slack(data.path("botToken").asText());
            case "slackOAuth2Api" -> slack(accessToken(data));
            case "gmailOAuth2", "googleSheetsOAuth2Api" -> get(config.googleTokenInfoUrl() + "?access_token="
                    + URLEncoder.encode(accessToken(data), StandardCharsets.UTF_8), Map.of(), "Google");
            case "googleServiceAccount" -> serviceAccount(data);
            case "oAuth2Api" -> Uni.createFrom().item(accessToken(data).isEmpty()
                    ? new Result(true, false, "not connected yet: connect it (authorize) first")
                    : new Result(true, true, "an access token is at hand"));
            default -> Uni.createFrom().item(new Result(false, false, "a " + type
                    + " credential has no provider to ask; it is checked when a workflow uses it"));
        };
    }

    private Uni<Result> get(String url, Map<String, String> headers, String provider) {
        return calls.send(HttpMethod.GET, URI.create(url), headers, null).map(answer -> judged(provider, answer.status()))
                .onFailure(ProviderCalls.Unreachable.class).recoverWithItem(failure -> new Result(true, false, provider
                        + " could not be called: " + failure.getMessage()));
    }

    private Uni<Result> slack(String token) {
        return calls.send(HttpMethod.POST, URI.create(config.slackUrl() + "/auth.test"), bearer(token), "")
                .map(answer -> {
                    if (answer.status() != 200) {
                        return judged("Slack", answer.status());
                    }
                    JsonNode body = read(answer.body());
                    return body.path("ok").asBoolean(false) ? new Result(true, true, "Slack accepts it (team "
                            + body.path("team").asText("?") + ")")
                            : new Result(true, false, "Slack refused it: " + body.path("error").asText("unknown error"));
                })
                .onFailure(ProviderCalls.Unreachable.class).recoverWithItem(failure -> new Result(true, false, "Slack could not be called: "
                        + failure.getMessage()));
    }

    /** A signed assertion (RS256) exchanged at the token endpoint, as Google's service accounts authenticate. */
    private Uni<Result> serviceAccount(JsonNode data) {
        String tokenUrl = url(data, "tokenUrl", "https://oauth2.googleapis.com/token");
        String assertion;
        try {
            PrivateKey key = KeyUtils.decodePrivateKey(data.path("privateKey").asText(), SignatureAlgorithm.RS256);
            assertion = Jwt.issuer(data.path("email").asText()).audience(tokenUrl)
                    .claim("scope", data.path("scopes").asText("https://www.googleapis.com/auth/cloud-platform"))
                    .expiresIn(300).jws().algorithm(SignatureAlgorithm.RS256).sign(key);
        } catch (Exception e) {
            return Uni.createFrom().item(new Result(true, false, "the private key cannot sign (it must be an RSA key in PEM)"));
        }
        String form = "grant_type=" + URLEncoder.encode("urn:ietf:params:oauth:grant-type:jwt-bearer", StandardCharsets.UTF_8)
                + "&assertion=" + assertion;
        return calls.send(HttpMethod.POST, URI.create(tokenUrl), Map.of("Content-Type", "application/x-www-form-urlencoded"), form)
                .map(answer -> answer.status() == 200 && read(answer.body()).hasNonNull("access_token")
                        ? new Result(true, true, "Google issued a token for the service account")
                        : judged("Google", answer.status()))
                .onFailure(ProviderCalls.Unreachable.class).recoverWithItem(failure -> new Result(true, false, "Google could not be called: "
                        + failure.getMessage()));
    }

    private static Result judged(String provider, int status) {
        if (status >= 200 && status < 300) {
            return new Result(true, true, provider + " accepts it");
        }
        if (status == 401 || status == 403) {
            return new Result(true, false, provider + " refused it (" + status + ")");
        }
        return new Result(true, false, provider + " answered " + status);
    }

    private static String url(JsonNode data, String field, String fallback) {
        String url = data.path(field).asText(fallback);
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    private static String accessToken(JsonNode data) {
        return data.path(CredentialType.TOKENS).path("accessToken").asText("");
    }

    private static Map<String, String> bearer(String token) {
        return Map.of("Authorization", "Bearer " + token);
    }

    private static Map<String, String> withOrganization(Map<String, String> headers, JsonNode data) {
        if (!data.hasNonNull("organizationId")) {
            return headers;
        }
        return Map.of("Authorization", headers.get("Authorization"), "OpenAI-Organization", data.path("organizationId").asText());
    }

    private static JsonNode read(String body) {
        try {
            return WeftJson.mapper().readTree(body);
        } catch (Exception e) {
            return WeftJson.mapper().createObjectNode();
        }
    }
}
