package io.weft.executor.engine;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A test server's answer that never ends (a byte every 100 ms for half a minute), and that
 * notices when the caller cuts the call off: what tests of timeouts and cancellation call.
 */
public final class EndlessResponse implements HttpHandler {
    private final AtomicInteger started = new AtomicInteger();
    private volatile CountDownLatch cut = new CountDownLatch(1);

    @Override
    public void handle(HttpExchange exchange) {
        started.incrementAndGet();
        try {
            exchange.sendResponseHeaders(200, 0);
            for (int i = 0; i < 300; i++) {
                Thread.sleep(100);
                exchange.getResponseBody().write(' ');
                exchange.getResponseBody().flush();
            }
            exchange.close();
        } catch (IOException | InterruptedException e) {
            cut.countDown();
        }
    }

    /** Forgets earlier calls (before each test). */
    public void reset() {
        started.set(0);
        cut = new CountDownLatch(1);
    }

    public boolean started() {
        return started.get() > 0;
    }

    /** Whether a call was cut off by its caller within the time given. */
    public boolean cutOffWithin(long seconds) throws InterruptedException {
        return cut.await(seconds, TimeUnit.SECONDS);
    }
}
