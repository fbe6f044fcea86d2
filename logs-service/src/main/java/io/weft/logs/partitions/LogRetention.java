package io.weft.logs.partitions;

import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.weft.contracts.identity.Tier;
import io.weft.logs.LogsConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Retention by tier: a day partition goes, whole, once its newest possible row is older than the
 * tier's {@code weft.logs.retention.<tier>}, so pruning never deletes rows one by one. The same
 * pass makes the partitions of the coming days. It runs at start-up and every
 * {@code weft.logs.maintenance-every}.
 */
@ApplicationScoped
public class LogRetention {
    private static final Logger LOG = Logger.getLogger(LogRetention.class);
    /** Events further ahead than this are not stored (a clock gone wrong), so they cannot make partitions far in the future. */
    private static final Duration FUTURE_LIMIT = Duration.ofDays(7);

    private final LogPartitions partitions;
    private final LogsConfig config;
    private final Clock clock;

    LogRetention(LogPartitions partitions, LogsConfig config, Clock clock) {
        this.partitions = partitions;
        this.config = config;
        this.clock = clock;
    }

    void onStart(@Observes StartupEvent start) {
        for (Tier tier : Tier.values()) {
            config.retention(tier); // fails start-up when a tier has no retention
        }
    }

    @Scheduled(every = "${weft.logs.maintenance-every:1h}", delayed = "5s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP, skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    Uni<Void> scheduled() {
        return maintain().onFailure().invoke(failure -> LOG.warnf("log maintenance failed, trying again later: %s", failure.getMessage()))
                .onFailure().recoverWithNull().replaceWithVoid();
    }

    /** Makes the coming days' partitions and drops expired ones; answers how many were dropped. */
    public Uni<Integer> maintain() {
        LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
        List<PartitionDay> coming = new ArrayList<>();
        for (LogTable table : LogTable.values()) {
            for (Tier tier : Tier.values()) {
                for (int ahead = 0; ahead <= config.partitionDaysAhead(); ahead++) {
                    coming.add(new PartitionDay(table, tier, today.plusDays(ahead)));
                }
            }
        }
        return partitions.ensure(coming)
                .chain(partitions::existing)
                .chain(existing -> Multi.createFrom().iterable(existing.stream().filter(this::expired).toList())
                        .onItem().transformToUniAndConcatenate(partitions::drop)
                        .collect().asList())
                .map(dropped -> {
                    int count = (int) dropped.stream().filter(Boolean::booleanValue).count();
                    if (count > 0) {
                        LOG.infof("retention dropped %d day partitions", count);
                    }
                    return count;
                });
    }

    /** Whether a row of the tier at that time is still kept (and may be stored). */
    public boolean keeps(Tier tier, Instant at) {
        Instant now = clock.instant();
        return at.isAfter(now.minus(config.retention(tier))) && at.isBefore(now.plus(FUTURE_LIMIT));
    }

    private boolean expired(PartitionDay day) {
        Instant newestRow = day.day().plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
        return !newestRow.isAfter(clock.instant().minus(config.retention(day.tier())));
    }
}
