package io.weft.executor.ai;

import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The conversations AI agents remember ({@code conversation_messages}, executor database): each
 * tenant's sessions, by the key the memory node gives them. Every statement names the tenant.
 */
@ApplicationScoped
public class ConversationStore {
    /** What a session keeps at most: twice the largest window, so a window is always whole. */
    static final int KEPT = 200;
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    /** One message of a conversation: {@code user} or {@code assistant}. */
    public record Message(String role, String content) {
    }

    private final Pool pool;

    public ConversationStore(Pool pool) {
        this.pool = pool;
    }

    /** The session's last {@code window} messages, oldest first; none once it has expired. */
    public List<Message> last(String tenantId, String sessionKey, int window) {
        List<Message> messages = new ArrayList<>();
        for (Row row : pool.preparedQuery("""
                        SELECT role, content FROM (
                            SELECT role, content, seq FROM conversation_messages
                            WHERE tenant_id = $1 AND session_key = $2 AND expires_at > now() ORDER BY seq DESC LIMIT $3) m
                        ORDER BY seq""")
                .execute(Tuple.of(tenantId, sessionKey, window)).await().atMost(TIMEOUT)) {
            messages.add(new Message(row.getString("role"), row.getString("content")));
        }
        return messages;
    }

    /**
     * Adds an exchange to the session, keeps its last {@value #KEPT} messages and moves the
     * session's expiry to {@code retention} from now, in one statement.
     */
    public void append(String tenantId, String sessionKey, List<Message> exchange, Duration retention) {
        pool.preparedQuery("""
                        WITH added AS (
                                 INSERT INTO conversation_messages (tenant_id, session_key, role, content, expires_at)
                                 SELECT $1, $2, m.role, m.content, now() + $5::float8 * interval '1 second'
                                 FROM unnest($3::text[], $4::text[]) WITH ORDINALITY AS m(role, content, n) ORDER BY n
                                 RETURNING seq),
                             kept AS (
                                 SELECT seq FROM conversation_messages WHERE tenant_id = $1 AND session_key = $2
                                 ORDER BY seq DESC LIMIT $6),
                             trimmed AS (
                                 DELETE FROM conversation_messages WHERE tenant_id = $1 AND session_key = $2
                                   AND seq < (SELECT min(seq) FROM kept) AND (SELECT count(*) FROM kept) >= $6)
                        UPDATE conversation_messages SET expires_at = now() + $5::float8 * interval '1 second'
                        WHERE tenant_id = $1 AND session_key = $2 AND seq >= coalesce((SELECT min(seq) FROM kept), 0)""")
                .execute(Tuple.from(List.of(tenantId, sessionKey, exchange.stream().map(Message::role).toArray(String[]::new),
                        exchange.stream().map(Message::content).toArray(String[]::new), retention.toSeconds(), KEPT - exchange.size())))
                .await().atMost(TIMEOUT);
    }
}
