package io.weft.inference.documents;

import com.fasterxml.jackson.core.type.TypeReference;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import io.weft.contracts.json.WeftJson;
import io.weft.inference.knowledge.KnowledgeBase;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** Documents as the API reads and deletes them, and the embeddings a knowledge base already has; every statement names the tenant. */
@ApplicationScoped
public class DocumentStore {
    static final String COLUMNS = "tenant_id, knowledge_base_id, id, name, content_type, bytes, text_hash, chunking::text AS chunking,"
            + " metadata::text AS metadata, chunk_count, job_id, uploaded_at, created_by, updated_by, created_at, updated_at";
    private static final TypeReference<Map<String, Object>> METADATA = new TypeReference<>() {
    };

    private final Pool pool;

    DocumentStore(Pool pool) {
        this.pool = pool;
    }

    public Uni<Optional<Document>> find(UUID tenant, UUID knowledgeBase, UUID id) {
        return one("id = $3", Tuple.of(tenant, knowledgeBase, id));
    }

    public Uni<Optional<Document>> findByName(UUID tenant, UUID knowledgeBase, String name) {
        return one("name = $3", Tuple.of(tenant, knowledgeBase, name));
    }

    private Uni<Optional<Document>> one(String condition, Tuple parameters) {
        return pool.preparedQuery("SELECT " + COLUMNS + " FROM documents WHERE tenant_id = $1 AND knowledge_base_id = $2 AND " + condition)
                .execute(parameters)
                .map(rows -> rows.rowCount() == 0 ? Optional.empty() : Optional.of(document(rows.iterator().next())));
    }

    /** Newest change first, after the cursor (updated_at, id) when given. */
    public Uni<List<Document>> list(UUID tenant, UUID knowledgeBase, Instant afterUpdatedAt, UUID afterId, int limit) {
        String sql = "SELECT " + COLUMNS + " FROM documents WHERE tenant_id = $1 AND knowledge_base_id = $2"
                + (afterUpdatedAt == null ? "" : " AND (updated_at, id) < ($4, $5)") + " ORDER BY updated_at DESC, id DESC LIMIT $3";
        Tuple parameters = afterUpdatedAt == null ? Tuple.of(tenant, knowledgeBase, limit)
                : Tuple.of(tenant, knowledgeBase, limit, OffsetDateTime.ofInstant(afterUpdatedAt, ZoneOffset.UTC), afterId);
        return pool.preparedQuery(sql).execute(parameters).map(rows -> {
            List<Document> found = new ArrayList<>();
            rows.forEach(row -> found.add(document(row)));
            return found;
        });
    }

    /**
     * Deletes the document with its chunks, and supersedes the ingests of its name still waiting or
     * running, so that none of them brings it back.
     */
    public Uni<Boolean> delete(UUID tenant, UUID knowledgeBase, UUID id) {
        return pool.withTransaction(connection -> connection.preparedQuery(
                        "DELETE FROM documents WHERE tenant_id = $1 AND knowledge_base_id = $2 AND id = $3 RETURNING name")
                .execute(Tuple.of(tenant, knowledgeBase, id))
                .chain(rows -> rows.rowCount() == 0 ? Uni.createFrom().item(false) : connection.preparedQuery("""
                                UPDATE ingest_jobs SET status = 'superseded', owner = NULL, due_at = NULL, updated_at = now(), finished_at = now(),
                                       error_message = 'the document was deleted before this upload was ingested'
                                WHERE tenant_id = $1 AND knowledge_base_id = $2 AND document_name = $3 AND status IN ('queued', 'running')""")
                        .execute(Tuple.of(tenant, knowledgeBase, rows.iterator().next().getString("name"))).replaceWith(true)));
    }

    /** The vectors (pgvector's text form) the knowledge base already has for chunks of these texts, by content hash. */
    public Uni<Map<String, String>> embeddingsOf(UUID tenant, UUID knowledgeBase, List<String> contentHashes) {
        if (contentHashes.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        return pool.preparedQuery("SELECT DISTINCT ON (content_hash) content_hash, embedding::text AS embedding FROM chunks"
                        + " WHERE tenant_id = $1 AND knowledge_base_id = $2 AND content_hash = ANY($3)")
                .execute(Tuple.of(tenant, knowledgeBase, contentHashes.toArray(String[]::new)))
                .map(rows -> {
                    Map<String, String> found = new HashMap<>();
                    rows.forEach(row -> found.put(row.getString("content_hash"), row.getString("embedding")));
                    return found;
                });
    }

    static Document document(Row row) {
        try {
            return new Document(row.getUUID("tenant_id"), row.getUUID("knowledge_base_id"), row.getUUID("id"), row.getString("name"),
                    row.getString("content_type"), row.getLong("bytes"), row.getString("text_hash"),
                    WeftJson.mapper().readValue(row.getString("chunking"), KnowledgeBase.Chunking.class),
                    WeftJson.mapper().readValue(row.getString("metadata"), METADATA), row.getInteger("chunk_count"), row.getUUID("job_id"),
                    row.getOffsetDateTime("uploaded_at").toInstant(), row.getString("created_by"), row.getString("updated_by"),
                    row.getOffsetDateTime("created_at").toInstant(), row.getOffsetDateTime("updated_at").toInstant());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("a document's stored settings do not read back", e);
        }
    }
}
