package io.weft.executor.sandbox;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import java.time.Duration;
import java.util.OptionalInt;
import java.util.OptionalLong;
import org.jboss.logging.Logger;

/** The executor's one sandbox, configured under {@code weft.executor.sandbox}. */
@ApplicationScoped
public class SandboxProducer {
    private static final Logger LOG = Logger.getLogger(SandboxProducer.class);

    @ConfigMapping(prefix = "weft.executor.sandbox")
    public interface Config {
        /** JavaScript statements one node run may execute. */
        @WithDefault("10000000")
        long statements();

        /** Longest one script call may take, whatever the node's timeout says. */
        @WithDefault("30s")
        Duration wallTime();

        /**
         * Bytes the scripts of one node run may allocate (garbage included) before they are stopped. By
         * default, and at most, half the heap shared by the scripts that run at once
         * ({@link SandboxLimits#allocationLimit}): a larger value would let a memory bomb exhaust the
         * executor's heap before the sandbox stops it.
         */
        OptionalLong allocatedBytes();

        @WithDefault("1000")
        int consoleLines();

        @WithDefault("2000")
        int consoleLineChars();

        @WithDefault("16777216")
        int resultChars();

        /** Scripts running at once; by default one per core (at least two). */
        OptionalInt threads();

        /** Scripts of one tenant running at once; by default half the threads (at least one). */
        OptionalInt threadsPerTenant();

        @WithDefault("2")
        int readyContexts();
    }

    @Produces
    @ApplicationScoped
    Sandbox sandbox(Config config) {
        SandboxLimits defaults = SandboxLimits.defaults();
        int threads = config.threads().orElse(defaults.threads());
        long heapSafe = SandboxLimits.allocationLimit(Runtime.getRuntime().maxMemory(), threads);
        long allocated = config.allocatedBytes().orElse(heapSafe);
        if (allocated > heapSafe) {
            LOG.warnf("weft.executor.sandbox.allocated-bytes=%d is more than %d scripts at once can allocate in this heap (%d MiB);"
                    + " the sandbox stops scripts at %d bytes", allocated, threads, Runtime.getRuntime().maxMemory() >> 20, heapSafe);
            allocated = heapSafe;
        }
        return new Sandbox(new SandboxLimits(config.statements(), config.wallTime(), allocated, config.consoleLines(),
                config.consoleLineChars(), config.resultChars(), threads,
                config.threadsPerTenant().orElse(SandboxLimits.fairShare(threads)), config.readyContexts()));
    }

    void close(@Disposes Sandbox sandbox) {
        sandbox.close();
    }
}
