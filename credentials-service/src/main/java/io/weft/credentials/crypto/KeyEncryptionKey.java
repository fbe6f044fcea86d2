package io.weft.credentials.crypto;

import io.smallrye.mutiny.Uni;
import java.util.UUID;

/**
 * The key-encryption key that wraps tenants' data keys. It never leaves its provider (a local key,
 * or Vault transit); only wrapped data keys are stored.
 */
public interface KeyEncryptionKey {

    /** The id of the key new wraps use, stored next to each wrapped data key. */
    String currentId();

    Uni<byte[]> wrap(UUID tenant, byte[] dataKey);

    /** Unwraps a data key wrapped under the key {@code keyId} (the current one or an older one still configured). */
    Uni<byte[]> unwrap(UUID tenant, String keyId, byte[] wrapped);
}
