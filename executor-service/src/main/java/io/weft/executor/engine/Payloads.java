package io.weft.executor.engine;

import io.weft.contracts.events.ErrorKind;
import java.util.Optional;

/**
 * Binary payloads kept out of line, per tenant: items carry their ids ({@link Item#binary()}), not
 * their bytes. Each payload is stored once under the hash of its bytes.
 */
public interface Payloads {
    /** For runs without a store (engine tests): storing or reading a payload fails the node. */
    Payloads NONE = new Payloads() {
        @Override
        public String store(String tenantId, String executionId, byte[] bytes) {
            throw new NodeFailure(ErrorKind.INTERNAL, false, "binary payloads cannot be stored in this run");
        }

        @Override
        public Optional<byte[]> read(String tenantId, String id) {
            return Optional.empty();
        }
    };

    /**
     * Stores the bytes (once per tenant and content), notes that the execution refers to them (they
     * are kept while it is), and answers their id.
     */
    String store(String tenantId, String executionId, byte[] bytes);

    /** The payload's bytes, empty when the tenant has no payload with that id. */
    Optional<byte[]> read(String tenantId, String id);
}
