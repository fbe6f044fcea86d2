package io.weft.gateway.forwarding;

import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Set;
import org.jboss.logging.Logger;

/** Which headers cross the gateway in each direction, and the ones it adds. */
final class ForwardedHeaders {
    private static final Logger LOG = Logger.getLogger(ForwardedHeaders.class);
    /** Hop-by-hop headers (RFC 9110 §7.6.1) never cross the proxy. */
    static final Set<String> HOP_BY_HOP = Set.of("connection", "keep-alive", "proxy-authenticate",
            "proxy-authorization", "te", "trailer", "transfer-encoding", "upgrade", "proxy-connection");
    static final String TRACEPARENT = "traceparent";
    private static final SecureRandom RANDOM = new SecureRandom();

    private ForwardedHeaders() {
    }

    /** Headers that look like identity claims but are what a webhook's own check reads (signature, header token). */
    private static final Set<String> WEBHOOK_CALLER_DATA = Set.of("x-weft-timestamp", "x-weft-signature", "x-api-key");
    /** Where a public entry point's caller's own {@code Authorization} goes: data for the webhook's check, never identity. */
    static final String FORWARDED_AUTHORIZATION = "X-Forwarded-Authorization";

    /**
     * @param authorization the internal token for an authenticated route; null for a public entry
     *                      point (webhooks), where the headers a webhook's check reads pass too and the
     *                      caller's {@code Authorization} goes on only as {@value #FORWARDED_AUTHORIZATION},
     *                      so that no service ever takes it for a caller's identity
     */
    static void copyRequestHeaders(HttpServerRequest in, HttpClientRequest out, String authorization) {
        MultiMap headers = out.headers();
        Set<String> connectionTokens = connectionTokens(in.headers());
        boolean publicEntry = authorization == null;
        in.headers().forEach((name, value) -> {
            String lower = name.toLowerCase(Locale.ROOT);
            boolean withheld = isIdentity(lower) && !(publicEntry && WEBHOOK_CALLER_DATA.contains(lower));
            if (!HOP_BY_HOP.contains(lower) && !connectionTokens.contains(lower) && !withheld && !lower.equals("host")) {
                headers.add(name, value);
            }
        });
        if (authorization != null) {
            headers.set(HttpHeaders.AUTHORIZATION, authorization);
        } else if (in.getHeader(HttpHeaders.AUTHORIZATION) != null) {
            headers.set(FORWARDED_AUTHORIZATION, in.getHeader(HttpHeaders.AUTHORIZATION));
        }
        if (!headers.contains(TRACEPARENT)) {
            headers.set(TRACEPARENT, newTraceparent());
        }
        String client = in.remoteAddress() == null ? "unknown" : in.remoteAddress().hostAddress();
        headers.set("X-Forwarded-For", client);
        headers.set("X-Forwarded-Proto", in.scheme() == null ? "http" : in.scheme());
        if (in.authority() != null) {
            headers.set("X-Forwarded-Host", in.authority().toString());
        }
        if (in.headers().contains(HttpHeaders.CONTENT_LENGTH)) {
            headers.set(HttpHeaders.CONTENT_LENGTH, in.getHeader(HttpHeaders.CONTENT_LENGTH));
        } else if (in.headers().contains(HttpHeaders.TRANSFER_ENCODING)) {
            out.setChunked(true);
        }
    }

    /** Identity is carried only by the internal token: whatever the client claims is dropped. */
    static boolean isIdentity(String lowerName) {
        return lowerName.equals("authorization") || lowerName.equals("x-api-key") || lowerName.startsWith("x-weft-") || lowerName.equals("x-tenant-id")
                || lowerName.equals("x-user-id") || lowerName.startsWith("x-forwarded-") || lowerName.equals("forwarded");
    }

    /**
     * Relays the service's answer to the client. A client that goes away (closes a stream early, say)
     * takes the call to the service with it: it is reset, so that the service stops too, and nothing
     * is written to the closed answer.
     */
    static void relay(HttpClientResponse upstream, HttpServerResponse response) {
        if (response.closed() || response.headWritten()) {
            upstream.request().reset();
            return;
        }
        response.closeHandler(closed -> upstream.request().reset());
        response.setStatusCode(upstream.statusCode());
        Set<String> connectionTokens = connectionTokens(upstream.headers());
        upstream.headers().forEach((name, value) -> {
            String lower = name.toLowerCase(Locale.ROOT);
            if (!HOP_BY_HOP.contains(lower) && !connectionTokens.contains(lower)) {
                response.headers().add(name, value);
            }
        });
        if (!upstream.headers().contains(HttpHeaders.CONTENT_LENGTH)) {
            response.setChunked(true);
        }
        upstream.pipeTo(response).onFailure(e -> LOG.debugf("stream from upstream ended early: %s", e.getMessage()));
    }

    static Set<String> connectionTokens(MultiMap headers) {
        String connection = headers.get(HttpHeaders.CONNECTION);
        if (connection == null) {
            return Set.of();
        }
        return Set.of(connection.toLowerCase(Locale.ROOT).replace(" ", "").split(","));
    }

    private static String newTraceparent() {
        byte[] ids = new byte[24];
        RANDOM.nextBytes(ids);
        String hex = HexFormat.of().formatHex(ids);
        return "00-" + hex.substring(0, 32) + "-" + hex.substring(32) + "-01";
    }
}
