package io.weft.executor.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Sandbox threads shared fairly: a cap per tenant, and waiting tenants served in turn (issue 26). */
class ScriptThreadsTest {

    @Test
    void aTenantThatQueuesManyCallsLeavesThreadsForOthers() throws Exception {
        ScriptThreads threads = new ScriptThreads(2, 1);
        CountDownLatch release = new CountDownLatch(1);
        try {
            List<Future<String>> bombs = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                bombs.add(threads.submit("greedy", () -> {
                    release.await();
                    return "bomb";
                }));
            }
            Future<String> victim = threads.submit("victim", () -> "done");
            assertThat(victim.get(10, TimeUnit.SECONDS)).isEqualTo("done");
            assertThat(bombs).noneMatch(Future::isDone);
            assertThat(threads.waiting()).as("the greedy tenant's other calls wait for its own thread").isEqualTo(4);
        } finally {
            release.countDown();
            threads.shutdown();
        }
    }

    @Test
    void waitingTenantsTakeTurns() throws Exception {
        ScriptThreads threads = new ScriptThreads(1, 1);
        CountDownLatch release = new CountDownLatch(1);
        List<String> order = Collections.synchronizedList(new ArrayList<>());
        try {
            threads.submit("a", () -> {
                release.await();
                return order.add("a1");
            });
            List<Future<Boolean>> rest = new ArrayList<>();
            for (String call : List.of("a2", "a3", "a4", "b1", "b2", "c1")) {
                rest.add(threads.submit(call.substring(0, 1), () -> order.add(call)));
            }
            release.countDown();
            for (Future<Boolean> call : rest) {
                call.get(10, TimeUnit.SECONDS);
            }
            assertThat(order).containsExactly("a1", "a2", "b1", "c1", "a3", "b2", "a4");
        } finally {
            threads.shutdown();
        }
    }

    @Test
    void aCallCancelledWhileItWaitsNeverRunsAndFreesItsTurn() throws Exception {
        ScriptThreads threads = new ScriptThreads(1, 1);
        CountDownLatch release = new CountDownLatch(1);
        List<String> ran = Collections.synchronizedList(new ArrayList<>());
        try {
            threads.submit("a", () -> {
                release.await();
                return ran.add("first");
            });
            Future<Boolean> cancelled = threads.submit("a", () -> ran.add("cancelled"));
            Future<Boolean> next = threads.submit("b", () -> ran.add("next"));
            cancelled.cancel(false);
            release.countDown();
            next.get(10, TimeUnit.SECONDS);
            assertThat(ran).containsExactly("first", "next");
            assertThat(threads.waiting()).isZero();
        } finally {
            threads.shutdown();
        }
    }
}
