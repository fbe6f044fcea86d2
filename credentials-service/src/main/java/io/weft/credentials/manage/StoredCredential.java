package io.weft.credentials.manage;

import com.fasterxml.jackson.databind.JsonNode;
import io.weft.credentials.crypto.CredentialSealer;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** A credential row: its data sealed, its public fields in clear. */
public record StoredCredential(UUID tenantId, UUID id, String name, String type, int revision, CredentialSealer.SealedData sealed,
                               JsonNode publicData, List<String> secretsSet, String status, String createdBy, String updatedBy,
                               Instant createdAt, Instant updatedAt) {
}
