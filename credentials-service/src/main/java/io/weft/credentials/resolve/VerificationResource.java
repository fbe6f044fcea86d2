package io.weft.credentials.resolve;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import io.weft.contracts.problems.ProblemType;
import io.weft.credentials.crypto.CredentialSealer;
import io.weft.credentials.manage.CredentialIds;
import io.weft.credentials.manage.CredentialStore;
import io.weft.platform.problems.ProblemException;
import io.weft.platform.security.Caller;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.Clock;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Checks what a webhook caller presented against a stored credential, so that the secret never
 * leaves this service: a header token ({@code httpHeaderAuth}), basic credentials
 * ({@code httpBasicAuth}) or an HMAC signature with a timestamp ({@code hmacSecret}, see
 * {@link WebhookSignatures}). For workflow-service's service token with {@code credentials:verify}.
 */
@Path("/internal/credentials/{id}/verify")
@Tag(name = "internal")
@Authenticated
public class VerificationResource {
    public static final String SCOPE = "credentials:verify";
    private static final int MAX_HEADERS = 200;

    private final CredentialStore store;
    private final CredentialSealer sealer;
    private final Caller caller;
    private final Clock clock;

    VerificationResource(CredentialStore store, CredentialSealer sealer, Caller caller, Clock clock) {
        this.store = store;
        this.sealer = sealer;
        this.caller = caller;
        this.clock = clock;
    }

    /**
     * @param headers    the call's headers, names in lower case
     * @param bodySha256 hex SHA-256 of the call's body (HMAC signs it with the timestamp)
     */
    public record VerifyRequest(Map<String, String> headers, String bodySha256) {
    }

    /**
     * @param reason why not, in words safe to show the caller; null when valid
     * @param header the header that carried the secret (lower case), which must not travel further
     */
    public record Verdict(boolean valid, String reason, String header) {
        Verdict(boolean valid, String reason) {
            this(valid, reason, null);
        }
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Whether a webhook call's credentials match a stored credential (workflow-service only)")
    public Uni<Verdict> verify(@PathParam("id") String id, VerifyRequest body) {
        caller.requireService("workflow", SCOPE, "only workflow-service verifies webhook credentials");
        UUID tenant = caller.tenantId();
        if (body == null || body.headers() == null || body.headers().size() > MAX_HEADERS) {
            throw new ProblemException(ProblemType.VALIDATION_FAILED, "headers are required (at most " + MAX_HEADERS + ")");
        }
        UUID credential = CredentialIds.parse(id);
        return store.find(tenant, credential)
                .map(found -> found.orElseThrow(CredentialIds::notFound))
                .chain(stored -> sealer.open(tenant, stored.id(), stored.revision(), stored.sealed())
                        .map(data -> verdict(stored.type(), data, body)));
    }

    private Verdict verdict(String type, JsonNode data, VerifyRequest call) {
        Map<String, String> headers = call.headers();
        return switch (type) {
            case "httpHeaderAuth" -> {
                String name = data.path("name").asText().toLowerCase(java.util.Locale.ROOT);
                yield WebhookSignatures.same(headers.get(name), data.path("value").asText()) ? new Verdict(true, null, name)
                        : new Verdict(false, "the " + data.path("name").asText() + " header is missing or wrong", name);
            }
            case "httpBasicAuth" -> WebhookSignatures.basicMatches(headers.get("authorization"), data.path("user").asText(),
                    data.path("password").asText()) ? new Verdict(true, null) : new Verdict(false, "basic credentials are missing or wrong");
            case "hmacSecret" -> WebhookSignatures.hmac(data.path("secret").asText(), data.path("algorithm").asText("sha256"),
                    headers.get(WebhookSignatures.TIMESTAMP), headers.get(WebhookSignatures.SIGNATURE), call.bodySha256(), clock.instant());
            default -> throw new ProblemException(ProblemType.CONFLICT, "a " + type + " credential cannot authenticate webhook calls");
        };
    }
}
