package io.weft.gateway.apikeys;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;

/** The key format: {@code wft_} + 256 random bits in base64url (47 characters in all). */
public final class ApiKeySecrets {
    public static final String PREFIX = "wft_";
    static final int DISPLAY_LENGTH = 12;
    private static final int LENGTH = PREFIX.length() + 43;
    private static final SecureRandom RANDOM = new SecureRandom();

    private ApiKeySecrets() {
    }

    static String generate() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** True for strings that could be a key; anything else is rejected before touching the database. */
    public static boolean wellFormed(String key) {
        return key != null && key.length() == LENGTH && key.startsWith(PREFIX)
                && key.substring(PREFIX.length()).chars().allMatch(c -> Character.isLetterOrDigit(c) || c == '-' || c == '_');
    }

    public static byte[] hash(String key) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
