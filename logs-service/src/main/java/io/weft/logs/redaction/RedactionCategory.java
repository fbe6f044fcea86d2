package io.weft.logs.redaction;

import java.util.Optional;

/**
 * What the redactor masks. Secret kinds are always masked, whatever the tenant's policy says, because a
 * leaked credential is a security incident; personal-data kinds can be turned off per tenant (some keep
 * customer emails in logs on purpose). The wire name is what appears in the inserted marker
 * ({@code [redacted:api-key]}) and in the counts the service reports.
 */
public enum RedactionCategory {
    API_KEY("api-key", true),
    BEARER_TOKEN("bearer-token", true),
    /** The base64 user and password after {@code Basic} (HTTP basic authentication). */
    BASIC_CREDENTIALS("basic-credentials", true),
    JWT("jwt", true),
    URL_PASSWORD("url-password", true),
    CLOUD_ACCESS_KEY("cloud-access-key", true),
    PRIVATE_KEY("private-key", true),
    /**
     * The value of a JSON field whose name says it holds a secret ({@code password}, {@code apiKey}, …), or
     * of such a name assigned in text ({@code password=…}, {@code "client_secret": "…"}).
     */
    SECRET_FIELD("secret-field", true),
    EMAIL("email", false),
    PHONE("phone", false),
    CARD_NUMBER("card-number", false),
    IBAN("iban", false);

    private final String wireName;
    private final boolean secret;
    private final String marker;

    RedactionCategory(String wireName, boolean secret) {
        this.wireName = wireName;
        this.secret = secret;
        this.marker = "[redacted:" + wireName + "]";
    }

    public String wireName() {
        return wireName;
    }

    /** True for credentials, false for personal data. */
    public boolean secret() {
        return secret;
    }

    /** The text that replaces a match: {@code [redacted:<wire-name>]}. */
    public String marker() {
        return marker;
    }

    /** The category with this wire name, empty for an unknown name (one a newer version may have stored). */
    public static Optional<RedactionCategory> byWireName(String wireName) {
        for (RedactionCategory category : values()) {
            if (category.wireName.equals(wireName)) {
                return Optional.of(category);
            }
        }
        return Optional.empty();
    }
}
