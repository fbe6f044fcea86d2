package io.weft.executor.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The sandbox's own memory limit fires before the executor's heap runs out (issue 26: a limit of
 * 1 GiB in an executor of -Xmx384m let every memory bomb end as a real heap exhaustion). The bombs
 * run in a JVM of their own with the executor's heap, as many at once as the sandbox has threads.
 */
class SandboxMemoryTest {
    @Test
    void everyBombIsStoppedByTheSandboxInAnExecutorSizedHeap() throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        Process process = new ProcessBuilder(java, "-Xmx384m", "-XX:ActiveProcessorCount=2", "-cp", System.getProperty("java.class.path"),
                MemoryBombs.class.getName()).redirectErrorStream(true).start();
        boolean ended = process.waitFor(3, TimeUnit.MINUTES);
        if (!ended) {
            process.destroyForcibly();
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(ended).as("the bombs ended: %s", output).isTrue();
        assertThat(output).contains(", 2 threads, ").doesNotContain("OutOfMemoryError");
        assertThat(process.exitValue()).as(output).isZero();
    }

    @Test
    void theLimitLeavesHalfTheHeapToTheExecutor() {
        assertThat(SandboxLimits.allocationLimit(384L << 20, 2)).isEqualTo(96L << 20);
        assertThat(SandboxLimits.allocationLimit(4L << 30, 8)).isEqualTo(256L << 20);
        assertThat(SandboxLimits.fairShare(2)).isEqualTo(1);
        assertThat(SandboxLimits.fairShare(1)).isEqualTo(1);
        assertThat(SandboxLimits.fairShare(8)).isEqualTo(4);
    }

}
