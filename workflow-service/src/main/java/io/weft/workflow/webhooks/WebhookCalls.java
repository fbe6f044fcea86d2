package io.weft.workflow.webhooks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.smallrye.mutiny.Uni;
import io.weft.contracts.events.ExecutionEvent;
import io.weft.contracts.events.ExecutionRequested;
import io.weft.contracts.events.TriggerKind;
import io.weft.contracts.json.WeftJson;
import io.weft.contracts.problems.ProblemType;
import io.weft.platform.problems.ProblemException;
import io.vertx.core.Vertx;
import io.weft.workflow.executions.Executors;
import io.weft.workflow.streaming.LiveTokens;
import io.weft.workflow.tiers.Tiers;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeoutException;

/**
 * Turns a call to a webhook into an execution: the request becomes the trigger's one item
 * ({@code method, path, headers, query, body}); the call is answered at once (202 with the
 * execution id) or, for {@code whenLastNodeFinishes} and {@code usingRespondNode}, with the
 * workflow's answer — or 504 when none comes within the trigger's {@code responseTimeoutMs}.
 */
@ApplicationScoped
public class WebhookCalls {
    /** Credentials and session cookies of the caller never enter the execution (its events show the trigger's output). */
    private static final Set<String> WITHHELD_HEADERS = Set.of("authorization", "proxy-authorization", "cookie",
            "x-weft-internal-token", WebhookAuthentication.FORWARDED_AUTHORIZATION.toLowerCase(Locale.ROOT),
            // what the fleet adds on the way, not what the caller sent (host is the public one, below)
            "traceparent", "tracestate", "forwarded", "x-forwarded-for", "x-forwarded-proto", "x-forwarded-host",
            "x-forwarded-port", "x-forwarded-prefix", "x-real-ip", "via");

    public record Call(String method, String path, MultivaluedMap<String, String> headers, MultivaluedMap<String, String> query,
                       byte[] body) {
    }

    private final Executors executors;
    private final WebhookAnswers answers;
    private final Clock clock;
    private final Tiers tiers;
    private final WebhookAuthentication authentication;
    private final LiveTokens tokens;
    private final Vertx vertx;

    WebhookCalls(Executors executors, WebhookAnswers answers, Clock clock, Tiers tiers, WebhookAuthentication authentication,
                 LiveTokens tokens, Vertx vertx) {
        this.tokens = tokens;
        this.vertx = vertx;
        this.authentication = authentication;
        this.tiers = tiers;
        this.executors = executors;
        this.answers = answers;
        this.clock = clock;
    }

    public Uni<Response> start(Webhook hook, Call call) {
        return tiers.limitsOf(hook.tenantId()).chain(limits -> {
            if (call.body() != null && call.body().length > limits.webhookBodyBytes()) {
                throw new ProblemException(ProblemType.PAYLOAD_TOO_LARGE, "the body is " + call.body().length
                        + " bytes; this webhook takes at most " + limits.webhookBodyBytes());
            }
            return authentication.check(hook, call).chain(secretHeader -> run(hook, call, secretHeader));
        });
    }

    private Uni<Response> run(Webhook hook, Call call, Optional<String> secretHeader) {
        JsonNode item = item(call, secretHeader);
        String executionId = UUID.randomUUID().toString();
        Instant now = clock.instant();
        ExecutionRequested request = new ExecutionRequested(UUID.randomUUID().toString(), hook.tenantId().toString(), executionId,
                hook.workflowId().toString(), hook.version(), hook.planHash(), TriggerKind.WEBHOOK, hook.nodeId(), item, "webhook",
                null, null, now);
        if (hook.answersAtOnce()) {
            return executors.queue(request).map(sent -> Response.accepted(new Accepted(executionId)).build());
        }
        if (hook.streams()) {
            return streamed(hook, request);
        }
        WebhookAnswers.Awaited awaited = answers.await(hook.tenantId().toString(), executionId);
        return executors.queue(request)
                .chain(() -> Uni.createFrom().completionStage(awaited.answer())
                        .ifNoItem().after(Duration.ofMillis(hook.responseTimeoutMs())).failWith(TimeoutException::new))
                .map(event -> answer(hook, executionId, event))
                .onFailure(TimeoutException.class).transform(timeout -> new ProblemException(ProblemType.UPSTREAM_TIMEOUT,
                        "the workflow did not answer within " + hook.responseTimeoutMs() + " ms; execution " + executionId
                                + " goes on"))
                .onTermination().invoke(awaited::forget);
    }

    public record Accepted(String executionId) {
    }

    /**
     * A call whose workflow streams: it listens for the execution's token chunks and its answer before
     * the request is sent, and answers once the first of them comes — a stream (200, NDJSON) when a
     * token or the Respond node's answer came first, the same problem as a call that does not stream
     * when the run ended without answering, or 504 when nothing came in time.
     */
    private Uni<Response> streamed(Webhook hook, ExecutionRequested request) {
        String executionId = request.executionId();
        StreamedAnswer answer = new StreamedAnswer(executionId);
        WebhookAnswers.Awaited awaited = answers.await(hook.tenantId().toString(), executionId);
        AutoCloseable chunks = tokens.listen(hook.tenantId().toString(), executionId, answer::token);
        long timer = vertx.setTimer(hook.responseTimeoutMs(), fired -> answer.timedOut(hook.responseTimeoutMs()));
        answer.onRelease(() -> {
            vertx.cancelTimer(timer);
            awaited.forget();
            try {
                chunks.close();
            } catch (Exception ignored) {
                // nothing is left to stop
            }
        });
        awaited.answer().thenAccept(answer::finish);
        return executors.queue(request)
                .chain(() -> Uni.createFrom().completionStage(answer.first()))
                .map(first -> {
                    if (first.isPresent() && !(first.get() instanceof ExecutionEvent.WebhookResponded)) {
                        return answer(hook, executionId, first.get());
                    }
                    return Response.ok(answer, StreamedAnswer.MEDIA_TYPE).header("X-Weft-Execution-Id", executionId)
                            .header("X-Content-Type-Options", "nosniff").header("Cache-Control", "no-cache").build();
                })
                .onFailure(TimeoutException.class).transform(timeout -> new ProblemException(ProblemType.UPSTREAM_TIMEOUT,
                        "the workflow did not answer within " + hook.responseTimeoutMs() + " ms; execution " + executionId + " goes on"))
                .onFailure().invoke(answer::release);
    }

    private static Response answer(Webhook hook, String executionId, ExecutionEvent event) {
        return switch (event) {
            case ExecutionEvent.WebhookResponded responded -> {
                Response.ResponseBuilder answer = Response.status(responded.statusCode());
                responded.headers().forEach((name, value) -> {
                    if (!name.equalsIgnoreCase("set-cookie")) {
                        answer.header(name, value);
                    }
                });
                // A workflow's answer is served from the platform's own origin: it may not set cookies there,
                // nor run as a page of it.
                answer.header("X-Content-Type-Options", "nosniff").header("Content-Security-Policy", "sandbox");
                JsonNode body = responded.body();
                if (body != null && !body.isNull()) {
                    String type = responded.contentType() == null ? "application/json" : responded.contentType();
                    answer.type(type).entity(body.isTextual() && !type.contains("json") ? body.asText() : body.toString());
                }
                yield answer.header("X-Weft-Execution-Id", executionId).build();
            }
            case ExecutionEvent.ExecutionSucceeded succeeded -> throw new ProblemException(ProblemType.BAD_GATEWAY,
                    "the workflow finished without answering (no Respond to Webhook node ran); execution " + executionId);
            case ExecutionEvent.ExecutionCancelled cancelled -> throw new ProblemException(ProblemType.BAD_GATEWAY,
                    "the execution was cancelled before it answered; execution " + executionId);
            default -> throw new ProblemException(ProblemType.BAD_GATEWAY,
                    "the workflow failed before it answered; execution " + executionId);
        };
    }

    /** The trigger's item: what the workflow sees of the call. A JSON body must be valid JSON (400 otherwise). */
    static JsonNode item(Call call, Optional<String> secretHeader) {
        ObjectNode item = WeftJson.mapper().createObjectNode().put("method", call.method()).put("path", call.path());
        ObjectNode headers = item.putObject("headers");
        call.headers().forEach((name, values) -> {
            String lower = name.toLowerCase(Locale.ROOT);
            if (!WITHHELD_HEADERS.contains(lower) && !secretHeader.map(lower::equals).orElse(false)) {
                headers.put(lower, String.join(", ", values));
            }
        });
        // The address the caller used, as the gateway saw it, not the service's own behind it.
        String publicHost = call.headers().getFirst("x-forwarded-host");
        if (publicHost != null) {
            headers.put("host", publicHost);
        }
        ObjectNode query = item.putObject("query");
        call.query().forEach((name, values) -> query.put(name, values.size() == 1 ? values.get(0) : String.join(",", values)));
        byte[] body = call.body() == null ? new byte[0] : call.body();
        if (body.length == 0) {
            item.putNull("body");
            return item;
        }
        String contentType = call.headers().getFirst("content-type");
        if (contentType != null && contentType.toLowerCase(Locale.ROOT).contains("json")) {
            try {
                item.set("body", WeftJson.mapper().readTree(body));
                return item;
            } catch (Exception e) {
                throw new ProblemException(ProblemType.MALFORMED_REQUEST, "the body is not valid JSON, as its content type says it is");
            }
        }
        try {
            item.put("body", StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(body)).toString());
        } catch (CharacterCodingException e) {
            item.put("body", Base64.getEncoder().encodeToString(body)).put("bodyEncoding", "base64");
        }
        return item;
    }
}
