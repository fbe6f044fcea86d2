package io.weft.logs;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.weft.contracts.identity.Tier;
import java.time.Duration;
import java.util.Map;

/** logs-service's settings ({@code weft.logs.*}). */
@ConfigMapping(prefix = "weft.logs")
public interface LogsConfig {

    /** How long each tier's logs are kept, by tier wire name ({@code free}, {@code pro}, {@code enterprise}); whole days. */
    Map<String, Duration> retention();

    /**
     * How long a tenant's tier, once learned from the gateway, is used before asking again: an
     * operator's tier change reaches the logs stored after at most this long.
     */
    @WithDefault("PT1M")
    Duration tierCache();

    /** How many days ahead day partitions are made, so that ingest rarely has to make one. */
    @WithDefault("2")
    int partitionDaysAhead();

    /** How often retention drops expired partitions and makes the coming days' ({@code off} in tests). */
    @WithDefault("1h")
    String maintenanceEvery();

    /**
     * How many batches ingest writes at once, per topic, while it reads and redacts the next one:
     * 1 already lets the JVM and PostgreSQL work at the same time.
     */
    @WithDefault("2")
    int ingestWritesAtOnce();

    /** How long a tenant's redaction policy is used before it is read again. */
    @WithDefault("PT1M")
    Duration policyCache();

    default Duration retention(Tier tier) {
        Duration age = retention().get(tier.wireName());
        if (age == null) {
            throw new IllegalStateException("weft.logs.retention." + tier.wireName() + " is not set");
        }
        return age;
    }
}
