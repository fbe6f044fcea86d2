package io.weft.credentials.crypto;

import io.quarkus.vault.VaultTransitSecretReactiveEngine;
import io.quarkus.vault.transit.ClearData;
import io.smallrye.mutiny.Uni;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.UUID;

/**
 * The key-encryption key kept in HashiCorp Vault's transit engine: data keys are sent to Vault to be
 * wrapped and unwrapped and the key never leaves Vault. The tenant goes into the wrapped plaintext
 * (its id before the key) and is checked on unwrapping, so a data key moved to another tenant's row
 * does not open. Rotating the transit key in Vault needs nothing here: Vault keeps older versions
 * for decryption (its {@code rewrap} can move ciphertexts forward).
 */
public final class VaultTransitKeyEncryptionKey implements KeyEncryptionKey {
    private final VaultTransitSecretReactiveEngine transit;
    private final String keyName;

    public VaultTransitKeyEncryptionKey(VaultTransitSecretReactiveEngine transit, String keyName) {
        this.transit = transit;
        this.keyName = keyName;
    }

    @Override
    public String currentId() {
        return "vault:" + keyName;
    }

    @Override
    public Uni<byte[]> wrap(UUID tenant, byte[] dataKey) {
        byte[] plaintext = ByteBuffer.allocate(16 + dataKey.length).putLong(tenant.getMostSignificantBits())
                .putLong(tenant.getLeastSignificantBits()).put(dataKey).array();
        return transit.encrypt(keyName, new ClearData(plaintext), null)
                .map(ciphertext -> ciphertext.getBytes(StandardCharsets.US_ASCII))
                .eventually(() -> Arrays.fill(plaintext, (byte) 0));
    }

    @Override
    public Uni<byte[]> unwrap(UUID tenant, String keyId, byte[] wrapped) {
        if (!currentId().equals(keyId)) {
            return Uni.createFrom().failure(new Aead.Unreadable("the data key was wrapped by " + keyId + ", which is not configured"));
        }
        return transit.decrypt(keyName, new String(wrapped, StandardCharsets.US_ASCII), null).map(clear -> {
            byte[] plaintext = clear.getValue();
            ByteBuffer owner = ByteBuffer.allocate(16).putLong(tenant.getMostSignificantBits()).putLong(tenant.getLeastSignificantBits());
            if (plaintext.length != 16 + Aead.KEY_BYTES || !MessageDigest.isEqual(Arrays.copyOf(plaintext, 16), owner.array())) {
                throw new Aead.Unreadable("the data key unwrapped by Vault belongs to another tenant or is malformed");
            }
            return Arrays.copyOfRange(plaintext, 16, plaintext.length);
        });
    }
}
