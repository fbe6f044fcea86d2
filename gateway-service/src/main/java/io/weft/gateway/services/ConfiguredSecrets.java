package io.weft.gateway.services;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;

/** Secrets the gateway knows only by their SHA-256 (services' and operators' keys), compared in constant time. */
public final class ConfiguredSecrets {
    private ConfiguredSecrets() {
    }

    /** Whether {@code presented} hashes to {@code configuredSha256} (hex); never for a hash that is absent or malformed. */
    public static boolean matches(Optional<String> configuredSha256, String presented) {
        byte[] expected = parse(configuredSha256);
        boolean equal = MessageDigest.isEqual(expected == null ? new byte[32] : expected, sha256(presented));
        return expected != null && equal;
    }

    private static byte[] parse(Optional<String> sha256) {
        try {
            return sha256.filter(hash -> hash.length() == 64).map(HexFormat.of()::parseHex).orElse(null);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static byte[] sha256(String secret) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
