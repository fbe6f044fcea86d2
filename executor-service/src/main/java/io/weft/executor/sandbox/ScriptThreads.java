package io.weft.executor.sandbox;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The sandbox's threads, shared fairly between tenants. Scripts cannot be pre-empted, so fairness is
 * decided when a thread is handed out: a tenant never holds more than {@code perTenant} threads at
 * once (the rest stay free for other tenants however many scripts it queues), and tenants that wait
 * take free threads in turn, not in order of arrival (one tenant's deep queue does not stand in
 * front of another tenant's single call).
 */
final class ScriptThreads {
    private final int threads;
    private final int perTenant;
    private final ExecutorService pool;
    private final Map<String, ArrayDeque<FutureTask<?>>> waiting = new HashMap<>();
    private final Map<String, Integer> running = new HashMap<>();
    /** Tenants with waiting calls, in the order they get their next turn. */
    private final ArrayDeque<String> turns = new ArrayDeque<>();
    private int busy;

    ScriptThreads(int threads, int perTenant) {
        if (threads < 1 || perTenant < 1) {
            throw new IllegalArgumentException("the sandbox needs at least one thread, and one per tenant");
        }
        this.threads = threads;
        this.perTenant = Math.min(perTenant, threads);
        this.pool = Executors.newFixedThreadPool(threads, named("weft-sandbox-"));
    }

    /** Runs the call on a sandbox thread when the tenant's turn comes; cancelling the future before then drops it. */
    <T> Future<T> submit(String tenant, Callable<T> call) {
        FutureTask<T> task = new FutureTask<>(call);
        synchronized (this) {
            ArrayDeque<FutureTask<?>> queue = waiting.computeIfAbsent(tenant, t -> new ArrayDeque<>());
            if (queue.isEmpty()) {
                turns.addLast(tenant);
            }
            queue.addLast(task);
            dispatch();
        }
        return task;
    }

    /** Calls waiting for a thread, of every tenant. */
    synchronized int waiting() {
        return waiting.values().stream().mapToInt(ArrayDeque::size).sum();
    }

    /** Threads running a call now. */
    synchronized int busy() {
        return busy;
    }

    void shutdown() {
        pool.shutdownNow();
    }

    /** Hands free threads to waiting tenants in turn, skipping those at their limit. Holds the lock. */
    private void dispatch() {
        boolean handedOut = true;
        while (busy < threads && handedOut) {
            handedOut = false;
            ArrayDeque<String> served = new ArrayDeque<>();
            Iterator<String> candidates = turns.iterator();
            while (busy < threads && candidates.hasNext()) {
                String tenant = candidates.next();
                if (running.getOrDefault(tenant, 0) >= perTenant) {
                    continue;
                }
                ArrayDeque<FutureTask<?>> queue = waiting.get(tenant);
                FutureTask<?> task = queue.pollFirst();
                candidates.remove();
                if (queue.isEmpty()) {
                    waiting.remove(tenant);
                } else {
                    served.addLast(tenant);
                }
                if (!task.isDone()) { // else cancelled while it waited
                    start(tenant, task);
                    handedOut = true;
                }
            }
            turns.addAll(served); // a tenant just served goes to the back of the line
        }
    }

    private void start(String tenant, FutureTask<?> task) {
        busy++;
        running.merge(tenant, 1, Integer::sum);
        pool.execute(() -> {
            try {
                task.run();
            } finally {
                finished(tenant);
            }
        });
    }

    private synchronized void finished(String tenant) {
        busy--;
        running.computeIfPresent(tenant, (t, count) -> count == 1 ? null : count - 1);
        dispatch();
    }

    static ThreadFactory named(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return work -> {
            Thread thread = new Thread(work, prefix + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
