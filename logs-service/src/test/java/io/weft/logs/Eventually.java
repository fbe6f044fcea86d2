package io.weft.logs;

import java.time.Duration;

/** Retries an assertion until it holds or the time is up (ingest is asynchronous: Kafka, then a batch). */
public final class Eventually {
    private Eventually() {
    }

    public static void holds(Runnable assertion) {
        holds(Duration.ofSeconds(30), assertion);
    }

    public static void holds(Duration within, Runnable assertion) {
        long deadline = System.nanoTime() + within.toNanos();
        while (true) {
            try {
                assertion.run();
                return;
            } catch (AssertionError e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
        }
    }
}
