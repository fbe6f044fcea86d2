package io.weft.executor.knowledge;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.weft.contracts.events.ErrorKind;
import io.weft.executor.engine.NodeFailure;
import io.weft.platform.security.ServiceCalls;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * inference-service's public knowledge-base API as the executor's nodes call it: with the
 * executor's service token for the tenant, so that the same checks, limits and tenant wall apply
 * as to a user's call. What inference-service refuses becomes the node's failure, with its reason.
 */
@ApplicationScoped
public class InferenceApi {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final ServiceCalls calls;
    private final URI inference;

    InferenceApi(ServiceCalls calls, @ConfigProperty(name = "weft.executor.inference-url") URI inference) {
        this.calls = calls;
        this.inference = inference;
    }

    /**
     * The answer to a call about knowledge base {@code knowledgeBaseId} when it is a success (2xx);
     * any other answer is thrown as a {@link NodeFailure} that says it could not be {@code done}
     * (e.g. "searched"), and why.
     */
    public ServiceCalls.Answer call(HttpMethod method, String path, String tenantId, String knowledgeBaseId, Map<String, String> headers,
                                    Buffer body, String done) {
        String what = "knowledge base " + knowledgeBaseId;
        ServiceCalls.Answer answer;
        try {
            answer = calls.call(method, inference, path, Optional.of(UUID.fromString(tenantId)), headers, body, TIMEOUT)
                    .await().atMost(TIMEOUT.plusSeconds(1));
        } catch (RuntimeException e) {
            throw new NodeFailure(ErrorKind.HTTP_SERVER_ERROR, true, what + " cannot be " + done + " now: inference-service is unavailable");
        }
        int status = answer.status();
        if (status >= 200 && status < 300) {
            return answer;
        }
        String detail = answer.detail();
        throw switch (status) {
            case 404 -> new NodeFailure(ErrorKind.INVALID_PARAMETERS, false, what + " does not exist in this organisation");
            case 400, 409, 413, 415, 422 -> new NodeFailure(ErrorKind.INVALID_PARAMETERS, false, what + " cannot be " + done + " so: "
                    + detail);
            case 429 -> new NodeFailure(ErrorKind.RATE_LIMITED, true, what + ": " + detail);
            case 401, 403 -> new NodeFailure(ErrorKind.INTERNAL, false, "this executor may not use knowledge bases so"
                    + " (inference-service answered " + status + ": " + detail + ")");
            default -> new NodeFailure(ErrorKind.HTTP_SERVER_ERROR, status >= 500, what + " cannot be " + done
                    + ": inference-service answered " + status);
        };
    }
}
