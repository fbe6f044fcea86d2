package io.weft.executor.credentials;

import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.weft.contracts.events.ErrorKind;
import io.weft.contracts.json.WeftJson;
import io.weft.executor.engine.Credentials;
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
 * Resolves credentials for node runs from credentials-service, with the executor's service token for
 * the execution's tenant (scope {@code credentials:resolve}). Each node run asks again: every use is
 * audited there, and a changed or deleted credential takes effect at once. Nodes run on their own
 * threads, so this waits for the answer.
 */
@ApplicationScoped
public class CredentialsClient implements Credentials {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final ServiceCalls calls;
    private final URI credentials;

    CredentialsClient(ServiceCalls calls, @ConfigProperty(name = "weft.executor.credentials-url") URI credentials) {
        this.calls = calls;
        this.credentials = credentials;
    }

    @Override
    public Resolved resolve(String tenantId, String credentialId, String executionId, String nodeId) {
        return resolve(tenantId, credentialId, WeftJson.mapper().createObjectNode().put("executionId", executionId).put("nodeId", nodeId));
    }

    /** Only the token's SHA-256 goes back to credentials-service, to say which token was refused. */
    @Override
    public Resolved afterRefusal(String tenantId, String credentialId, String executionId, String nodeId, String refusedToken) {
        String sha256;
        try {
            sha256 = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(refusedToken.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        return resolve(tenantId, credentialId, WeftJson.mapper().createObjectNode().put("executionId", executionId).put("nodeId", nodeId)
                .put("refusedTokenSha256", sha256));
    }

    private Resolved resolve(String tenantId, String credentialId, com.fasterxml.jackson.databind.node.ObjectNode request) {
        Buffer body = Buffer.buffer(request.toString());
        ServiceCalls.Answer answer;
        try {
            answer = calls.call(HttpMethod.POST, credentials, "/internal/credentials/" + credentialId + "/resolve",
                    Optional.of(UUID.fromString(tenantId)), Map.of(), body, TIMEOUT).await().atMost(TIMEOUT.plusSeconds(1));
        } catch (RuntimeException e) {
            throw new NodeFailure(ErrorKind.CREDENTIALS, true, "credential " + credentialId + " cannot be resolved now:"
                    + " credentials-service is unavailable");
        }
        return switch (answer.status()) {
            case 200 -> resolved(credentialId, answer.body());
            case 404 -> throw new NodeFailure(ErrorKind.CREDENTIALS, false, "credential " + credentialId
                    + " does not exist (it may have been deleted)");
            case 401, 403 -> throw new NodeFailure(ErrorKind.CREDENTIALS, false, "this executor may not resolve credentials"
                    + " (credentials-service answered " + answer.status() + ")");
            default -> throw new NodeFailure(ErrorKind.CREDENTIALS, answer.status() >= 500, "credential " + credentialId
                    + " cannot be resolved: credentials-service answered " + answer.status());
        };
    }

    private static Resolved resolved(String credentialId, Buffer body) {
        try {
            JsonNode answer = WeftJson.mapper().readTree(body.getBytes());
            return new Resolved(answer.path("type").asText(), answer.path("data"));
        } catch (Exception e) {
            throw new NodeFailure(ErrorKind.CREDENTIALS, true, "credential " + credentialId + " came back unreadable");
        }
    }
}
