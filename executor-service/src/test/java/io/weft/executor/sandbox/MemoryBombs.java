package io.weft.executor.sandbox;

import io.weft.executor.engine.NodeFailure;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Runs one memory bomb per sandbox thread at once, each for another tenant, in a sandbox with the
 * default limits of this JVM's heap, and prints how each ended. Started in its own JVM with a small
 * heap by {@link SandboxMemoryTest}; exits 0 when the sandbox stopped every bomb itself.
 */
public final class MemoryBombs {
    private static final String BOMB = "const keep = []; while (true) keep.push(new Array(100000).fill('x'));";

    public static void main(String[] args) {
        SandboxLimits limits = SandboxLimits.defaults().withStatements(Long.MAX_VALUE / 2).withWallTime(Duration.ofMinutes(2));
        System.out.println("heap " + (Runtime.getRuntime().maxMemory() >> 20) + " MiB, " + limits.threads() + " threads, "
                + (limits.allocatedBytes() >> 20) + " MiB per node run");
        int stopped = 0;
        try (Sandbox sandbox = new Sandbox(limits)) {
            List<CompletableFuture<String>> bombs = new ArrayList<>();
            for (int i = 0; i < limits.threads(); i++) {
                String tenant = "tenant-" + i;
                bombs.add(CompletableFuture.supplyAsync(() -> {
                    try (ScriptSession session = sandbox.open(tenant, SandboxTest.data("{}"), Duration.ofMinutes(2))) {
                        session.code(BOMB, "runOnceForAllItems");
                        return "finished?";
                    } catch (NodeFailure failure) {
                        return failure.kind() + ": " + failure.getMessage();
                    } catch (Throwable other) {
                        return "crashed: " + other;
                    }
                }));
            }
            for (CompletableFuture<String> bomb : bombs) {
                String outcome = bomb.join();
                System.out.println(outcome);
                if (outcome.contains("allocated more memory than allowed")) {
                    stopped++;
                }
            }
        } catch (Throwable e) {
            System.out.println("crashed: " + e);
        }
        System.exit(stopped == limits.threads() ? 0 : 1);
    }
}
