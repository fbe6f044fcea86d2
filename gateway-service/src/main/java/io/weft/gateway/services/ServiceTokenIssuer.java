package io.weft.gateway.services;

import io.weft.gateway.forwarding.InternalTokenIssuer;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.UUID;

/**
 * Service tokens for calls between services (client-credentials style): a service presents its
 * name and secret and gets an internal token with {@code sub=service:<name>}, {@code auth=service},
 * the scopes it asked for (within what it is allowed), and the tenant it acts for, if any.
 * Served at {@code POST /internal/service-tokens} on the gateway's internal listener only
 * ({@link InternalListener}), never on its public one.
 */
@ApplicationScoped
public class ServiceTokenIssuer {
    private final ServiceClients clients;
    private final InternalTokenIssuer tokens;

    ServiceTokenIssuer(ServiceClients clients, InternalTokenIssuer tokens) {
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

    public TokenResponse issue(TokenRequest request) {
        ServiceClientsConfig.Client client = clients.authenticate(request.service(), request.secret());
        List<String> scopes = request.scopes() == null || request.scopes().isEmpty() ? client.scopes() : request.scopes();
        scopes.forEach(scope -> clients.requireScope(request.service(), client, scope));
        InternalTokenIssuer.Principal principal = new InternalTokenIssuer.Principal(
                request.tenantId() == null ? null : request.tenantId().toString(), "service:" + request.service(), null,
                String.join(" ", scopes.stream().sorted().toList()), null, "service", null);
        InternalTokenIssuer.Issued issued = tokens.issue(principal);
        return new TokenResponse(issued.token(), "Bearer", issued.expiresInSeconds());
    }
}
