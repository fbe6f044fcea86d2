package io.weft.workflow.webhooks;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.weft.contracts.json.WeftJson;
import io.weft.contracts.problems.ProblemType;
import io.weft.platform.problems.ProblemException;
import io.weft.platform.security.ServiceCalls;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Authenticates webhook calls against the webhook's credential. The secret stays in
 * credentials-service, which answers whether what the caller presented matches; for HMAC it gets
 * the body's SHA-256, not the body. A signature is accepted once: a replay within the timestamp's
 * window (kept in Redis for ten minutes) is refused.
 */
@ApplicationScoped
public class WebhookAuthentication {
    private static final Logger LOG = Logger.getLogger(WebhookAuthentication.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private static final String REPLAY_WINDOW_SECONDS = "600";
    static final String FORWARDED_AUTHORIZATION = "x-forwarded-authorization";

    private final ServiceCalls calls;
    private final URI credentials;
    private final ReactiveRedisDataSource redis;

    WebhookAuthentication(ServiceCalls calls, @ConfigProperty(name = "weft.workflow.credentials-url") URI credentials,
                          ReactiveRedisDataSource redis) {
        this.calls = calls;
        this.credentials = credentials;
        this.redis = redis;
    }

    /**
     * Completes when the call may run, with the header that carried its secret (to be kept out of the
     * execution), if any; fails with a 401 problem (or 503 when it cannot be checked) otherwise.
     */
    public Uni<Optional<String>> check(Webhook hook, WebhookCalls.Call call) {
        if ("none".equals(hook.authentication())) {
            return Uni.createFrom().item(Optional.empty());
        }
        if (hook.credentialId() == null) {
            throw new ProblemException(ProblemType.DEPENDENCY_UNAVAILABLE, "this webhook requires " + hook.authentication()
                    + " authentication but its workflow names no " + Webhook.credentialType(hook.authentication()) + " credential");
        }
        Map<String, String> headers = new TreeMap<>();
        call.headers().forEach((name, values) -> {
            if (!values.isEmpty() && !name.equalsIgnoreCase("cookie")) {
                headers.put(name.toLowerCase(Locale.ROOT), values.get(0));
            }
        });
        // The gateway hands on a webhook caller's Authorization under this name, so that it is never taken for identity.
        String forwarded = headers.remove(FORWARDED_AUTHORIZATION);
        if (forwarded != null) {
            headers.put("authorization", forwarded);
        }
        var body = WeftJson.mapper().createObjectNode();
        body.set("headers", WeftJson.mapper().valueToTree(headers));
        body.put("bodySha256", sha256(call.body()));
        return calls.call(HttpMethod.POST, credentials, "/internal/credentials/" + hook.credentialId() + "/verify",
                        Optional.of(hook.tenantId()), Map.of(), Buffer.buffer(body.toString()), TIMEOUT)
                .onFailure().transform(failure -> unavailable(failure.getMessage()))
                .chain(answer -> {
                    if (answer.status() == 404) {
                        throw new ProblemException(ProblemType.DEPENDENCY_UNAVAILABLE, "the webhook's credential no longer exists");
                    }
                    if (answer.status() != 200) {
                        throw unavailable("credentials-service answered " + answer.status());
                    }
                    JsonNode verdict = read(answer.body());
                    if (!verdict.path("valid").asBoolean(false)) {
                        throw refused(hook, verdict.path("reason").asText("wrong credentials"));
                    }
                    Optional<String> secretHeader = Optional.ofNullable(verdict.path("header").asText(null));
                    return ("hmac".equals(hook.authentication()) ? firstUse(hook, headers.get("x-weft-signature"))
                            : Uni.createFrom().voidItem()).replaceWith(secretHeader);
                });
    }

    private Uni<Void> firstUse(Webhook hook, String signature) {
        String key = "weft:webhook-signature:" + hook.credentialId() + ":" + signature;
        return redis.execute("SET", key, "1", "NX", "EX", REPLAY_WINDOW_SECONDS)
                .onFailure().transform(failure -> unavailable("Redis cannot be reached to rule out a replay"))
                .map(set -> {
                    if (set == null) {
                        throw refused(hook, "this signature was used before (a replay)");
                    }
                    return null;
                });
    }

    private static ProblemException refused(Webhook hook, String reason) {
        ProblemException refused = new ProblemException(ProblemType.UNAUTHORIZED, "the call is not authenticated: " + reason);
        return "basic".equals(hook.authentication()) ? refused.withHeader("WWW-Authenticate", "Basic realm=\"weft-webhook\"") : refused;
    }

    private static ProblemException unavailable(String why) {
        LOG.warnf("a webhook call could not be authenticated: %s", why);
        return new ProblemException(ProblemType.DEPENDENCY_UNAVAILABLE, "the call cannot be authenticated now; try again shortly");
    }

    private static JsonNode read(io.vertx.core.buffer.Buffer body) {
        try {
            return WeftJson.mapper().readTree(body.getBytes());
        } catch (Exception e) {
            throw unavailable("credentials-service answered something unreadable");
        }
    }

    private static String sha256(byte[] body) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body == null ? new byte[0] : body));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
