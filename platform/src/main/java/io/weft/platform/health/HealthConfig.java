package io.weft.platform.health;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** How readiness checks probe the service's dependencies. */
@ConfigMapping(prefix = "weft.health")
public interface HealthConfig {

    /** How long one dependency may take to answer before it counts as down. */
    @WithDefault("2s")
    Duration timeout();
}
