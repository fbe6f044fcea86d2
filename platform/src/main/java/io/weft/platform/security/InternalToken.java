package io.weft.platform.security;

/**
 * The internal token: a short-lived JWT (ES256) that the gateway signs after authenticating a
 * caller and that every service verifies. Services never trust identity headers; only this.
 */
public final class InternalToken {
    public static final String ISSUER = "https://weft.dev/gateway/internal";
    public static final String AUDIENCE = "weft-internal";
    public static final String TENANT_CLAIM = "tid";
    public static final String TIER_CLAIM = "tier";
    /** Space-separated scopes, as in OAuth 2.0; absent for users, who act through their role. */
    public static final String SCOPE_CLAIM = "scope";
    /** How the caller proved who they are: {@code user}, {@code api_key} or {@code service}. */
    public static final String AUTH_CLAIM = "auth";

    private InternalToken() {
    }
}
