package io.weft.executor.nodes.integrations;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.weft.contracts.events.ErrorKind;
import io.weft.contracts.json.WeftJson;
import io.weft.executor.engine.NodeFailure;
import io.weft.executor.outbound.OutboundHttp;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * Slack's Web API (https://api.slack.com/web) for one node run, with its token: JSON posted to
 * write methods, query parameters to read ones. Slack answers most errors with HTTP 200 and
 * {@code {"ok": false, "error": "…"}}; they become typed failures here — a refused token
 * {@code CREDENTIALS}, a missing channel, message or user {@code NOT_FOUND}, a rate limit
 * {@code RATE_LIMITED} with Slack's {@code Retry-After}, Slack's own trouble {@code HTTP_SERVER_ERROR}
 * (both retried by the node's policy), a request Slack cannot take {@code INVALID_PARAMETERS}. The
 * token never appears in a failure.
 */
final class SlackApi {
    private static final Set<String> REFUSED_TOKEN = Set.of("invalid_auth", "not_authed", "account_inactive", "token_revoked",
            "token_expired", "no_permission", "missing_scope", "not_allowed_token_type", "ekm_access_denied");
    private static final Set<String> NOT_FOUND = Set.of("channel_not_found", "message_not_found", "thread_not_found", "users_not_found",
            "user_not_found");
    private static final Set<String> SLACK_TROUBLE = Set.of("fatal", "internal_error", "service_unavailable", "request_timeout");
    /** Refusals a refreshed OAuth2 token may cure (a missing scope is not one of them). */
    private static final Set<String> STALE_TOKEN = Set.of("invalid_auth", "token_expired", "token_revoked");
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final OutboundHttp http;
    private final URI base;
    private final Clock clock;
    /** An OAuth2 credential's token after Slack refused the one given, or null (a bot token is not refreshed). */
    private final UnaryOperator<String> afterRefusal;
    private String token;
    private boolean refreshed;

    SlackApi(OutboundHttp http, URI base, String token, Clock clock, UnaryOperator<String> afterRefusal) {
        this.http = http;
        this.base = base;
        this.token = token;
        this.clock = clock;
        this.afterRefusal = afterRefusal;
    }

    /** A write method ({@code chat.postMessage}, …) with a JSON body. */
    JsonNode post(String method, ObjectNode body) {
        return answer(method, bearer -> HttpRequest.newBuilder(uri(method, Map.of())).timeout(TIMEOUT)
                .header("Authorization", bearer)
                .header("Content-Type", "application/json; charset=utf-8")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build());
    }

    /** A read method ({@code conversations.list}, …) with query parameters. */
    JsonNode get(String method, Map<String, String> query) {
        return answer(method, bearer -> HttpRequest.newBuilder(uri(method, query)).timeout(TIMEOUT)
                .header("Authorization", bearer).GET().build());
    }

    private URI uri(String method, Map<String, String> query) {
        StringJoiner parameters = new StringJoiner("&", "?", "").setEmptyValue("");
        query.forEach((name, value) -> parameters.add(URLEncoder.encode(name, StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(value, StandardCharsets.UTF_8)));
        String root = base.toString().endsWith("/") ? base.toString() : base + "/";
        return URI.create(root + method + parameters);
    }

    /** The call, made again once with a refreshed token when Slack refuses an OAuth2 one that a refresh may cure. */
    private JsonNode answer(String method, Function<String, HttpRequest> request) {
        Reply reply = call(method, request.apply("Bearer " + token));
        if (reply.staleToken() && afterRefusal != null && !refreshed) {
            refreshed = true;
            token = afterRefusal.apply(token);
            reply = call(method, request.apply("Bearer " + token));
        }
        if (reply.failure() != null) {
            throw reply.failure();
        }
        return reply.answer();
    }

    /** Slack's answer, or the failure it is; {@code staleToken}: a refusal of the token that a refresh may cure. */
    private record Reply(JsonNode answer, NodeFailure failure, boolean staleToken) {
    }

    private Reply call(String method, HttpRequest request) {
        HttpResponse<InputStream> response = http.send(request);
        if (response.statusCode() >= 400) {
            OutboundHttp.close(response);
            String message = "Slack's " + method + " answered " + response.statusCode();
            boolean refused = response.statusCode() == 401 || response.statusCode() == 403;
            return new Reply(null, refused ? new NodeFailure(ErrorKind.CREDENTIALS, false, message + ": the credential's token is refused")
                    : OutboundHttp.statusFailure(response, response.statusCode() == 429 ? "Slack's rate limit for " + method + " is reached"
                            : message, clock.instant()), response.statusCode() == 401);
        }
        JsonNode answer;
        try {
            answer = WeftJson.mapper().readTree(OutboundHttp.read(response));
        } catch (IOException e) {
            return new Reply(null, new NodeFailure(ErrorKind.HTTP_SERVER_ERROR, true, "Slack's " + method
                    + " answered something that is not JSON"), false);
        }
        if (answer == null || !answer.path("ok").asBoolean(false)) {
            String error = answer == null ? "" : answer.path("error").asText("");
            return new Reply(null, failure(method, error, answer), STALE_TOKEN.contains(error));
        }
        return new Reply(answer, null, false);
    }

    private static NodeFailure failure(String method, String error, JsonNode answer) {
        String said = "Slack's " + method + " refused: " + (error.isEmpty() ? "no reason given" : error);
        if (REFUSED_TOKEN.contains(error)) {
            String needed = answer.path("needed").asText("");
            return new NodeFailure(ErrorKind.CREDENTIALS, false, said + (needed.isEmpty() ? "" : " (the token lacks the scope " + needed + ")"));
        }
        if (NOT_FOUND.contains(error)) {
            return new NodeFailure(ErrorKind.NOT_FOUND, false, said);
        }
        if (error.equals("ratelimited")) {
            return new NodeFailure(ErrorKind.RATE_LIMITED, true, said);
        }
        if (SLACK_TROUBLE.contains(error)) {
            return new NodeFailure(ErrorKind.HTTP_SERVER_ERROR, true, said);
        }
        if (error.equals("not_in_channel")) {
            return new NodeFailure(ErrorKind.INVALID_PARAMETERS, false, said + " — invite the app to the channel first");
        }
        return new NodeFailure(ErrorKind.INVALID_PARAMETERS, false, said);
    }
}
