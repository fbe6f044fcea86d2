package io.weft.platform.security;

import io.smallrye.mutiny.Uni;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Calls another service of the fleet with a service token, on behalf of a tenant or of none. The
 * answer comes back whatever its status; connection failures and timeouts fail the {@link Uni}.
 */
public final class ServiceCalls implements AutoCloseable {
    private final ServiceTokens tokens;
    private final HttpClient client;

    /** What the other service answered. */
    public record Answer(int status, MultiMap headers, Buffer body) {
        /** A problem answer's detail (else its title, else the status), to say why a call was refused. */
        public String detail() {
            try {
                com.fasterxml.jackson.databind.JsonNode problem = io.weft.contracts.json.WeftJson.mapper().readTree(body.toString());
                return problem.path("detail").asText(problem.path("title").asText("status " + status));
            } catch (Exception e) {
                return "status " + status;
            }
        }
    }

    public ServiceCalls(ServiceTokens tokens, Vertx vertx) {
        this.tokens = tokens;
        this.client = vertx.createHttpClient(new HttpClientOptions().setConnectTimeout(2000));
    }

    public Uni<Answer> call(HttpMethod method, URI service, String path, Optional<UUID> tenant, Map<String, String> headers,
                            Buffer body, Duration timeout) {
        return tokens.token(tenant).chain(token -> {
            RequestOptions options = new RequestOptions().setMethod(method)
                    .setHost(service.getHost()).setPort(service.getPort()).setURI(path)
                    .setIdleTimeout(timeout.toMillis())
                    .putHeader(HttpHeaders.AUTHORIZATION, "Bearer " + token)
                    .putHeader(HttpHeaders.ACCEPT, "application/json");
            headers.forEach(options::putHeader);
            if (body != null && headers.keySet().stream().noneMatch(name -> name.equalsIgnoreCase("content-type"))) {
                options.putHeader(HttpHeaders.CONTENT_TYPE, "application/json");
            }
            // The body is read inside send's own continuation, which runs as the response arrives; chained one
            // step later, it may be attached after the body went by (Vert.x #3517) — an empty answer.
            return Uni.createFrom().completionStage(() -> client.request(options)
                    .compose(request -> (body == null ? request.send() : request.send(body))
                            .compose(response -> response.body().map(answer -> new Answer(response.statusCode(), response.headers(), answer))))
                    .toCompletionStage());
        }).ifNoItem().after(timeout).fail();
    }

    @Override
    public void close() {
        client.close();
    }
}
