package io.weft.gateway.services;

import io.smallrye.mutiny.Uni;
import io.weft.contracts.identity.Tier;
import io.weft.gateway.identity.IdentityStore;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The tiers of tenants, for services that act on a tenant's data without a request of that tenant
 * (logs-service keeps each tier's logs for the tier's time). The caller proves who it is with its
 * secret, as at {@code /internal/service-tokens}, and needs the scope {@code tenants:read}.
 * Not for the public: the ingress must not route {@code /internal/**}.
 */
@Path("/internal/tenant-tiers")
@Tag(name = "internal")
public class TenantTiersResource {
    static final String SCOPE = "tenants:read";

    private final ServiceClients clients;
    private final IdentityStore identities;

    TenantTiersResource(ServiceClients clients, IdentityStore identities) {
        this.clients = clients;
        this.identities = identities;
    }

    public record TiersRequest(
            @NotBlank @Size(max = 64) @Pattern(regexp = "[a-z][a-z0-9-]*") String service,
            @NotBlank @Size(max = 200) String secret,
            @NotEmpty @Size(max = 500) List<@NotNull UUID> tenantIds) {
    }

    /** @param tiers by tenant id; tenants that do not exist are left out */
    public record TiersResponse(Map<UUID, Tier> tiers) {
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "The tiers of up to 500 tenants (internal; never routed from outside)")
    public Uni<TiersResponse> tiers(@NotNull @Valid TiersRequest request) {
        ServiceClientsConfig.Client client = clients.authenticate(request.service(), request.secret());
        clients.requireScope(request.service(), client, SCOPE);
        return identities.tiers(request.tenantIds().stream().distinct().toList()).map(tiers -> new TiersResponse(new TreeMap<>(tiers)));
    }
}
