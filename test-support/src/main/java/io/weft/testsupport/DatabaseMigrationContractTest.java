package io.weft.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.inject.Inject;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The service's Flyway migrations ran against its own database at start-up. */
public abstract class DatabaseMigrationContractTest {

    @Inject
    Pool pool;

    /** The database the service's test profile uses, e.g. {@code weft_gateway_test}. */
    protected abstract String database();

    @Test
    void migrationsRanOnTheServiceDatabase() {
        Row row = pool.query("SELECT current_database() AS db, "
                        + "(SELECT count(*) FROM flyway_schema_history WHERE success) AS applied, "
                        + "(SELECT count(*) FROM flyway_schema_history WHERE NOT success) AS failed")
                .execute().await().atMost(Duration.ofSeconds(10)).iterator().next();

        assertThat(row.getString("db")).isEqualTo(database());
        assertThat(row.getLong("applied")).isPositive();
        assertThat(row.getLong("failed")).isZero();
    }
}
