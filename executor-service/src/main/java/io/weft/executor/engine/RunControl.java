package io.weft.executor.engine;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;

/**
 * Commands to one running execution (cancel, pause, resume), set from outside the runner's
 * thread. The runner looks at them before each node starts and after each failed attempt; a
 * cancel also stops the node that is running — a blocking node's thread is interrupted (an HTTP
 * call is cancelled, a script stopped) and a retry wait ends.
 */
public final class RunControl {
    public enum Stop {
        CANCEL,
        PAUSE,
        /** Not a command: a node asked to wait ({@link WaitRequested}). */
        WAIT,
        /** Not a command: the execution's timeout passed. */
        TIMEOUT
    }

    private volatile Stop requested;
    private final Set<Future<?>> runningNodes = ConcurrentHashMap.newKeySet();
    private final Set<Thread> waiting = ConcurrentHashMap.newKeySet();

    private volatile String cancelledBy;
    private volatile String cancelReason;

    public void cancel() {
        cancel(null, null);
    }

    /** Cancels, remembering who asked and why (for the execution's cancelled event). */
    public void cancel(String requestedBy, String reason) {
        if (requested != Stop.CANCEL) {
            cancelledBy = requestedBy;
            cancelReason = reason;
        }
        requested = Stop.CANCEL;
        stopRunningNode();
    }

    private void stopRunningNode() {
        runningNodes.forEach(node -> node.cancel(true));
        waiting.forEach(Thread::interrupt);
    }

    /** The execution ran out of time: stops like a cancel, but the execution fails. */
    public void timeOut() {
        if (requested != Stop.CANCEL) {
            requested = Stop.TIMEOUT;
        }
        stopRunningNode();
    }

    public void pause() {
        if (requested == null || requested == Stop.PAUSE) {
            requested = Stop.PAUSE;
        }
    }

    /** Withdraws a pause that has not taken effect yet; a cancel stays. */
    public void resume() {
        if (requested == Stop.PAUSE) {
            requested = null;
        }
    }

    public Stop requested() {
        return requested;
    }

    public String cancelledBy() {
        return cancelledBy;
    }

    public String cancelReason() {
        return cancelReason;
    }

    void running(Future<?> node) {
        runningNodes.add(node);
        if (stopsNow()) {
            node.cancel(true);
        }
    }

    void finished(Future<?> node) {
        runningNodes.remove(node);
    }

    private boolean stopsNow() {
        return requested == Stop.CANCEL || requested == Stop.TIMEOUT;
    }

    /** Waits before a retry; a cancel ends the wait early. */
    void sleep(Pause pause, java.time.Duration delay) {
        Thread sleeper = Thread.currentThread();
        waiting.add(sleeper);
        try {
            if (!stopsNow()) {
                pause.pause(delay);
            }
        } catch (NodeFailure e) {
            if (!stopsNow()) {
                throw e;
            }
        } finally {
            waiting.remove(sleeper);
            if (stopsNow()) {
                Thread.interrupted();
            }
        }
    }
}
