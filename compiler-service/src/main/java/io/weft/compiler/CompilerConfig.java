package io.weft.compiler;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.net.URI;
import java.time.Duration;

@ConfigMapping(prefix = "weft.compiler")
public interface CompilerConfig {

    /** executor-service, which serves the node catalog. */
    @WithDefault("http://127.0.0.1:8083")
    URI executorUrl();

    /** credentials-service, which says whether referenced credentials exist and of which type. */
    @WithDefault("http://127.0.0.1:8085")
    URI credentialsUrl();

    /** How long a fetched catalog is used before asking executor-service again (with its ETag). */
    @WithDefault("30s")
    Duration catalogRefresh();

    /** A node's per-attempt timeout when neither the node nor its type says otherwise. */
    @WithDefault("5m")
    Duration defaultNodeTimeout();

    /** How long a compiled plan stays fetchable by hash after it was last compiled or read. */
    @WithDefault("30d")
    Duration planRetention();
}
