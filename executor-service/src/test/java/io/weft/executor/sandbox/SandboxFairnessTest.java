package io.weft.executor.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import io.weft.contracts.events.ErrorKind;
import io.weft.executor.engine.NodeFailure;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * One tenant's endless scripts do not stall another tenant's, and waiting for a sandbox thread is
 * not charged to a script's time (issue 26: five regex bombs of one tenant once held every thread
 * and made another tenant's 96 ms Code run take 27 s, or fail as "did not finish in time").
 */
class SandboxFairnessTest {
    private static final String BOMB = "while (true) {}";

    private static Object run(Sandbox sandbox, String tenant, String code, Duration timeout) {
        try (ScriptSession session = sandbox.open(tenant, SandboxTest.data("{\"n\":1}"), timeout)) {
            return session.code(code, "runOnceForAllItems").items();
        } catch (NodeFailure failure) {
            return failure;
        }
    }

    @Test
    void anotherTenantsBombsDoNotStallAScript() throws Exception {
        SandboxLimits limits = SandboxLimits.defaults().withStatements(Long.MAX_VALUE / 2).withWallTime(Duration.ofSeconds(6))
                .withThreads(2, 1);
        ExecutorService callers = Executors.newFixedThreadPool(5);
        try (Sandbox sandbox = new Sandbox(limits)) {
            List<CompletableFuture<Object>> bombs = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                bombs.add(CompletableFuture.supplyAsync(() -> run(sandbox, "free-tenant", BOMB, Duration.ofSeconds(6)), callers));
            }
            while (sandbox.threads.waiting() < 4) {
                Thread.onSpinWait();
            }
            Object victim = run(sandbox, "victim", "return { n: $json.n + 1 };", Duration.ofSeconds(2));

            assertThat(victim).as("the victim's run").isInstanceOf(List.class);
            assertThat(victim.toString()).contains("\"n\":2");
            assertThat(bombs).as("the bombs still run or wait while the victim is served").noneMatch(CompletableFuture::isDone);
        } finally {
            callers.shutdownNow();
            callers.awaitTermination(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void waitingForAThreadIsNotChargedToTheScriptsTime() throws Exception {
        SandboxLimits limits = SandboxLimits.defaults().withStatements(Long.MAX_VALUE / 2).withThreads(1, 1);
        try (Sandbox sandbox = new Sandbox(limits)) {
            CompletableFuture<Object> holder = CompletableFuture.supplyAsync(() -> run(sandbox, "a", BOMB, Duration.ofMillis(1500)));
            while (sandbox.threads.busy() == 0) {
                Thread.onSpinWait();
            }
            Thread.sleep(300); // past handing in the data: the holder's endless script has the one thread
            Object waited = run(sandbox, "b", "return { ok: true };", Duration.ofMillis(1000));

            assertThat(waited).as("a call that waited 1.5 s for the thread, with a 1 s budget").isInstanceOf(List.class);
            assertThat(holder.get(10, TimeUnit.SECONDS)).isInstanceOfSatisfying(NodeFailure.class,
                    failure -> assertThat(failure.kind()).isEqualTo(ErrorKind.TIMEOUT));
        }
    }
}
