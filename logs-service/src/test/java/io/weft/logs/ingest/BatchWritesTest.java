package io.weft.logs.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.weft.logs.Eventually;
import io.weft.logs.FakeGateway;
import io.weft.logs.partitions.LogPartitions;
import io.weft.logs.partitions.PartitionDay;
import io.weft.logs.redaction.RedactionCounts;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.junit.jupiter.api.Test;

/**
 * How {@link BatchWrites} overlaps writes (real pool, writes held open by the test): at most its
 * limit at once, waiting batches start in order, each batch is acknowledged only once its own write
 * is stored, and a failed write is tried again before its batch is acknowledged.
 */
@QuarkusTest
@QuarkusTestResource(value = FakeGateway.class, restrictToAnnotatedClass = false)
class BatchWritesTest {
    private static final Duration WITHIN = Duration.ofSeconds(10);

    @Inject
    Pool pool;

    @Inject
    LogPartitions partitions;

    private final List<String> acknowledged = new CopyOnWriteArrayList<>();

    /** Rows whose write runs (in a real transaction) until the test lets it finish, failing the first {@code failures} times. */
    private static final class HeldRows implements LogRows {
        final CompletableFuture<Void> done = new CompletableFuture<>();
        final AtomicInteger attempts = new AtomicInteger();
        private final int failures;

        HeldRows(int failures) {
            this.failures = failures;
        }

        @Override
        public List<PartitionDay> days() {
            return List.of();
        }

        @Override
        public RedactionCounts redacted() {
            return new RedactionCounts();
        }

        @Override
        public boolean isEmpty() {
            return false;
        }

        @Override
        public void lookUnderEveryTier() {
        }

        @Override
        public Uni<Void> write(SqlConnection connection) {
            if (attempts.incrementAndGet() <= failures) {
                return Uni.createFrom().failure(new IllegalStateException("the database went away"));
            }
            return connection.query("SELECT 1").execute().chain(() -> Uni.createFrom().completionStage(done));
        }
    }

    private Message<String> batch(String name) {
        return Message.of(name, () -> {
            acknowledged.add(name);
            return CompletableFuture.completedFuture(null);
        });
    }

    private CompletableFuture<Void> submit(BatchWrites writes, String name, HeldRows rows) {
        return writes.submit(batch(name), name, Uni.createFrom().item(rows), stored -> { }).subscribeAsCompletionStage();
    }

    @Test
    void atMostTheLimitRunAtOnceTheNextWaitsInOrderAndEachBatchIsAcknowledgedWhenItsOwnWriteIsStored() throws Exception {
        BatchWrites writes = new BatchWrites(pool, partitions, 2);
        HeldRows first = new HeldRows(0);
        HeldRows second = new HeldRows(0);
        HeldRows third = new HeldRows(0);
        HeldRows fourth = new HeldRows(0);

        submit(writes, "first", first).get(WITHIN.toSeconds(), TimeUnit.SECONDS);
        submit(writes, "second", second).get(WITHIN.toSeconds(), TimeUnit.SECONDS);
        CompletableFuture<Void> thirdMayGoOn = submit(writes, "third", third);
        CompletableFuture<Void> fourthMayGoOn = submit(writes, "fourth", fourth);
        Eventually.holds(WITHIN, () -> assertThat(second.attempts).hasValue(1));
        Thread.sleep(300);
        assertThat(thirdMayGoOn).as("two writes run; the third waits").isNotDone();
        assertThat(third.attempts).hasValue(0);
        assertThat(acknowledged).isEmpty();

        second.done.complete(null);
        thirdMayGoOn.get(WITHIN.toSeconds(), TimeUnit.SECONDS);
        Eventually.holds(WITHIN, () -> assertThat(third.attempts).hasValue(1));
        assertThat(acknowledged).as("only the stored batch, though an earlier one is still being written").containsExactly("second");
        assertThat(fourthMayGoOn).as("the fourth waits behind the third").isNotDone();

        first.done.complete(null);
        fourthMayGoOn.get(WITHIN.toSeconds(), TimeUnit.SECONDS);
        third.done.complete(null);
        fourth.done.complete(null);
        Eventually.holds(WITHIN, () -> assertThat(acknowledged).containsExactlyInAnyOrder("second", "first", "third", "fourth"));
    }

    @Test
    void aWriteThatFailsIsTriedAgainAndItsBatchAcknowledgedOnlyOnceStored() throws Exception {
        BatchWrites writes = new BatchWrites(pool, partitions, 1);
        HeldRows flaky = new HeldRows(2);
        flaky.done.complete(null);

        submit(writes, "flaky", flaky).get(WITHIN.toSeconds(), TimeUnit.SECONDS);

        Eventually.holds(WITHIN, () -> assertThat(acknowledged).containsExactly("flaky"));
        assertThat(flaky.attempts).as("two failures, then stored").hasValue(3);
    }
}
