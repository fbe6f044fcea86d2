package io.weft.inference.knowledge;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.pgclient.PgException;
import io.weft.contracts.json.WeftJson;
import io.weft.contracts.problems.ProblemType;
import io.weft.platform.problems.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Knowledge-base rows; every statement names the tenant. */
@ApplicationScoped
public class KnowledgeBaseStore {
    private static final String COLUMNS = "tenant_id, id, name, description, embedding_provider, embedding_model, dimension, credential_id,"
            + " chunking::text AS chunking, retrieval::text AS retrieval, revision, created_by, updated_by, created_at, updated_at";
    private static final String UNIQUE_NAME = "knowledge_bases_tenant_id_name_key";

    private final Pool pool;

    KnowledgeBaseStore(Pool pool) {
        this.pool = pool;
    }

    /**
     * Creates the HNSW index of the dimension if it has none yet. Two replicas creating the same one
     * at once may see a duplicate name from the loser: the index exists either way.
     */
    public Uni<Void> ensureVectorIndex(int dimension) {
        String statement = VectorIndexes.createStatement(dimension);
        if (statement == null) {
            return Uni.createFrom().voidItem();
        }
        return pool.query(statement).execute()
                .onFailure(failure -> failure instanceof PgException pg && ("42P07".equals(pg.getSqlState()) || "23505".equals(pg.getSqlState())))
                .recoverWithNull().replaceWithVoid();
    }

    /** Inserts the knowledge base; 409 when the tenant has one of that name. */
    public Uni<Void> insert(KnowledgeBase base) {
        return pool.preparedQuery("""
                        INSERT INTO knowledge_bases (tenant_id, id, name, description, embedding_provider, embedding_model, dimension,
                                                     credential_id, chunking, retrieval, revision, created_by, updated_by, created_at, updated_at)
                        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::text::jsonb, $10::text::jsonb, $11, $12, $13, $14, $14)""")
                .execute(Tuple.from(Arrays.asList(base.tenantId(), base.id(), base.name(), base.description(), base.embedding().provider(),
                        base.embedding().model(), base.embedding().dimension(), base.embedding().credentialId(), json(base.chunking()),
                        json(base.retrieval()), base.revision(), base.createdBy(), base.updatedBy(), at(base.createdAt()))))
                .onFailure(KnowledgeBaseStore::nameTaken).transform(KnowledgeBaseStore::nameConflict)
                .replaceWithVoid();
    }

    /** Writes a new revision over the one it was made from: false when someone else wrote first; 409 when the name is taken. */
    public Uni<Boolean> update(KnowledgeBase base, int fromRevision) {
        return pool.preparedQuery("""
                        UPDATE knowledge_bases SET name = $3, description = $4, chunking = $5::text::jsonb, retrieval = $6::text::jsonb,
                               revision = $7, updated_by = $8, updated_at = $9
                        WHERE tenant_id = $1 AND id = $2 AND revision = $10""")
                .execute(Tuple.from(Arrays.asList(base.tenantId(), base.id(), base.name(), base.description(), json(base.chunking()),
                        json(base.retrieval()), base.revision(), base.updatedBy(), at(base.updatedAt()), fromRevision)))
                .onFailure(KnowledgeBaseStore::nameTaken).transform(KnowledgeBaseStore::nameConflict)
                .map(rows -> rows.rowCount() == 1);
    }

    public Uni<Optional<KnowledgeBase>> find(UUID tenant, UUID id) {
        return pool.preparedQuery("SELECT " + COLUMNS + " FROM knowledge_bases WHERE tenant_id = $1 AND id = $2")
                .execute(Tuple.of(tenant, id))
                .map(rows -> rows.rowCount() == 0 ? Optional.empty() : Optional.of(knowledgeBase(rows.iterator().next())));
    }

    /** Newest change first, after the cursor (updated_at, id) when given. */
    public Uni<List<KnowledgeBase>> list(UUID tenant, Instant afterUpdatedAt, UUID afterId, int limit) {
        String sql = "SELECT " + COLUMNS + " FROM knowledge_bases WHERE tenant_id = $1"
                + (afterUpdatedAt == null ? "" : " AND (updated_at, id) < ($3, $4)") + " ORDER BY updated_at DESC, id DESC LIMIT $2";
        Tuple parameters = afterUpdatedAt == null ? Tuple.of(tenant, limit) : Tuple.of(tenant, limit, at(afterUpdatedAt), afterId);
        return pool.preparedQuery(sql).execute(parameters).map(rows -> {
            List<KnowledgeBase> found = new ArrayList<>();
            rows.forEach(row -> found.add(knowledgeBase(row)));
            return found;
        });
    }

    public Uni<Boolean> delete(UUID tenant, UUID id) {
        return pool.preparedQuery("DELETE FROM knowledge_bases WHERE tenant_id = $1 AND id = $2").execute(Tuple.of(tenant, id))
                .map(rows -> rows.rowCount() == 1);
    }

    private static boolean nameTaken(Throwable failure) {
        return failure instanceof PgException pg && "23505".equals(pg.getSqlState()) && String.valueOf(pg.getConstraint()).equals(UNIQUE_NAME);
    }

    private static Throwable nameConflict(Throwable failure) {
        return new ProblemException(ProblemType.CONFLICT, "the organisation has a knowledge base of that name already");
    }

    private static KnowledgeBase knowledgeBase(Row row) {
        try {
            return new KnowledgeBase(row.getUUID("tenant_id"), row.getUUID("id"), row.getString("name"), row.getString("description"),
                    new KnowledgeBase.Embedding(row.getString("embedding_provider"), row.getString("embedding_model"),
                            row.getInteger("dimension"), row.getUUID("credential_id")),
                    WeftJson.mapper().readValue(row.getString("chunking"), KnowledgeBase.Chunking.class),
                    WeftJson.mapper().readValue(row.getString("retrieval"), KnowledgeBase.Retrieval.class),
                    row.getInteger("revision"), row.getString("created_by"), row.getString("updated_by"),
                    row.getOffsetDateTime("created_at").toInstant(), row.getOffsetDateTime("updated_at").toInstant());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("a knowledge base's stored settings do not read back", e);
        }
    }

    private static String json(Object value) {
        return WeftJson.mapper().valueToTree(value).toString();
    }

    private static OffsetDateTime at(Instant instant) {
        return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }
}
