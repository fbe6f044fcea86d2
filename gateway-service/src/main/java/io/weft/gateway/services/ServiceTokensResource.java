package io.weft.gateway.services;

import io.weft.contracts.problems.ProblemType;
import io.weft.gateway.forwarding.InternalTokenIssuer;
import io.weft.platform.problems.ProblemException;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Service tokens for calls between services (client-credentials style): a service presents its
 * name and secret and gets an internal token with {@code sub=service:<name>}, {@code auth=service},
 * the scopes it asked for (within what it is allowed), and the tenant it acts for, if any.
 * Not for the public: the ingress must not route {@code /internal/**}.
 */
@Path("/internal/service-tokens")
@Tag(name = "internal")
public class ServiceTokensResource {
    private final ServiceClientsConfig clients;
    private final InternalTokenIssuer tokens;

    ServiceTokensResource(ServiceClientsConfig clients, InternalTokenIssuer tokens) {
        this.clients = clients;
        this.tokens = tokens;
    }

    public record TokenRequest(
            @NotBlank @Size(max = 64) @Pattern(regexp = "[a-z][a-z0-9-]*") String service,
            @NotBlank @Size(max = 200) String secret,
            @Size(max = 20) List<@NotBlank @Size(max = 64) String> scopes,
            UUID tenantId) {
    }

    public record TokenResponse(String accessToken, String tokenType, long expiresIn) {
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "A service token for one service (internal; never routed from outside)")
    public TokenResponse issue(@NotNull @Valid TokenRequest request) {
        ServiceClientsConfig.Client client = clients.clients().get(request.service());
        byte[] expected = client == null ? null : expectedHash(client);
        boolean secretMatches = MessageDigest.isEqual(expected == null ? new byte[32] : expected, sha256(request.secret()));
        if (expected == null || !secretMatches) {
            throw new ProblemException(ProblemType.UNAUTHORIZED, "unknown service or wrong secret");
        }
        List<String> scopes = request.scopes() == null || request.scopes().isEmpty() ? client.scopes() : request.scopes();
        for (String scope : scopes) {
            if (!client.scopes().contains(scope)) {
                throw new ProblemException(ProblemType.FORBIDDEN, request.service() + "-service may not ask for " + scope);
            }
        }
        InternalTokenIssuer.Principal principal = new InternalTokenIssuer.Principal(
                request.tenantId() == null ? null : request.tenantId().toString(), "service:" + request.service(), null,
                String.join(" ", scopes.stream().sorted().toList()), null, "service", null);
        InternalTokenIssuer.Issued issued = tokens.issue(principal);
        return new TokenResponse(issued.token(), "Bearer", issued.expiresInSeconds());
    }

    private static byte[] expectedHash(ServiceClientsConfig.Client client) {
        try {
            return client.secretSha256().filter(hash -> hash.length() == 64).map(HexFormat.of()::parseHex).orElse(null);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static byte[] sha256(String secret) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
