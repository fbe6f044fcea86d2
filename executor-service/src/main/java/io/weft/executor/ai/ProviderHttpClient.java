package io.weft.executor.ai;

import dev.langchain4j.exception.HttpException;
import dev.langchain4j.http.client.HttpClient;
import dev.langchain4j.http.client.HttpClientBuilder;
import dev.langchain4j.http.client.HttpRequest;
import dev.langchain4j.http.client.SuccessfulHttpResponse;
import dev.langchain4j.http.client.sse.ServerSentEventListener;
import dev.langchain4j.http.client.sse.ServerSentEventParser;
import io.weft.executor.engine.RetryAfter;
import io.weft.executor.outbound.OutboundHttp;
import io.weft.platform.net.OutboundAddresses;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;

/**
 * The HTTP client langchain4j's chat models call providers with: {@link OutboundHttp}, the piece
 * every node's outbound call goes through — the address of each request checked against the
 * internal ranges (a credential's base URL is the tenant's to choose), no redirects, failures to
 * connect or answer typed for the retry policy, a cap on the answer's size — with the provider's
 * {@code Retry-After} kept on an error status ({@link ProviderHttpException}), which langchain4j's
 * own client drops.
 */
final class ProviderHttpClient implements HttpClient {
    static final int MAX_RESPONSE_BYTES = OutboundHttp.MAX_RESPONSE_BYTES;

    private final OutboundHttp http;
    private final Duration readTimeout;

    private ProviderHttpClient(Builder builder) {
        this.http = new OutboundHttp(builder.addresses, builder.connectTimeout);
        this.readTimeout = builder.readTimeout;
    }

    static Builder builder(OutboundAddresses addresses) {
        return new Builder(addresses);
    }

    @Override
    public SuccessfulHttpResponse execute(HttpRequest request) throws HttpException {
        URI uri = allowed(request.url());
        java.net.http.HttpRequest.Builder call = java.net.http.HttpRequest.newBuilder(uri).timeout(readTimeout);
        request.headers().forEach((name, values) -> values.forEach(value -> call.header(name, value)));
        switch (request.method()) {
            case GET -> call.GET();
            case DELETE -> call.DELETE();
            case POST -> call.POST(java.net.http.HttpRequest.BodyPublishers.ofString(request.body() == null ? "" : request.body()));
        }
        HttpResponse<InputStream> response = send(uri, call.build());
        byte[] body;
        try {
            body = OutboundHttp.read(response);
        } catch (io.weft.executor.engine.NodeFailure failure) {
            throw Thread.currentThread().isInterrupted() ? stopped(uri) : failure;
        }
        String text = new String(body, StandardCharsets.UTF_8);
        if (response.statusCode() < 200 || response.statusCode() >= 300) {
            throw new ProviderHttpException(response.statusCode(), text, retryAfter(response));
        }
        return SuccessfulHttpResponse.builder().statusCode(response.statusCode()).headers(response.headers().map()).body(text).build();
    }

    /**
     * A streamed answer, read on the calling thread: the node waits for its model's answer anyway,
     * so the events reach the model's handler on the node's own thread, in order, and a node that is
     * stopped (timeout, cancel) interrupts the read. A refusal carries the provider's
     * {@code Retry-After} as {@link #execute(HttpRequest)}'s does.
     */
    @Override
    public void execute(HttpRequest request, ServerSentEventParser parser, ServerSentEventListener listener) {
        HttpResponse<InputStream> response;
        try {
            URI uri = allowed(request.url());
            java.net.http.HttpRequest.Builder call = java.net.http.HttpRequest.newBuilder(uri).timeout(readTimeout);
            request.headers().forEach((name, values) -> values.forEach(value -> call.header(name, value)));
            call.method(request.method().name(), request.body() == null ? java.net.http.HttpRequest.BodyPublishers.noBody()
                    : java.net.http.HttpRequest.BodyPublishers.ofString(request.body()));
            response = send(uri, call.build());
        } catch (RuntimeException refused) {
            listener.onError(refused);
            return;
        }
        try (InputStream body = response.body()) {
            if (response.statusCode() < 200 || response.statusCode() >= 300) {
                String text = new String(body.readNBytes(MAX_RESPONSE_BYTES), StandardCharsets.UTF_8);
                listener.onError(new ProviderHttpException(response.statusCode(), text, retryAfter(response)));
                return;
            }
            listener.onOpen(SuccessfulHttpResponse.builder().statusCode(response.statusCode()).headers(response.headers().map()).build());
            parser.parse(body, listener);
            listener.onClose();
        } catch (IOException e) {
            listener.onError(Thread.currentThread().isInterrupted() ? stopped(response.uri()) : new ProviderConnectionException(
                    response.uri().getHost(), e));
        }
    }

    private HttpResponse<InputStream> send(URI uri, java.net.http.HttpRequest request) {
        try {
            return http.send(request);
        } catch (io.weft.executor.engine.NodeFailure failure) {
            throw failure.kind() == io.weft.contracts.events.ErrorKind.CANCELLED ? stopped(uri) : failure;
        }
    }

    private static io.weft.executor.engine.NodeFailure stopped(URI uri) {
        return new io.weft.executor.engine.NodeFailure(io.weft.contracts.events.ErrorKind.CANCELLED, false,
                "the call to " + uri.getHost() + " was stopped: its node timed out or was cancelled");
    }

    private URI allowed(String url) {
        URI uri = URI.create(url);
        if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
            throw new ProviderAddressRefused("the provider's URL must be http or https, not " + uri.getScheme());
        }
        try {
            http.allowed(uri.getHost());
        } catch (io.weft.executor.engine.NodeFailure refused) {
            // A base URL this deployment does not call is the credential's to fix; a host that does not resolve may come back.
            throw refused.retryable() ? refused : new ProviderAddressRefused(refused.getMessage());
        }
        return uri;
    }

    private static Optional<Duration> retryAfter(HttpResponse<?> response) {
        return RetryAfter.parse(response.headers().firstValue("Retry-After").orElse(null), java.time.Instant.now());
    }

    /** A provider's answer other than 2xx, with its {@code Retry-After} when it sent one. */
    static final class ProviderHttpException extends HttpException {
        private final transient Optional<Duration> retryAfter;

        ProviderHttpException(int statusCode, String body, Optional<Duration> retryAfter) {
            super(statusCode, body);
            this.retryAfter = retryAfter;
        }

        Optional<Duration> retryAfter() {
            return retryAfter;
        }
    }

    /** The provider could not be reached (refused, reset, DNS): worth another attempt. */
    static final class ProviderConnectionException extends RuntimeException {
        ProviderConnectionException(String host, Exception cause) {
            super("cannot reach " + host + ": " + cause.getMessage(), cause);
        }
    }

    /** The credential's base URL points where this deployment does not call. */
    static final class ProviderAddressRefused extends RuntimeException {
        ProviderAddressRefused(String message) {
            super(message);
        }
    }

    /** What langchain4j's model builders take ({@code httpClientBuilder(...)}). */
    static final class Builder implements HttpClientBuilder {
        private final OutboundAddresses addresses;
        private Duration connectTimeout = Duration.ofSeconds(10);
        private Duration readTimeout = Duration.ofSeconds(60);

        private Builder(OutboundAddresses addresses) {
            this.addresses = addresses;
        }

        @Override
        public Duration connectTimeout() {
            return connectTimeout;
        }

        @Override
        public Builder connectTimeout(Duration value) {
            if (value != null) {
                connectTimeout = value;
            }
            return this;
        }

        @Override
        public Duration readTimeout() {
            return readTimeout;
        }

        @Override
        public Builder readTimeout(Duration value) {
            if (value != null) {
                readTimeout = value;
            }
            return this;
        }

        @Override
        public HttpClient build() {
            return new ProviderHttpClient(this);
        }
    }
}
