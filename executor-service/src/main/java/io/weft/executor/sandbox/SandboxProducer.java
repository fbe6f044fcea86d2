package io.weft.executor.sandbox;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import java.time.Duration;
import java.util.OptionalInt;

/** The executor's one sandbox, configured under {@code weft.executor.sandbox}. */
@ApplicationScoped
public class SandboxProducer {

    @ConfigMapping(prefix = "weft.executor.sandbox")
    public interface Config {
        /** JavaScript statements one node run may execute. */
        @WithDefault("10000000")
        long statements();

        /** Longest one script call may take, whatever the node's timeout says. */
        @WithDefault("30s")
        Duration wallTime();

        /** Bytes the scripts of one node run may allocate (garbage included) before they are stopped. */
        @WithDefault("1073741824")
        long allocatedBytes();

        @WithDefault("1000")
        int consoleLines();

        @WithDefault("2000")
        int consoleLineChars();

        @WithDefault("16777216")
        int resultChars();

        /** Scripts running at once; by default one per core (at least two). */
        OptionalInt threads();

        @WithDefault("2")
        int readyContexts();
    }

    @Produces
    @ApplicationScoped
    Sandbox sandbox(Config config) {
        SandboxLimits defaults = SandboxLimits.defaults();
        return new Sandbox(new SandboxLimits(config.statements(), config.wallTime(), config.allocatedBytes(), config.consoleLines(),
                config.consoleLineChars(), config.resultChars(), config.threads().orElse(defaults.threads()), config.readyContexts()));
    }

    void close(@Disposes Sandbox sandbox) {
        sandbox.close();
    }
}
