package io.weft.credentials.crypto;

import com.fasterxml.jackson.databind.JsonNode;
import io.smallrye.mutiny.Uni;
import io.weft.contracts.json.WeftJson;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.UUID;

/** Encrypts a credential's data under its tenant's data key, bound to (tenant, credential, revision). */
@ApplicationScoped
public class CredentialSealer {

    /** Sealed data with the data key version that opens it. */
    public record SealedData(int dataKeyVersion, Aead.Sealed sealed) {
    }

    private final DataKeys dataKeys;

    CredentialSealer(DataKeys dataKeys) {
        this.dataKeys = dataKeys;
    }

    public Uni<SealedData> seal(UUID tenant, UUID credential, int revision, JsonNode data) {
        return dataKeys.current(tenant).map(key -> seal(key, tenant, credential, revision, data));
    }

    /** Under a data key version already in use (opened recently, so no database read is needed). */
    public Uni<SealedData> sealUnder(int dataKeyVersion, UUID tenant, UUID credential, int revision, JsonNode data) {
        return dataKeys.version(tenant, dataKeyVersion).map(key -> seal(key, tenant, credential, revision, data));
    }

    private static SealedData seal(DataKeys.DataKey key, UUID tenant, UUID credential, int revision, JsonNode data) {
        byte[] plaintext = bytes(data);
        try {
            return new SealedData(key.version(), Aead.seal(key.key(), plaintext, associatedData(tenant, credential, revision)));
        } finally {
            Arrays.fill(plaintext, (byte) 0);
        }
    }

    public Uni<JsonNode> open(UUID tenant, UUID credential, int revision, SealedData sealed) {
        return dataKeys.version(tenant, sealed.dataKeyVersion()).map(key -> {
            byte[] plaintext = Aead.open(key.key(), sealed.sealed(), associatedData(tenant, credential, revision));
            try {
                return WeftJson.mapper().readTree(plaintext);
            } catch (IOException e) {
                throw new Aead.Unreadable("the decrypted data is not JSON");
            } finally {
                Arrays.fill(plaintext, (byte) 0);
            }
        });
    }

    private static byte[] associatedData(UUID tenant, UUID credential, int revision) {
        return ("weft-credential:" + tenant + ":" + credential + ":" + revision).getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] bytes(JsonNode data) {
        try {
            return WeftJson.mapper().writeValueAsBytes(data);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
