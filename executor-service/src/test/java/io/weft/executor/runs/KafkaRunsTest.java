package io.weft.executor.runs;

import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * What the tests of runs through real Kafka and PostgreSQL share: a tenant of their own, a tap on
 * the events topic, the executor's database. Subclasses carry {@code @QuarkusTest} and the test
 * resources ({@link FakeCompilerPlans}, {@link SkipOldRequests}).
 */
abstract class KafkaRunsTest {
    static final Duration WITHIN = Duration.ofSeconds(30);

    @Inject
    Pool pool;

    final UUID tenantId = UUID.randomUUID();
    final String tenant = tenantId.toString();
    KafkaTap kafka;

    @BeforeEach
    void tap() {
        kafka = new KafkaTap();
    }

    @AfterEach
    void close() {
        kafka.close();
    }

    String status(String execution) {
        return pool.preparedQuery("SELECT status FROM executions WHERE id = $1").execute(Tuple.of(execution))
                .await().atMost(Duration.ofSeconds(5)).iterator().next().getString("status");
    }
}
