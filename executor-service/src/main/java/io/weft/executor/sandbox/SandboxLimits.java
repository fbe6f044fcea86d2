package io.weft.executor.sandbox;

import java.time.Duration;

/**
 * What one script may use. GraalJS community edition cannot bound a context's retained heap, so
 * memory is bounded by the bytes a call allocates (a conservative bound: garbage counts too).
 *
 * @param statements     JavaScript statements per context (one context serves one node run)
 * @param wallTime       longest a single call may run, whatever the node's own timeout
 * @param allocatedBytes bytes the scripts of one node run may allocate before they are stopped
 * @param consoleLines   console lines kept per call; the rest are counted as dropped
 * @param consoleLineChars characters kept of one console line
 * @param resultChars    largest JSON text a call may hand back
 * @param threads        scripts that run at once; more wait for a thread
 * @param readyContexts  fresh contexts prepared ahead on a background thread
 */
public record SandboxLimits(long statements, Duration wallTime, long allocatedBytes, int consoleLines,
                            int consoleLineChars, int resultChars, int threads, int readyContexts) {

    public static SandboxLimits defaults() {
        return new SandboxLimits(10_000_000, Duration.ofSeconds(30), 1L << 30, 1000, 2000, 16 << 20,
                Math.max(2, Runtime.getRuntime().availableProcessors()), 2);
    }

    public SandboxLimits withStatements(long value) {
        return new SandboxLimits(value, wallTime, allocatedBytes, consoleLines, consoleLineChars, resultChars, threads, readyContexts);
    }

    public SandboxLimits withWallTime(Duration value) {
        return new SandboxLimits(statements, value, allocatedBytes, consoleLines, consoleLineChars, resultChars, threads, readyContexts);
    }

    public SandboxLimits withAllocatedBytes(long value) {
        return new SandboxLimits(statements, wallTime, value, consoleLines, consoleLineChars, resultChars, threads, readyContexts);
    }

    public SandboxLimits withConsoleLines(int value) {
        return new SandboxLimits(statements, wallTime, allocatedBytes, value, consoleLineChars, resultChars, threads, readyContexts);
    }
}
