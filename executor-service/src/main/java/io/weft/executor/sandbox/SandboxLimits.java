package io.weft.executor.sandbox;

import java.time.Duration;

/**
 * What one script may use. GraalJS community edition cannot bound a context's retained heap, so
 * memory is bounded by the bytes a call allocates (a conservative bound: garbage counts too).
 *
 * @param statements       JavaScript statements per context (one context serves one node run)
 * @param wallTime         longest the scripts of one node run may run, not counting waits for a thread
 * @param allocatedBytes   bytes the scripts of one node run may allocate before they are stopped
 * @param consoleLines     console lines kept per call; the rest are counted as dropped
 * @param consoleLineChars characters kept of one console line
 * @param resultChars      largest JSON text a call may hand back
 * @param threads          scripts that run at once; more wait for a thread
 * @param threadsPerTenant scripts of one tenant that run at once ({@link ScriptThreads})
 * @param readyContexts    fresh contexts prepared ahead on a background thread
 */
public record SandboxLimits(long statements, Duration wallTime, long allocatedBytes, int consoleLines,
                            int consoleLineChars, int resultChars, int threads, int threadsPerTenant, int readyContexts) {
    /** The part of the heap that scripts running at once may fill between them; the rest is the executor's own. */
    static final double HEAP_SHARE = 0.5;

    public static SandboxLimits defaults() {
        int threads = Math.max(2, Runtime.getRuntime().availableProcessors());
        return new SandboxLimits(10_000_000, Duration.ofSeconds(30), allocationLimit(Runtime.getRuntime().maxMemory(), threads),
                1000, 2000, 16 << 20, threads, fairShare(threads), 2);
    }

    /**
     * The most one node run's scripts may allocate so that every script running at once, each at its
     * limit and keeping all it allocated, still fits in {@link #HEAP_SHARE} of the heap: the sandbox
     * stops a memory bomb before the executor's heap runs out.
     */
    public static long allocationLimit(long maxHeapBytes, int threads) {
        return (long) (maxHeapBytes * HEAP_SHARE) / Math.max(1, threads);
    }

    /** Half the threads (at least one): however many scripts a tenant queues, the other half stay free for other tenants. */
    public static int fairShare(int threads) {
        return Math.max(1, threads / 2);
    }

    public SandboxLimits withStatements(long value) {
        return new SandboxLimits(value, wallTime, allocatedBytes, consoleLines, consoleLineChars, resultChars, threads, threadsPerTenant,
                readyContexts);
    }

    public SandboxLimits withWallTime(Duration value) {
        return new SandboxLimits(statements, value, allocatedBytes, consoleLines, consoleLineChars, resultChars, threads, threadsPerTenant,
                readyContexts);
    }

    public SandboxLimits withAllocatedBytes(long value) {
        return new SandboxLimits(statements, wallTime, value, consoleLines, consoleLineChars, resultChars, threads, threadsPerTenant,
                readyContexts);
    }

    public SandboxLimits withConsoleLines(int value) {
        return new SandboxLimits(statements, wallTime, allocatedBytes, value, consoleLineChars, resultChars, threads, threadsPerTenant,
                readyContexts);
    }

    public SandboxLimits withThreads(int value, int perTenant) {
        return new SandboxLimits(statements, wallTime, allocatedBytes, consoleLines, consoleLineChars, resultChars, value, perTenant,
                readyContexts);
    }
}
