package io.weft.testsupport;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.util.concurrent.TimeUnit;

/**
 * A stand-in of other services for tests: a Vert.x HTTP server on a free loopback port, its address
 * for the configuration of the service under test, closed with the test resource that started it.
 */
public final class LoopbackServer implements AutoCloseable {
    private final Vertx vertx;
    private final String address;

    private LoopbackServer(Vertx vertx, String address) {
        this.vertx = vertx;
        this.address = address;
    }

    /** Starts answering with {@code handler}; {@code what} names the stand-in in the error when it cannot start. */
    public static LoopbackServer start(String what, Handler<HttpServerRequest> handler) {
        Vertx vertx = Vertx.vertx();
        try {
            int port = vertx.createHttpServer().requestHandler(handler).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture()
                    .get(10, TimeUnit.SECONDS).actualPort();
            return new LoopbackServer(vertx, "http://127.0.0.1:" + port);
        } catch (Exception e) {
            vertx.close();
            throw new IllegalStateException("cannot start the " + what, e);
        }
    }

    /** {@code http://127.0.0.1:<port>} */
    public String address() {
        return address;
    }

    /**
     * Ends {@code response} with a canned answer of a test: JSON answered with 200, or {@code "429 body"} —
     * a status, a space and the body — for another status.
     */
    public static void answer(HttpServerResponse response, String answer) {
        int status = answer.matches("\\d{3} .*") ? Integer.parseInt(answer.substring(0, 3)) : 200;
        response.setStatusCode(status).putHeader("content-type", "application/json")
                .end(answer.matches("\\d{3} .*") ? answer.substring(4) : answer);
    }

    @Override
    public void close() {
        vertx.close().toCompletionStage().toCompletableFuture().orTimeout(10, TimeUnit.SECONDS).join();
    }
}
