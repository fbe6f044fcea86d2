package io.weft.logs.redaction;

import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import io.weft.contracts.identity.Role;
import io.weft.contracts.identity.Scope;
import io.weft.platform.api.Paging;
import io.weft.platform.security.Caller;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * The tenant's redaction policy: secrets are always masked before logs are stored; personal data
 * (emails, phone numbers, card numbers, IBANs) is masked unless the tenant's admins turn a
 * category off. Changes apply to what is stored from then on.
 */
@Path("/api/logs/redaction-policy")
@Produces(MediaType.APPLICATION_JSON)
@Authenticated
public class RedactionPolicyResource {
    /** A scope no API key can hold: only admins and owners, signed in, change the policy. */
    private static final String USERS_ONLY = "logs:policy";

    /** @param personalData the personal-data categories masked, by wire name */
    public record PolicyView(List<String> secrets, List<String> personalData) {
    }

    public record PolicyChange(@NotNull @Size(max = 20) List<@NotNull @Size(max = 40) String> personalData) {
    }

    private final RedactionPolicies policies;
    private final Caller caller;

    RedactionPolicyResource(RedactionPolicies policies, Caller caller) {
        this.policies = policies;
        this.caller = caller;
    }

    @GET
    @Operation(summary = "What is masked before logs are stored")
    public Uni<PolicyView> get() {
        UUID tenant = caller.tenantFor(Role.VIEWER, Scope.LOGS_READ);
        return policies.of(tenant).map(RedactionPolicyResource::view);
    }

    @PUT
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Choose the personal-data categories to mask (secrets are always masked); admins and owners")
    public Uni<PolicyView> put(@NotNull @Valid PolicyChange change) {
        caller.require(Role.ADMIN, USERS_ONLY);
        UUID tenant = caller.tenantId();
        Set<RedactionCategory> chosen = EnumSet.noneOf(RedactionCategory.class);
        for (String name : change.personalData()) {
            RedactionCategory category = RedactionCategory.byWireName(name).filter(c -> !c.secret())
                    .orElseThrow(() -> Paging.invalid("personalData", "must hold only " + String.join(", ", personalNames())));
            chosen.add(category);
        }
        return policies.put(tenant, chosen, caller.subject()).map(RedactionPolicyResource::view);
    }

    private static PolicyView view(RedactionPolicy policy) {
        List<String> secrets = Arrays.stream(RedactionCategory.values()).filter(RedactionCategory::secret)
                .map(RedactionCategory::wireName).toList();
        List<String> personal = Arrays.stream(RedactionCategory.values()).filter(c -> !c.secret() && policy.masks(c))
                .map(RedactionCategory::wireName).toList();
        return new PolicyView(secrets, personal);
    }

    private static List<String> personalNames() {
        return Arrays.stream(RedactionCategory.values()).filter(c -> !c.secret()).map(RedactionCategory::wireName).toList();
    }
}
