package io.weft.gateway.apikeys;

import io.weft.contracts.identity.Scope;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.time.OffsetDateTime;
import java.util.Set;
import java.util.UUID;

/** What the API-key endpoints take and answer. */
public final class ApiKeyViews {
    private ApiKeyViews() {
    }

    public record NewKey(
            @NotBlank @Size(max = 100) @Pattern(regexp = "[^\\p{Cntrl}]*", message = "must not contain control characters") String name,
            @NotEmpty @Size(max = 20) Set<@NotNull Scope> scopes,
            OffsetDateTime expiresAt) {
    }

    /** A key in a list: masked. */
    public record Listed(UUID id, String name, String key, Set<Scope> scopes, OffsetDateTime expiresAt,
                         OffsetDateTime lastUsedAt, OffsetDateTime revokedAt, OffsetDateTime createdAt, UUID createdBy) {

        static Listed of(ApiKey key) {
            return new Listed(key.id(), key.name(), key.masked(), key.scopes(), key.expiresAt(), key.lastUsedAt(),
                    key.revokedAt(), key.createdAt(), key.createdBy());
        }
    }

    /** The answer to creating a key: the only time the whole key is shown. */
    public record Created(UUID id, String name, String key, Set<Scope> scopes, OffsetDateTime expiresAt,
                          OffsetDateTime createdAt) {
    }
}
