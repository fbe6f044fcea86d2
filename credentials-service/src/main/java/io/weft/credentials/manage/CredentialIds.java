package io.weft.credentials.manage;

import io.weft.platform.problems.ProblemException;
import java.util.Optional;
import java.util.UUID;

/** Credential ids are random UUIDs; anything else names no credential. */
public final class CredentialIds {

    private CredentialIds() {
    }

    public static Optional<UUID> tryParse(String id) {
        return io.weft.platform.api.Paging.uuid(id);
    }

    /** The id, or the 404 a malformed id gets (the same as an unknown one). */
    public static UUID parse(String id) {
        return tryParse(id).orElseThrow(CredentialIds::notFound);
    }

    public static ProblemException notFound() {
        return ProblemException.notFound("credential");
    }
}
