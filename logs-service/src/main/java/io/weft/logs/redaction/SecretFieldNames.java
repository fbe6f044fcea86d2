package io.weft.logs.redaction;

import java.util.Set;

/**
 * JSON field names that say their value is a secret. Names are compared lower-case with {@code -} and
 * {@code _} removed, so {@code X-Api-Key}, {@code x_api_key} and {@code xApiKey} are one name.
 */
final class SecretFieldNames {
    private static final Set<String> NAMES = Set.of("password", "passwd", "secret", "token", "apikey", "accesstoken",
            "refreshtoken", "clientsecret", "authorization", "privatekey", "cookie", "setcookie", "xapikey");
    private static final String[] SUFFIXES = {"password", "secret", "token", "apikey", "privatekey"};
    /** Longer names are not worth normalising: no real secret field name is this long. */
    private static final int MAX_LENGTH = 64;

    private SecretFieldNames() {
    }

    static boolean isSecret(String name) {
        if (name.length() < 5 || name.length() > MAX_LENGTH) {
            return false;
        }
        StringBuilder normalised = new StringBuilder(name.length());
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c != '-' && c != '_') {
                normalised.append(c >= 'A' && c <= 'Z' ? (char) (c + ('a' - 'A')) : c);
            }
        }
        String key = normalised.toString();
        if (NAMES.contains(key)) {
            return true;
        }
        for (String suffix : SUFFIXES) {
            if (key.endsWith(suffix)) {
                return true;
            }
        }
        return false;
    }
}
