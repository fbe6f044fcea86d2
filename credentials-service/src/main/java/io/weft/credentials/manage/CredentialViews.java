package io.weft.credentials.manage;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;

/** What the API shows of credentials: never a secret value, only which secret fields are set. */
public final class CredentialViews {

    private CredentialViews() {
    }

    /** @param data the fields that are not secret; {@code secretsSet} names the secret ones that hold a value */
    public record CredentialView(String id, String name, String type, JsonNode data, List<String> secretsSet, String status,
                                 int revision, String createdBy, String updatedBy, Instant createdAt, Instant updatedAt) {

        static CredentialView of(StoredCredential credential) {
            return new CredentialView(credential.id().toString(), credential.name(), credential.type(), credential.publicData(),
                    credential.secretsSet(), credential.status(), credential.revision(), credential.createdBy(),
                    credential.updatedBy(), credential.createdAt(), credential.updatedAt());
        }
    }

    public record Page(List<CredentialView> items, String nextCursor) {
    }

    /** A new credential. */
    public record CreateRequest(String name, String type, JsonNode data) {
    }

    /**
     * A change: a new name, new data, or both. Secret fields left out of {@code data} keep their
     * stored values, so that a client can change the rest without knowing them.
     */
    public record UpdateRequest(String name, JsonNode data) {
    }
}
