package io.weft.credentials.crypto;

import io.smallrye.mutiny.Uni;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A key-encryption key held in configuration. Data keys are wrapped with AES-256-GCM, bound to their
 * tenant. Each key is known by {@code local:} and the start of its SHA-256, so a wrapped key names the
 * key that opens it and rotation can keep older keys for unwrapping.
 */
public final class LocalKeyEncryptionKey implements KeyEncryptionKey {
    private final String currentId;
    private final Map<String, byte[]> keys = new LinkedHashMap<>();

    public LocalKeyEncryptionKey(String currentKey, List<String> previousKeys) {
        byte[] current = decode(currentKey);
        this.currentId = id(current);
        keys.put(currentId, current);
        for (String previous : previousKeys) {
            byte[] key = decode(previous);
            keys.putIfAbsent(id(key), key);
        }
    }

    @Override
    public String currentId() {
        return currentId;
    }

    @Override
    public Uni<byte[]> wrap(UUID tenant, byte[] dataKey) {
        return Uni.createFrom().item(() -> Aead.join(Aead.seal(keys.get(currentId), dataKey, associatedData(tenant))));
    }

    @Override
    public Uni<byte[]> unwrap(UUID tenant, String keyId, byte[] wrapped) {
        return Uni.createFrom().item(() -> {
            byte[] key = keys.get(keyId);
            if (key == null) {
                throw new Aead.Unreadable("the key-encryption key " + keyId + " is not configured");
            }
            return Aead.open(key, Aead.split(wrapped), associatedData(tenant));
        });
    }

    private static byte[] associatedData(UUID tenant) {
        return ("weft-data-key:" + tenant).getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] decode(String base64) {
        byte[] key;
        try {
            key = Base64.getDecoder().decode(base64.strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("a key-encryption key is not valid base64");
        }
        if (key.length != Aead.KEY_BYTES) {
            throw new IllegalStateException("a key-encryption key must be 32 bytes (256 bits), base64; got " + key.length + " bytes");
        }
        return key;
    }

    private static String id(byte[] key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(key);
            return "local:" + HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
