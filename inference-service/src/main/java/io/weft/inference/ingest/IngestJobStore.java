package io.weft.inference.ingest;

import com.fasterxml.jackson.core.type.TypeReference;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import io.weft.contracts.json.WeftJson;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Ingest jobs and their uploads. A replica claims a queued job (running, owner, attempt) and keeps
 * it by renewing its lease ({@code due_at}); every write of a claimed job names the claim, so that
 * a replica that lost its job (its lease ran out and another took it) changes nothing.
 */
@ApplicationScoped
public class IngestJobStore {
    static final String COLUMNS = "tenant_id, id, knowledge_base_id, document_name, content_type, bytes, metadata::text AS metadata, status,"
            + " attempts, chunks, embedded, reused, document_id, error_code, error_message, created_by, created_at, updated_at, finished_at";
    private static final TypeReference<Map<String, Object>> METADATA = new TypeReference<>() {
    };

    /** A job this replica holds: its attempt and owner fence every write. */
    public record Claim(IngestJob job, String owner, byte[] content) {
        public int attempt() {
            return job.attempts();
        }
    }

    /** A job to publish again: queued and not taken in time. */
    public record Due(UUID tenantId, UUID id) {
    }

    private final Pool pool;

    IngestJobStore(Pool pool) {
        this.pool = pool;
    }

    /** The job and its upload, in one transaction; it is published again at {@code publishAgainAt} unless a replica claimed it. */
    public Uni<Void> create(IngestJob job, byte[] content, Duration publishAgainAfter) {
        return pool.withTransaction(connection -> connection.preparedQuery("""
                        INSERT INTO ingest_jobs (tenant_id, id, knowledge_base_id, document_name, content_type, bytes, metadata, status,
                                                 due_at, created_by, created_at, updated_at)
                        VALUES ($1, $2, $3, $4, $5, $6, $7::text::jsonb, 'queued', $8, $9, $10, $10)""")
                .execute(Tuple.from(Arrays.asList(job.tenantId(), job.id(), job.knowledgeBaseId(), job.documentName(), job.contentType(),
                        job.bytes(), WeftJson.jsonb(job.metadata()), at(job.createdAt().plus(publishAgainAfter)), job.createdBy(),
                        at(job.createdAt()))))
                .chain(() -> connection.preparedQuery("INSERT INTO ingest_uploads (tenant_id, job_id, content) VALUES ($1, $2, $3)")
                        .execute(Tuple.of(job.tenantId(), job.id(), io.vertx.core.buffer.Buffer.buffer(content)))))
                .replaceWithVoid();
    }

    public Uni<Optional<IngestJob>> find(UUID tenant, UUID knowledgeBase, UUID id) {
        return pool.preparedQuery("SELECT " + COLUMNS + " FROM ingest_jobs WHERE tenant_id = $1 AND knowledge_base_id = $2 AND id = $3")
                .execute(Tuple.of(tenant, knowledgeBase, id))
                .map(rows -> rows.rowCount() == 0 ? Optional.empty() : Optional.of(job(rows.iterator().next())));
    }

    /** Takes a queued job for {@code lease}, with its upload; empty when it is not queued (taken, finished, deleted). */
    public Uni<Optional<Claim>> claim(UUID tenant, UUID id, String owner, Duration lease) {
        return pool.withTransaction(connection -> connection.preparedQuery("UPDATE ingest_jobs SET status = 'running', attempts = attempts + 1,"
                        + " owner = $3, due_at = now() + $4 * interval '1 millisecond', updated_at = now()"
                        + " WHERE tenant_id = $1 AND id = $2 AND status = 'queued' RETURNING " + COLUMNS)
                .execute(Tuple.of(tenant, id, owner, lease.toMillis()))
                .chain(rows -> {
                    if (rows.rowCount() == 0) {
                        return Uni.createFrom().item(Optional.<Claim>empty());
                    }
                    IngestJob job = job(rows.iterator().next());
                    return connection.preparedQuery("SELECT content FROM ingest_uploads WHERE tenant_id = $1 AND job_id = $2")
                            .execute(Tuple.of(tenant, id))
                            .map(upload -> Optional.of(new Claim(job, owner, upload.rowCount() == 0 ? null
                                    : upload.iterator().next().getBuffer("content").getBytes())));
                }));
    }

    /** Records progress and renews the lease; false when the job is no longer this claim's (taken over, superseded, deleted). */
    public Uni<Boolean> progress(Claim claim, int chunks, int embedded, int reused, Duration lease) {
        return pool.preparedQuery("UPDATE ingest_jobs SET chunks = $5, embedded = $6, reused = $7, due_at = now() + $8 * interval '1 millisecond',"
                        + " updated_at = now() WHERE tenant_id = $1 AND id = $2 AND status = 'running' AND owner = $3 AND attempts = $4")
                .execute(Tuple.from(Arrays.asList(claim.job().tenantId(), claim.job().id(), claim.owner(), claim.attempt(), chunks, embedded,
                        reused, lease.toMillis())))
                .map(rows -> rows.rowCount() == 1);
    }

    /** Ends the claimed job as failed, with why; its upload goes. */
    public Uni<Boolean> fail(Claim claim, String code, String message) {
        return pool.withTransaction(connection -> connection.preparedQuery("UPDATE ingest_jobs SET status = 'failed', error_code = $5,"
                        + " error_message = $6, owner = NULL, due_at = NULL, updated_at = now(), finished_at = now()"
                        + " WHERE tenant_id = $1 AND id = $2 AND status = 'running' AND owner = $3 AND attempts = $4")
                .execute(Tuple.from(Arrays.asList(claim.job().tenantId(), claim.job().id(), claim.owner(), claim.attempt(), code, message)))
                .chain(rows -> rows.rowCount() == 0 ? Uni.createFrom().item(false)
                        : connection.preparedQuery("DELETE FROM ingest_uploads WHERE tenant_id = $1 AND job_id = $2")
                                .execute(Tuple.of(claim.job().tenantId(), claim.job().id())).replaceWith(true)));
    }

    /** Gives the claimed job back to the queue, to be published again after {@code delay}, with what went wrong. */
    public Uni<Boolean> retryLater(Claim claim, String message, Duration delay) {
        return pool.preparedQuery("UPDATE ingest_jobs SET status = 'queued', owner = NULL, error_message = $5,"
                        + " due_at = now() + $6 * interval '1 millisecond', updated_at = now()"
                        + " WHERE tenant_id = $1 AND id = $2 AND status = 'running' AND owner = $3 AND attempts = $4")
                .execute(Tuple.from(Arrays.asList(claim.job().tenantId(), claim.job().id(), claim.owner(), claim.attempt(), message,
                        delay.toMillis())))
                .map(rows -> rows.rowCount() == 1);
    }

    /**
     * The sweep: running jobs whose lease ran out go back to the queue (or fail, after
     * {@code maxAttempts}); queued jobs that are due are returned to be published again, and are
     * due again {@code publishAgainAfter} later.
     */
    public Uni<List<Due>> sweep(int maxAttempts, Duration publishAgainAfter, int limit) {
        return pool.withTransaction(connection -> connection.preparedQuery("""
                        UPDATE ingest_jobs SET status = 'failed', error_code = 'gave-up', owner = NULL, due_at = NULL, updated_at = now(),
                               finished_at = now(),
                               error_message = 'the ingest stopped ' || attempts || ' times without finishing (the replica running it stopped'
                                               || ' or lost it); the last error: ' || coalesce(error_message, 'none recorded')
                        WHERE status = 'running' AND due_at <= now() AND attempts >= $1""").execute(Tuple.of(maxAttempts))
                .chain(() -> connection.preparedQuery("DELETE FROM ingest_uploads u USING ingest_jobs j WHERE u.tenant_id = j.tenant_id"
                        + " AND u.job_id = j.id AND j.status IN ('failed', 'succeeded', 'superseded')").execute())
                .chain(() -> connection.preparedQuery("""
                        UPDATE ingest_jobs SET status = 'queued', owner = NULL, updated_at = now()
                        WHERE status = 'running' AND due_at <= now()""").execute())
                .chain(() -> connection.preparedQuery("""
                        UPDATE ingest_jobs SET due_at = now() + $1 * interval '1 millisecond'
                        WHERE (tenant_id, id) IN (SELECT tenant_id, id FROM ingest_jobs WHERE status = 'queued' AND due_at <= now()
                                                  ORDER BY due_at LIMIT $2 FOR UPDATE SKIP LOCKED)
                        RETURNING tenant_id, id""").execute(Tuple.of(publishAgainAfter.toMillis(), limit)))
                .map(rows -> {
                    List<Due> due = new ArrayList<>();
                    rows.forEach(row -> due.add(new Due(row.getUUID("tenant_id"), row.getUUID("id"))));
                    return due;
                }));
    }

    /** Forgets finished jobs older than {@code keep}. */
    public Uni<Integer> prune(Duration keep) {
        return pool.preparedQuery("DELETE FROM ingest_jobs WHERE finished_at < now() - $1 * interval '1 millisecond'")
                .execute(Tuple.of(keep.toMillis())).map(rows -> rows.rowCount());
    }

    static IngestJob job(Row row) {
        try {
            return new IngestJob(row.getUUID("tenant_id"), row.getUUID("id"), row.getUUID("knowledge_base_id"), row.getString("document_name"),
                    row.getString("content_type"), row.getLong("bytes"), WeftJson.mapper().readValue(row.getString("metadata"), METADATA),
                    row.getString("status"), row.getInteger("attempts"), row.getInteger("chunks"), row.getInteger("embedded"),
                    row.getInteger("reused"), row.getUUID("document_id"), row.getString("error_code"), row.getString("error_message"),
                    row.getString("created_by"), row.getOffsetDateTime("created_at").toInstant(),
                    row.getOffsetDateTime("updated_at").toInstant(),
                    row.getOffsetDateTime("finished_at") == null ? null : row.getOffsetDateTime("finished_at").toInstant());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("a job's stored metadata does not read back", e);
        }
    }

    static OffsetDateTime at(java.time.Instant instant) {
        return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }
}
