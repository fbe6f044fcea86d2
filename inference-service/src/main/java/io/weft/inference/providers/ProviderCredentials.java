package io.weft.inference.providers;

import com.fasterxml.jackson.databind.JsonNode;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.weft.contracts.json.WeftJson;
import io.weft.contracts.problems.ProblemType;
import io.weft.platform.problems.ProblemException;
import io.weft.platform.security.ServiceCalls;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * A tenant's chat-model credential, resolved by credentials-service for inference-service's service
 * token (which resolves only {@code openAiApi}, {@code googleGeminiApi} and {@code ollamaApi};
 * every resolution is audited there with its purpose). Asked again for every answer, so that a
 * changed or deleted credential takes effect at once.
 */
@ApplicationScoped
public class ProviderCredentials {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    /** A resolved credential: its type and its data (secrets included — never answered, logged or stored). */
    public record Resolved(String type, JsonNode data) {
    }

    private final ServiceCalls calls;
    private final URI credentials;

    ProviderCredentials(ServiceCalls calls, @ConfigProperty(name = "weft.inference.credentials-url") URI credentials) {
        this.calls = calls;
        this.credentials = credentials;
    }

    public Uni<Resolved> resolve(UUID tenant, UUID credentialId, String purpose) {
        Buffer body = Buffer.buffer(WeftJson.mapper().createObjectNode().put("purpose", purpose).toString());
        return calls.call(HttpMethod.POST, credentials, "/internal/credentials/" + credentialId + "/resolve", Optional.of(tenant),
                        Map.of(), body, TIMEOUT)
                .onFailure().transform(failure -> new ProblemException(ProblemType.DEPENDENCY_UNAVAILABLE,
                        "credential " + credentialId + " cannot be read now: credentials-service is unavailable; try again"))
                .map(answer -> switch (answer.status()) {
                    case 200 -> resolved(credentialId, answer.body());
                    case 404 -> throw new ProblemException(ProblemType.VALIDATION_FAILED, "credentialId: credential " + credentialId
                            + " does not exist in this organisation");
                    case 403 -> throw new ProblemException(ProblemType.VALIDATION_FAILED, "credentialId: credential " + credentialId
                            + " is not a chat model's; answers use an openAiApi, googleGeminiApi or ollamaApi credential");
                    default -> throw new ProblemException(answer.status() == 503 ? ProblemType.DEPENDENCY_UNAVAILABLE : ProblemType.BAD_GATEWAY,
                            "credential " + credentialId + " cannot be read: credentials-service answered " + answer.status());
                });
    }

    private static Resolved resolved(UUID credentialId, Buffer body) {
        try {
            JsonNode answer = WeftJson.mapper().readTree(body.getBytes());
            return new Resolved(answer.path("type").asText(), answer.path("data"));
        } catch (Exception e) {
            throw new ProblemException(ProblemType.BAD_GATEWAY, "credential " + credentialId + " came back unreadable");
        }
    }
}
