package io.weft.inference.ingest;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** How ingest jobs are run and kept. */
@ConfigMapping(prefix = "weft.inference.ingest")
public interface IngestSettings {
    /** How long a claimed job stays with its replica without news (renewed with every batch of progress). */
    @WithDefault("60s")
    Duration lease();

    /** A queued job that no replica claimed within this is published again. */
    @WithDefault("30s")
    Duration publishAgainAfter();

    /** Attempts before a job that keeps failing (or whose replica keeps stopping) fails for good. */
    @WithDefault("3")
    int maxAttempts();

    /** How often each replica sweeps: jobs no replica took in time are published again, old finished ones forgotten. */
    @WithDefault("10s")
    Duration sweepEvery();

    /** How long finished jobs stay readable. */
    @WithDefault("7d")
    Duration keepFinished();

    /** The wait before the retry after the given attempt: 5 s, 10 s, 20 s…, at most 2 minutes. */
    default Duration backoff(int attempt) {
        return Duration.ofSeconds(Math.min(120, 5L << Math.min(5, Math.max(0, attempt - 1))));
    }
}
