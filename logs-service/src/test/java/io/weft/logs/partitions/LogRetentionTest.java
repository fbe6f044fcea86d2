package io.weft.logs.partitions;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import io.weft.contracts.identity.Tier;
import io.weft.logs.FakeGateway;
import jakarta.inject.Inject;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(value = FakeGateway.class, restrictToAnnotatedClass = false)
class LogRetentionTest {
    @Inject
    LogRetention retention;

    @Inject
    LogPartitions partitions;

    @Inject
    Pool pool;

    @Test
    void expiredDayPartitionsOfATierAreDroppedWholeAndTheComingDaysAreMade() {
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        PartitionDay freeExpired = new PartitionDay(LogTable.AUDIT_LOG, Tier.FREE, today.minusDays(9));
        PartitionDay freeKept = new PartitionDay(LogTable.AUDIT_LOG, Tier.FREE, today.minusDays(5));
        PartitionDay enterpriseKept = new PartitionDay(LogTable.AUDIT_LOG, Tier.ENTERPRISE, today.minusDays(9));
        PartitionDay proExpired = new PartitionDay(LogTable.EXECUTION_HISTORY, Tier.PRO, today.minusDays(31));
        partitions.ensure(List.of(freeExpired, freeKept, enterpriseKept, proExpired)).await().indefinitely();
        pool.preparedQuery("INSERT INTO audit_log (tier, occurred_at, event_id, tenant_id, action) VALUES ('free', $1, $2, $3, 'user.login')")
                .execute(Tuple.of(today.minusDays(9).atStartOfDay().atOffset(ZoneOffset.UTC).plusHours(12), UUID.randomUUID().toString(),
                        UUID.randomUUID()))
                .await().indefinitely();

        int dropped = retention.maintain().await().indefinitely();

        List<String> existing = partitions.existing().await().indefinitely().stream().map(PartitionDay::name).toList();
        assertThat(dropped).isGreaterThanOrEqualTo(2);
        assertThat(existing).doesNotContain(freeExpired.name(), proExpired.name())
                .contains(freeKept.name(), enterpriseKept.name());
        for (LogTable table : LogTable.values()) {
            for (Tier tier : Tier.values()) {
                for (int ahead = 0; ahead <= 2; ahead++) {
                    assertThat(existing).contains(new PartitionDay(table, tier, today.plusDays(ahead)).name());
                }
            }
        }
        assertThat(retention.maintain().await().indefinitely()).isZero();
    }

    @Test
    void partitionNamesAreReadBack() {
        PartitionDay day = new PartitionDay(LogTable.EXECUTION_LOG, Tier.ENTERPRISE, LocalDate.of(2026, 11, 26));
        assertThat(day.name()).isEqualTo("execution_log_enterprise_20261126");
        assertThat(PartitionDay.parse(day.name())).contains(day);
        assertThat(PartitionDay.parse("execution_log_enterprise")).isEmpty();
        assertThat(PartitionDay.parse("tenant_tiers")).isEmpty();
    }
}
