package io.weft.credentials.crypto;

import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES-256-GCM with a fresh 96-bit random nonce per encryption and associated data that binds the
 * ciphertext to its place: moved, altered or truncated ciphertext fails to open, never yields
 * other plaintext.
 */
public final class Aead {
    public static final int KEY_BYTES = 32;
    static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();

    /** A nonce and the ciphertext with its tag. */
    public record Sealed(byte[] nonce, byte[] ciphertext) {
    }

    /** Stored data that does not open under its key and associated data: tampered, moved or wrongly keyed. */
    public static final class Unreadable extends RuntimeException {
        public Unreadable(String message) {
            super(message);
        }
    }

    private Aead() {
    }

    public static byte[] newKey() {
        byte[] key = new byte[KEY_BYTES];
        RANDOM.nextBytes(key);
        return key;
    }

    public static Sealed seal(byte[] key, byte[] plaintext, byte[] associatedData) {
        byte[] nonce = new byte[NONCE_BYTES];
        RANDOM.nextBytes(nonce);
        try {
            Cipher cipher = cipher(Cipher.ENCRYPT_MODE, key, nonce);
            cipher.updateAAD(associatedData);
            return new Sealed(nonce, cipher.doFinal(plaintext));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is unavailable", e);
        }
    }

    public static byte[] open(byte[] key, Sealed sealed, byte[] associatedData) {
        if (sealed.nonce() == null || sealed.nonce().length != NONCE_BYTES || sealed.ciphertext() == null
                || sealed.ciphertext().length < TAG_BITS / 8) {
            throw new Unreadable("malformed ciphertext");
        }
        try {
            Cipher cipher = cipher(Cipher.DECRYPT_MODE, key, sealed.nonce());
            cipher.updateAAD(associatedData);
            return cipher.doFinal(sealed.ciphertext());
        } catch (AEADBadTagException e) {
            throw new Unreadable("the ciphertext does not authenticate (tampered, moved or under another key)");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is unavailable", e);
        }
    }

    /** Nonce and ciphertext as one value (for wrapped keys). */
    public static byte[] join(Sealed sealed) {
        byte[] joined = Arrays.copyOf(sealed.nonce(), NONCE_BYTES + sealed.ciphertext().length);
        System.arraycopy(sealed.ciphertext(), 0, joined, NONCE_BYTES, sealed.ciphertext().length);
        return joined;
    }

    public static Sealed split(byte[] joined) {
        if (joined == null || joined.length < NONCE_BYTES) {
            throw new Unreadable("malformed wrapped key");
        }
        return new Sealed(Arrays.copyOf(joined, NONCE_BYTES), Arrays.copyOfRange(joined, NONCE_BYTES, joined.length));
    }

    private static Cipher cipher(int mode, byte[] key, byte[] nonce) throws GeneralSecurityException {
        if (key.length != KEY_BYTES) {
            throw new IllegalArgumentException("AES-256 needs a 32-byte key");
        }
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(mode, new SecretKeySpec(key, "AES"), new GCMParameterSpec(TAG_BITS, nonce));
        return cipher;
    }
}
