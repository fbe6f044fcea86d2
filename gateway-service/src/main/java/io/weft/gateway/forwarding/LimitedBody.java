package io.weft.gateway.forwarding;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;

/**
 * A request body on its way to a service that stops at {@code limit} bytes: the chunk that goes
 * over is not passed on, and {@code onExceeded} runs once. For bodies without a Content-Length,
 * which cannot be refused before they arrive.
 */
final class LimitedBody implements ReadStream<Buffer> {
    private final ReadStream<Buffer> source;
    private final long limit;
    private final Runnable onExceeded;
    private long seen;
    private boolean exceeded;

    LimitedBody(ReadStream<Buffer> source, long limit, Runnable onExceeded) {
        this.source = source;
        this.limit = limit;
        this.onExceeded = onExceeded;
    }

    @Override
    public ReadStream<Buffer> handler(Handler<Buffer> handler) {
        if (handler == null) {
            source.handler(null);
            return this;
        }
        source.handler(chunk -> {
            if (exceeded) {
                return;
            }
            seen += chunk.length();
            if (seen > limit) {
                exceeded = true;
                onExceeded.run();
                return;
            }
            handler.handle(chunk);
        });
        return this;
    }

    @Override
    public ReadStream<Buffer> exceptionHandler(Handler<Throwable> handler) {
        source.exceptionHandler(handler);
        return this;
    }

    @Override
    public ReadStream<Buffer> pause() {
        source.pause();
        return this;
    }

    @Override
    public ReadStream<Buffer> resume() {
        source.resume();
        return this;
    }

    @Override
    public ReadStream<Buffer> fetch(long amount) {
        source.fetch(amount);
        return this;
    }

    @Override
    public ReadStream<Buffer> endHandler(Handler<Void> endHandler) {
        source.endHandler(endHandler);
        return this;
    }
}
