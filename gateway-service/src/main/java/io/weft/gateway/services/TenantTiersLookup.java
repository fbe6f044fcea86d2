package io.weft.gateway.services;

import io.smallrye.mutiny.Uni;
import io.weft.contracts.identity.Tier;
import io.weft.gateway.identity.IdentityStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The tiers of tenants, and which are suspended, for services that act for a tenant without a
 * request of that tenant (logs-service keeps each tier's logs for the tier's time; workflow-service
 * admits webhook calls and schedule ticks by the tier, and none of a suspended tenant). The caller proves who it is with its
 * secret, as at {@code /internal/service-tokens}, and needs the scope {@code tenants:read}.
 * Served at {@code POST /internal/tenant-tiers} on the gateway's internal listener only
 * ({@link InternalListener}), never on its public one.
 */
@ApplicationScoped
public class TenantTiersLookup {
    static final String SCOPE = "tenants:read";

    private final ServiceClients clients;
    private final IdentityStore identities;

    TenantTiersLookup(ServiceClients clients, IdentityStore identities) {
        this.clients = clients;
        this.identities = identities;
    }

    public record TiersRequest(
            @NotBlank @Size(max = 64) @Pattern(regexp = "[a-z][a-z0-9-]*") String service,
            @NotBlank @Size(max = 200) String secret,
            @NotEmpty @Size(max = 500) List<@NotNull UUID> tenantIds) {
    }

    /**
     * @param tiers     by tenant id; tenants that do not exist are left out
     * @param suspended the tenants among them that an operator suspended (nothing may start for them)
     */
    public record TiersResponse(Map<UUID, Tier> tiers, List<UUID> suspended) {
    }

    public Uni<TiersResponse> tiers(TiersRequest request) {
        ServiceClientsConfig.Client client = clients.authenticate(request.service(), request.secret());
        clients.requireScope(request.service(), client, SCOPE);
        return identities.tiers(request.tenantIds().stream().distinct().toList())
                .map(found -> new TiersResponse(found.tiers(), found.suspended()));
    }
}
