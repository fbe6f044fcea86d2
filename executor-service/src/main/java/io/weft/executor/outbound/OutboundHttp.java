package io.weft.executor.outbound;

import io.weft.contracts.events.ErrorKind;
import io.weft.executor.engine.NodeFailure;
import io.weft.executor.engine.RetryAfter;
import io.weft.platform.net.OutboundAddresses;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.Instant;

/**
 * How nodes call HTTP APIs (HTTP Request, the integration nodes, custom nodes' {@code ctx.http}, the
 * AI nodes' model providers): one client without automatic
 * redirects, failures typed as the retry policy reads them ({@code TIMEOUT}, {@code CONNECTION},
 * {@code RATE_LIMITED} with the server's {@code Retry-After}, …), answers read up to a cap, and the
 * guard against internal addresses for URLs a tenant chose ({@link #allowed}); an integration's base
 * URL is the operator's and is not checked.
 */
public final class OutboundHttp {
    public static final int MAX_RESPONSE_BYTES = 16 * 1024 * 1024;

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

    private final OutboundAddresses addresses;
    private final HttpClient client;

    public OutboundHttp(OutboundAddresses addresses) {
        this(addresses, CONNECT_TIMEOUT);
    }

    public OutboundHttp(OutboundAddresses addresses, Duration connectTimeout) {
        this.addresses = addresses;
        this.client = HttpClient.newBuilder().connectTimeout(connectTimeout).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /** Refuses a host that is (or resolves to) an internal address, unless the operator allowed its network. */
    public void allowed(String host) {
        try {
            addresses.check(host, "weft.executor.http.allowed-networks");
        } catch (OutboundAddresses.Refused refused) {
            throw refused.unresolvable() ? new NodeFailure(ErrorKind.CONNECTION, true, refused.getMessage())
                    : new NodeFailure(ErrorKind.INVALID_PARAMETERS, false, refused.getMessage());
        }
    }

    /** Sends the request; the answer's body is still to be read ({@link #read}) or closed ({@link #close}). */
    public HttpResponse<InputStream> send(HttpRequest request) {
        try {
            return client.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (HttpTimeoutException e) {
            throw new NodeFailure(ErrorKind.TIMEOUT, true, "no answer from " + request.uri().getHost() + " within the request's timeout");
        } catch (ConnectException e) {
            throw new NodeFailure(ErrorKind.CONNECTION, true, "cannot connect to " + request.uri().getHost() + ":" + port(request.uri()));
        } catch (IOException e) {
            throw new NodeFailure(ErrorKind.CONNECTION, true, "the call to " + request.uri().getHost() + " failed: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new NodeFailure(ErrorKind.CANCELLED, false, "the call to " + request.uri().getHost() + " was cancelled");
        }
    }

    /** The answer's body, at most {@link #MAX_RESPONSE_BYTES}; a larger one fails the node. */
    public static byte[] read(HttpResponse<InputStream> response) {
        try (InputStream in = response.body()) {
            byte[] bytes = in.readNBytes(MAX_RESPONSE_BYTES + 1);
            if (bytes.length > MAX_RESPONSE_BYTES) {
                throw new NodeFailure(ErrorKind.INVALID_PARAMETERS, false, "the response is larger than " + MAX_RESPONSE_BYTES + " bytes");
            }
            return bytes;
        } catch (IOException e) {
            throw new NodeFailure(ErrorKind.CONNECTION, true, "the response could not be read: " + e.getMessage());
        }
    }

    public static void close(HttpResponse<InputStream> response) {
        try {
            response.body().close();
        } catch (IOException ignored) {
            // nothing of it is wanted
        }
    }

    /**
     * The failure an error status is: 429 {@code RATE_LIMITED}, 5xx {@code HTTP_SERVER_ERROR} (both
     * retryable, and 408), other 4xx {@code HTTP_CLIENT_ERROR}; a 429's or 503's {@code Retry-After}
     * is kept for the retry policy.
     */
    public static NodeFailure statusFailure(HttpResponse<?> response, String message, Instant now) {
        int status = response.statusCode();
        boolean serverSide = status >= 500;
        ErrorKind kind = status == 429 ? ErrorKind.RATE_LIMITED : serverSide ? ErrorKind.HTTP_SERVER_ERROR : ErrorKind.HTTP_CLIENT_ERROR;
        NodeFailure failure = new NodeFailure(kind, serverSide || status == 408 || status == 429, message);
        if (status == 429 || status == 503) {
            RetryAfter.parse(response.headers().firstValue("retry-after").orElse(null), now).ifPresent(failure::withRetryAfter);
        }
        return failure;
    }

    private static int port(URI uri) {
        return uri.getPort() > 0 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
    }
}
