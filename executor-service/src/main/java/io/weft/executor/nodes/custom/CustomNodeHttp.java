package io.weft.executor.nodes.custom;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.weft.contracts.events.ErrorKind;
import io.weft.contracts.json.WeftJson;
import io.weft.executor.engine.NodeFailure;
import io.weft.executor.outbound.OutboundHttp;
import io.weft.executor.sandbox.ScriptSession;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * {@code ctx.http(request)} of custom node code: the request as JSON from the sandbox, sent through
 * {@link OutboundHttp} (the SSRF guard on every URL, typed failures, the size cap), the answer as
 * JSON back. An error status is a failure (an {@code HttpError} in the code, with its response)
 * unless the request says {@code ignoreHttpErrors}; redirects are answers, not followed. A node run
 * makes at most {@value #CALLS_PER_RUN} calls. Never throws: every failure is an answer.
 *
 * <p>Request: {@code url} (http or https), {@code method} (GET), {@code headers}, {@code query},
 * {@code body} (a string as it is, anything else as JSON), {@code timeoutMs} (30 s, and never past
 * the node's time), {@code ignoreHttpErrors}. Answer: {@code status}, {@code headers} (lower-case
 * names, first values), {@code body} (parsed when the answer is JSON, else text).
 */
final class CustomNodeHttp implements ScriptSession.HostHttp {
    static final int CALLS_PER_RUN = 1000;
    private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
    private static final Set<String> METHODS = Set.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS");

    private final OutboundHttp http;
    private final Clock clock;
    private int calls;

    CustomNodeHttp(OutboundHttp http, Clock clock) {
        this.http = http;
        this.clock = clock;
    }

    @Override
    public String call(String requestJson, Duration timeLeft) {
        try {
            if (++calls > CALLS_PER_RUN) {
                throw new NodeFailure(ErrorKind.INVALID_PARAMETERS, false, "a node run may make at most " + CALLS_PER_RUN + " ctx.http calls");
            }
            return send(WeftJson.mapper().readTree(requestJson), timeLeft);
        } catch (NodeFailure failure) {
            return failed(failure, null);
        } catch (Exception e) {
            return failed(new NodeFailure(ErrorKind.INVALID_PARAMETERS, false, "ctx.http: " + e.getMessage()), null);
        }
    }

    private String send(JsonNode request, Duration timeLeft) {
        URI uri = uri(request);
        http.allowed(uri.getHost());
        String method = request.path("method").asText("GET").toUpperCase(Locale.ROOT);
        if (!METHODS.contains(method)) {
            throw invalid("method must be one of " + METHODS);
        }
        Duration timeout = request.path("timeoutMs").canConvertToLong() && request.path("timeoutMs").asLong() > 0
                ? Duration.ofMillis(request.path("timeoutMs").asLong()) : DEFAULT_TIMEOUT;
        if (timeout.compareTo(timeLeft) > 0) {
            timeout = timeLeft;
        }
        if (timeout.isZero() || timeout.isNegative()) {
            throw new NodeFailure(ErrorKind.TIMEOUT, false, "ctx.http: the node has no time left for a call");
        }
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri).timeout(timeout);
        JsonNode body = request.path("body");
        boolean json = !body.isMissingNode() && !body.isNull() && !body.isTextual();
        for (Map.Entry<String, JsonNode> header : iterable(request.path("headers"))) {
            try {
                builder.header(header.getKey(), header.getValue().asText());
            } catch (IllegalArgumentException e) {
                throw invalid("the header \"" + header.getKey() + "\" cannot be set: " + e.getMessage());
            }
        }
        if (json && request.path("headers").path("content-type").isMissingNode() && request.path("headers").path("Content-Type").isMissingNode()) {
            builder.header("Content-Type", "application/json");
        }
        HttpRequest.BodyPublisher publisher = body.isMissingNode() || body.isNull() ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(json ? body.toString() : body.asText());
        HttpResponse<InputStream> response = http.send(builder.method(method, publisher).build());
        byte[] bytes = "HEAD".equals(method) ? new byte[0] : OutboundHttp.read(response);
        ObjectNode answer = answer(response, bytes);
        if (response.statusCode() >= 400 && !request.path("ignoreHttpErrors").asBoolean(false)) {
            return failed(OutboundHttp.statusFailure(response, method + " " + uri.getHost() + uri.getPath() + " answered "
                    + response.statusCode(), clock.instant()), answer);
        }
        ObjectNode ok = WeftJson.mapper().createObjectNode().put("ok", true);
        ok.set("response", answer);
        return ok.toString();
    }

    private static URI uri(JsonNode request) {
        String url = request.path("url").asText("");
        if (url.isEmpty()) {
            throw invalid("the request needs a url");
        }
        try {
            URI uri = new URI(url);
            if (!"http".equalsIgnoreCase(uri.getScheme()) && !"https".equalsIgnoreCase(uri.getScheme()) || uri.getHost() == null) {
                throw invalid("the url must be http or https with a host: " + url);
            }
            if (uri.getRawUserInfo() != null) {
                throw invalid("the url must not carry a user name or password; send them in a header");
            }
            StringBuilder query = new StringBuilder(uri.getRawQuery() == null ? "" : uri.getRawQuery());
            for (Map.Entry<String, JsonNode> parameter : iterable(request.path("query"))) {
                query.append(query.isEmpty() ? "" : "&").append(URLEncoder.encode(parameter.getKey(), StandardCharsets.UTF_8))
                        .append('=').append(URLEncoder.encode(parameter.getValue().asText(), StandardCharsets.UTF_8));
            }
            return query.isEmpty() ? uri : new URI(uri.getScheme() + "://" + uri.getRawAuthority() + uri.getRawPath() + "?" + query);
        } catch (URISyntaxException e) {
            throw invalid("the url is not valid: " + e.getMessage());
        }
    }

    private static ObjectNode answer(HttpResponse<InputStream> response, byte[] bytes) {
        ObjectNode answer = WeftJson.mapper().createObjectNode().put("status", response.statusCode());
        ObjectNode headers = answer.putObject("headers");
        response.headers().map().forEach((name, values) -> {
            if (!values.isEmpty()) {
                headers.put(name.toLowerCase(Locale.ROOT), values.get(0));
            }
        });
        String text = new String(bytes, StandardCharsets.UTF_8);
        String type = response.headers().firstValue("content-type").orElse("").toLowerCase(Locale.ROOT);
        if (type.contains("json") && !text.isBlank()) {
            try {
                answer.set("body", WeftJson.mapper().readTree(text));
                return answer;
            } catch (Exception e) {
                // not JSON after all: the text as it came
            }
        }
        answer.put("body", text);
        return answer;
    }

    private static String failed(NodeFailure failure, ObjectNode response) {
        ObjectNode answer = WeftJson.mapper().createObjectNode().put("ok", false);
        ObjectNode error = answer.putObject("error").put("kind", failure.kind().name()).put("retryable", failure.retryable())
                .put("message", failure.getMessage());
        failure.retryAfter().ifPresent(after -> error.put("retryAfterMs", after.toMillis()));
        if (response != null) {
            answer.set("response", response);
        }
        return answer.toString();
    }

    private static Iterable<Map.Entry<String, JsonNode>> iterable(JsonNode object) {
        if (!object.isMissingNode() && !object.isNull() && !object.isObject()) {
            throw invalid("headers and query must be objects of names to values");
        }
        return object::fields;
    }

    private static NodeFailure invalid(String message) {
        return new NodeFailure(ErrorKind.INVALID_PARAMETERS, false, "ctx.http: " + message);
    }
}
