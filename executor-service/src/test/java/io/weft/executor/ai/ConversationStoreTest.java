package io.weft.executor.ai;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import io.weft.executor.retention.ExecutorRetention;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Agents' conversations in the executor's real database: per tenant, windowed, trimmed, forgotten when idle. */
@QuarkusTest
class ConversationStoreTest {
    private static final Duration DAY = Duration.ofDays(1);

    @Inject
    ConversationStore store;

    @Inject
    ExecutorRetention retention;

    @Inject
    Pool pool;

    private static List<ConversationStore.Message> exchange(String prompt, String answer) {
        return List.of(new ConversationStore.Message("user", prompt), new ConversationStore.Message("assistant", answer));
    }

    @Test
    void aSessionIsItsTenantsOwnAndAWindowIsItsLastMessagesInOrder() {
        String tenant = UUID.randomUUID().toString();
        String other = UUID.randomUUID().toString();
        store.append(tenant, "chat-42", exchange("hi", "hello"), DAY);
        store.append(tenant, "chat-42", exchange("how are you?", "fine"), DAY);
        store.append(other, "chat-42", exchange("the other tenant's", "secret"), DAY);

        assertThat(store.last(tenant, "chat-42", 3)).containsExactly(new ConversationStore.Message("assistant", "hello"),
                new ConversationStore.Message("user", "how are you?"), new ConversationStore.Message("assistant", "fine"));
        assertThat(store.last(other, "chat-42", 10)).extracting(ConversationStore.Message::content)
                .containsExactly("the other tenant's", "secret");
        assertThat(store.last(tenant, "chat-43", 10)).isEmpty();
    }

    @Test
    void aSessionKeepsItsLastMessagesAndIsForgottenOnceIdle() {
        String tenant = UUID.randomUUID().toString();
        for (int i = 0; i < 105; i++) {
            store.append(tenant, "long", exchange("question " + i, "answer " + i), DAY);
        }
        assertThat(count(tenant)).isEqualTo(ConversationStore.KEPT);
        List<ConversationStore.Message> window = store.last(tenant, "long", 100);
        assertThat(window).hasSize(100);
        assertThat(window.getLast().content()).isEqualTo("answer 104");

        // idle past its retention: no longer read, and pruned
        pool.preparedQuery("UPDATE conversation_messages SET expires_at = now() - interval '1 second' WHERE tenant_id = $1")
                .execute(Tuple.of(tenant)).await().atMost(Duration.ofSeconds(5));
        assertThat(store.last(tenant, "long", 10)).isEmpty();
        retention.prune();
        assertThat(count(tenant)).isZero();
    }

    private long count(String tenant) {
        return pool.preparedQuery("SELECT count(*) AS n FROM conversation_messages WHERE tenant_id = $1").execute(Tuple.of(tenant))
                .await().atMost(Duration.ofSeconds(5)).iterator().next().getLong("n");
    }
}
