package io.weft.credentials.oauth2;

import com.fasterxml.jackson.databind.JsonNode;
import io.weft.contracts.problems.ProblemType;
import io.weft.platform.problems.ProblemException;
import java.net.URI;
import java.util.Map;
import java.util.Set;

/**
 * What the OAuth2 credential types hold: client settings (some with provider defaults, overridable
 * so that tests and self-hosted providers can point elsewhere) and, once connected,
 * {@code oauthTokenData} ({@link io.weft.credentials.types.CredentialType#TOKENS}) — access token, refresh
 * token, expiry — which only this service writes.
 */
public final class OAuth2Settings {
    public static final Set<String> TYPES = Set.of("oAuth2Api", "slackOAuth2Api", "gmailOAuth2", "googleSheetsOAuth2Api");

    private static final Map<String, String[]> PROVIDERS = Map.of(
            "slackOAuth2Api", new String[] {"https://slack.com/oauth/v2/authorize", "https://slack.com/api/oauth.v2.access"},
            "gmailOAuth2", new String[] {"https://accounts.google.com/o/oauth2/v2/auth", "https://oauth2.googleapis.com/token"},
            "googleSheetsOAuth2Api", new String[] {"https://accounts.google.com/o/oauth2/v2/auth", "https://oauth2.googleapis.com/token"});

    private OAuth2Settings() {
    }

    public static boolean isOAuth2(String type) {
        return TYPES.contains(type);
    }

    static boolean clientCredentials(JsonNode settings) {
        return "clientCredentials".equals(settings.path("grantType").asText("authorizationCode"));
    }

    static URI authorizationUrl(String type, JsonNode settings) {
        return uri(settings.path("authUrl").asText(provider(type, 0)), "authUrl");
    }

    static URI tokenUrl(String type, JsonNode settings) {
        return uri(settings.path("accessTokenUrl").asText(provider(type, 1)), "accessTokenUrl");
    }

    private static String provider(String type, int which) {
        String[] urls = PROVIDERS.get(type);
        return urls == null ? null : urls[which];
    }

    private static URI uri(String url, String field) {
        if (url == null || url.isBlank()) {
            throw new ProblemException(ProblemType.CONFLICT, "the credential has no " + field);
        }
        URI uri = URI.create(url);
        if (!"https".equalsIgnoreCase(uri.getScheme()) && !"http".equalsIgnoreCase(uri.getScheme()) || uri.getHost() == null) {
            throw new ProblemException(ProblemType.CONFLICT, "the credential's " + field + " is not an http(s) URL");
        }
        return uri;
    }
}
