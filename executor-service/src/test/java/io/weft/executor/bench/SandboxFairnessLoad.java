package io.weft.executor.bench;

import io.weft.contracts.json.WeftJson;
import io.weft.executor.engine.NodeFailure;
import io.weft.executor.sandbox.Sandbox;
import io.weft.executor.sandbox.SandboxLimits;
import io.weft.executor.sandbox.ScriptData;
import io.weft.executor.sandbox.ScriptSession;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A victim tenant's Code runs while another tenant keeps five regex bombs queued (issue 26): the
 * victim's latency per run (p50, p99, max) and its failures, with the sandbox's fair shares (one
 * thread per tenant of two) and without them (a tenant may take both threads, as before). Bombs
 * run for up to {@code bombSeconds} each (their node timeout). Run with
 * {@code ./weft bench sandbox-fairness [seconds per mode] [bomb seconds]}.
 */
public final class SandboxFairnessLoad {
    /** A back-reference makes the engine backtrack: exponential in the length of the text. */
    private static final String REGEX_BOMB = "return { m: /^(a+)+\\1$/.test('a'.repeat(40) + 'b') };";
    private static final String VICTIM = "return $input.all().map(item => ({ json: { n: item.json.n + 1 } }));";

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        int bombSeconds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        System.out.printf("victim: one Code run at a time for %d s; the other tenant: 5 regex bombs queued, %d s each%n", seconds,
                bombSeconds);
        for (int perTenant : new int[] {1, 2}) {
            SandboxLimits limits = SandboxLimits.defaults().withStatements(Long.MAX_VALUE / 2).withThreads(2, perTenant);
            try (Sandbox sandbox = new Sandbox(limits)) {
                measure(sandbox, perTenant == 1 ? "fair shares (1 of 2 threads per tenant)" : "no shares (a tenant may take both threads)",
                        seconds, Duration.ofSeconds(bombSeconds));
            }
        }
    }

    private static void measure(Sandbox sandbox, String mode, int seconds, Duration bombTimeout) throws Exception {
        for (int i = 0; i < 50; i++) {
            run(sandbox, "victim", VICTIM, Duration.ofSeconds(10)); // warm-up
        }
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger bombsStopped = new AtomicInteger();
        ExecutorService bombers = Executors.newFixedThreadPool(5);
        for (int i = 0; i < 5; i++) {
            bombers.execute(() -> {
                while (!stop.get()) {
                    if (!run(sandbox, "attacker", REGEX_BOMB, bombTimeout)) {
                        bombsStopped.incrementAndGet();
                    }
                }
            });
        }
        Thread.sleep(500);
        List<Long> micros = new ArrayList<>();
        int failures = 0;
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < end) {
            long started = System.nanoTime();
            if (!run(sandbox, "victim", VICTIM, Duration.ofSeconds(2))) {
                failures++;
            }
            micros.add((System.nanoTime() - started) / 1_000);
        }
        stop.set(true);
        bombers.shutdownNow();
        micros.sort(null);
        System.out.printf("%-45s runs %5d  failed %4d  p50 %8.1f ms  p99 %8.1f ms  max %8.1f ms  (bombs stopped: %d)%n", mode,
                micros.size(), failures, at(micros, 0.50) / 1000.0, at(micros, 0.99) / 1000.0, micros.get(micros.size() - 1) / 1000.0,
                bombsStopped.get());
    }

    private static boolean run(Sandbox sandbox, String tenant, String code, Duration timeout) {
        ScriptData data = new ScriptData(List.of(WeftJson.mapper().createObjectNode().put("n", 1)), Map.of(),
                WeftJson.mapper().createObjectNode(), "e", "w", Instant.now());
        try (ScriptSession session = sandbox.open(tenant, data, timeout)) {
            session.code(code, "runOnceForAllItems");
            return true;
        } catch (NodeFailure failure) {
            return false;
        }
    }

    private static long at(List<Long> sorted, double quantile) {
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(quantile * sorted.size()) - 1));
    }
}
