package io.weft.credentials.resolve;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Weft's webhook signature: {@code X-Weft-Timestamp: <unix seconds>} and
 * {@code X-Weft-Signature: v1=<hex HMAC(secret, "<timestamp>.<hex SHA-256 of the body>")>}. The
 * timestamp must be within five minutes of now; workflow-service refuses a signature seen before.
 * Comparisons take the same time whatever they compare.
 */
final class WebhookSignatures {
    static final String TIMESTAMP = "x-weft-timestamp";
    static final String SIGNATURE = "x-weft-signature";
    static final Duration TOLERANCE = Duration.ofMinutes(5);

    private WebhookSignatures() {
    }

    static VerificationResource.Verdict hmac(String secret, String algorithm, String timestamp, String signature, String bodySha256,
                                             Instant now) {
        if (timestamp == null || signature == null) {
            return new VerificationResource.Verdict(false, "X-Weft-Timestamp and X-Weft-Signature are required");
        }
        long seconds;
        try {
            seconds = Long.parseLong(timestamp.strip());
        } catch (NumberFormatException e) {
            return new VerificationResource.Verdict(false, "X-Weft-Timestamp must be unix seconds");
        }
        if (Math.abs(now.getEpochSecond() - seconds) > TOLERANCE.toSeconds()) {
            return new VerificationResource.Verdict(false, "the timestamp is more than 5 minutes away from now");
        }
        if (bodySha256 == null || !bodySha256.matches("[0-9a-f]{64}")) {
            return new VerificationResource.Verdict(false, "the body's digest is missing");
        }
        String expected = "v1=" + HexFormat.of().formatHex(mac(secret, algorithm, seconds + "." + bodySha256));
        return same(signature.strip(), expected) ? new VerificationResource.Verdict(true, null)
                : new VerificationResource.Verdict(false, "the signature does not match");
    }

    static boolean basicMatches(String authorization, String user, String password) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            return false;
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(authorization.substring(6).strip()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return false;
        }
        int colon = decoded.indexOf(':');
        // Both halves are compared, whatever the first says, so that timing tells nothing.
        boolean userMatches = colon >= 0 && same(decoded.substring(0, colon), user);
        boolean passwordMatches = colon >= 0 && same(decoded.substring(colon + 1), password);
        return userMatches & passwordMatches;
    }

    static boolean same(String presented, String expected) {
        if (presented == null || expected == null || expected.isEmpty()) {
            return false;
        }
        return MessageDigest.isEqual(digest(presented), digest(expected));
    }

    private static byte[] digest(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] mac(String secret, String algorithm, String message) {
        String name = "sha512".equals(algorithm) ? "HmacSHA512" : "HmacSHA256";
        try {
            Mac mac = Mac.getInstance(name);
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), name));
            return mac.doFinal(message.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
