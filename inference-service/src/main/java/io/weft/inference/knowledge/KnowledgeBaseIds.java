package io.weft.inference.knowledge;

import io.weft.platform.problems.ProblemException;
import java.util.Optional;
import java.util.UUID;

/** Knowledge base ids are random UUIDs; anything else names none (404, as an unknown or another tenant's id). */
public final class KnowledgeBaseIds {
    private KnowledgeBaseIds() {
    }

    public static Optional<UUID> tryParse(String id) {
        return io.weft.platform.api.Paging.uuid(id);
    }

    public static UUID parse(String id) {
        return tryParse(id).orElseThrow(KnowledgeBaseIds::notFound);
    }

    public static ProblemException notFound() {
        return ProblemException.notFound("knowledge base");
    }
}
