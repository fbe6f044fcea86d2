package io.weft.executor.deadletters;

import com.fasterxml.jackson.core.type.TypeReference;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import io.weft.contracts.json.WeftJson;
import io.weft.platform.api.Paging;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The tenant-scoped reads and state changes of dead letters. */
@ApplicationScoped
public class DeadLetterStore {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final String COLUMNS = "id, execution_id, source_topic, source_partition, source_offset, reason, message,"
            + " status, attempts, created_at, handled_by, handled_at";

    private final Pool pool;

    DeadLetterStore(Pool pool) {
        this.pool = pool;
    }

    /** Newest first; {@code status} and {@code reason} filter when given. */
    public List<DeadLetterView> list(String tenantId, String status, String reason, Paging.Position after, int limit) {
        List<Object> arguments = new ArrayList<>(Arrays.asList(tenantId, status, reason, limit));
        String page = "";
        if (after != null) {
            arguments.add(after.at().atOffset(ZoneOffset.UTC));
            arguments.add(after.id());
            page = " AND (created_at, id) < ($5, $6)";
        }
        List<DeadLetterView> letters = new ArrayList<>();
        pool.preparedQuery("SELECT " + COLUMNS + " FROM dead_letters WHERE tenant_id = $1"
                        + " AND ($2::text IS NULL OR status = $2) AND ($3::text IS NULL OR reason = $3)" + page
                        + " ORDER BY created_at DESC, id DESC LIMIT $4")
                .execute(Tuple.from(arguments)).await().atMost(TIMEOUT)
                .forEach(row -> letters.add(view(row, false)));
        return letters;
    }

    public Optional<DeadLetterView> find(String tenantId, String id) {
        var rows = pool.preparedQuery("SELECT " + COLUMNS + ", payload, headers::text AS headers FROM dead_letters"
                        + " WHERE id = $1 AND tenant_id = $2")
                .execute(Tuple.of(id, tenantId)).await().atMost(TIMEOUT);
        return rows.rowCount() == 0 ? Optional.empty() : Optional.of(view(rows.iterator().next(), true));
    }

    /** Moves an open letter to {@code status}; false when it is not open (handled already, or by someone at the same moment). */
    public boolean handle(String tenantId, String id, String status, String by) {
        return pool.preparedQuery("UPDATE dead_letters SET status = $3, handled_by = $4, handled_at = now()"
                        + " WHERE id = $1 AND tenant_id = $2 AND status = 'open'")
                .execute(Tuple.of(id, tenantId, status, by)).await().atMost(TIMEOUT).rowCount() == 1;
    }

    /** Undoes {@link #handle} when a redrive could not be sent. */
    public void reopen(String tenantId, String id) {
        pool.preparedQuery("UPDATE dead_letters SET status = 'open', handled_by = NULL, handled_at = NULL WHERE id = $1 AND tenant_id = $2")
                .execute(Tuple.of(id, tenantId)).await().atMost(TIMEOUT);
    }

    /**
     * Lets a failed, dead-lettered execution be taken again; it resumes from its checkpoints. Its
     * lease counts as run out, so a sweeper takes it even if the redriven record never arrives.
     */
    public void reopenExecution(String tenantId, String executionId) {
        pool.preparedQuery("""
                        UPDATE executions SET status = 'running', runs = 1, takeovers = 0, lease_owner = NULL, lease_until = now(),
                               error = NULL, failed_node_id = NULL, finished_at = NULL
                        WHERE id = $1 AND tenant_id = $2 AND status = 'failed'""")
                .execute(Tuple.of(executionId, tenantId)).await().atMost(TIMEOUT);
    }

    private static DeadLetterView view(Row row, boolean withPayload) {
        String text = null;
        String base64 = null;
        Map<String, String> headers = null;
        if (withPayload) {
            byte[] payload = row.getBuffer("payload") == null ? new byte[0] : row.getBuffer("payload").getBytes();
            try {
                text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(payload)).toString();
            } catch (CharacterCodingException e) {
                base64 = Base64.getEncoder().encodeToString(payload);
            }
            try {
                headers = WeftJson.mapper().readValue(row.getString("headers"), new TypeReference<Map<String, String>>() { });
            } catch (Exception e) {
                headers = Map.of();
            }
        }
        return new DeadLetterView(row.getString("id"), row.getString("execution_id"), row.getString("source_topic"),
                row.getInteger("source_partition"), row.getLong("source_offset"), row.getString("reason"), row.getString("message"),
                row.getString("status"), row.getInteger("attempts"), row.getOffsetDateTime("created_at").toInstant(),
                row.getString("handled_by"), row.getOffsetDateTime("handled_at") == null ? null : row.getOffsetDateTime("handled_at").toInstant(),
                text, base64, headers);
    }
}
