package io.weft.gateway.forwarding;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketConnectOptions;
import java.net.URI;
import java.time.Duration;
import java.util.Locale;

/**
 * Forwards a WebSocket upgrade. Connects to the service first, so that a service that is down
 * still answers with a problem; only then accepts the client's upgrade and relays messages both
 * ways, closing each side when the other closes.
 */
final class WebSocketBridge {
    private final HttpClient client;
    private final Duration connectTimeout;

    WebSocketBridge(HttpClient client, Duration connectTimeout) {
        this.client = client;
        this.connectTimeout = connectTimeout;
    }

    void bridge(HttpServerRequest in, URI upstream, String authorization, Handler<Throwable> onFailure) {
        WebSocketConnectOptions options = new WebSocketConnectOptions()
                .setHost(upstream.getHost())
                .setPort(upstream.getPort())
                .setURI(in.uri())
                .setTimeout(connectTimeout.toMillis());
        in.headers().forEach((name, value) -> {
            String lower = name.toLowerCase(Locale.ROOT);
            boolean handshake = lower.startsWith("sec-websocket-") && !lower.equals("sec-websocket-protocol");
            if (!ForwardedHeaders.HOP_BY_HOP.contains(lower) && !ForwardedHeaders.isIdentity(lower)
                    && !lower.equals("host") && !handshake) {
                options.addHeader(name, value);
            }
        });
        if (authorization != null) {
            options.putHeader("Authorization", authorization);
        }
        options.putHeader("X-Forwarded-For", in.remoteAddress() == null ? "unknown" : in.remoteAddress().hostAddress());
        client.webSocket(options).onComplete(connected -> {
            if (connected.failed()) {
                onFailure.handle(connected.cause());
                return;
            }
            WebSocket service = connected.result();
            // What the service sends before the caller's side is accepted waits; dropped otherwise
            // (a greeting sent on connect was lost whenever the upgrade took a moment).
            service.pause();
            in.toWebSocket().onComplete(accepted -> {
                if (accepted.failed()) {
                    service.close();
                    return;
                }
                relay(accepted.result(), service);
                service.resume();
            });
        });
    }

    private static void relay(ServerWebSocket caller, WebSocket service) {
        service.textMessageHandler(caller::writeTextMessage);
        service.binaryMessageHandler(caller::writeBinaryMessage);
        caller.textMessageHandler(service::writeTextMessage);
        caller.binaryMessageHandler(service::writeBinaryMessage);
        service.closeHandler(closed -> caller.close(closeCode(service.closeStatusCode()), service.closeReason()));
        caller.closeHandler(closed -> service.close(closeCode(caller.closeStatusCode()), caller.closeReason()));
        service.exceptionHandler(error -> caller.close((short) 1011, "service connection failed"));
        caller.exceptionHandler(error -> service.close((short) 1011, "client connection failed"));
    }

    /** 1005 and 1006 may not be sent in a close frame; they become a normal closure. */
    private static short closeCode(Short code) {
        return code == null || code == 1005 || code == 1006 ? 1000 : code;
    }
}
