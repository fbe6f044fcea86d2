package io.weft.gateway.identity;

import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import io.weft.contracts.identity.Role;
import io.weft.contracts.problems.ProblemType;
import io.weft.platform.problems.ProblemException;
import io.weft.platform.security.Caller;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import io.vertx.core.http.HttpServerRequest;
import io.weft.contracts.events.AuditEvent;
import io.weft.gateway.audit.AuditLog;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.ResponseStatus;

/** Users of the caller's tenant. Another tenant's user answers 404, never 403. */
@Path("/api/users")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "users")
public class UsersResource {
    private final IdentityStore identities;
    private final PasswordHasher hasher;
    private final Caller caller;
    private final AuditLog audit;

    UsersResource(IdentityStore identities, PasswordHasher hasher, Caller caller, AuditLog audit) {
        this.audit = audit;
        this.identities = identities;
        this.hasher = hasher;
        this.caller = caller;
    }

    @GET
    @Path("/me")
    @Operation(summary = "The calling user")
    public Uni<UserView> me() {
        return find(UUID.fromString(caller.subject()));
    }

    @GET
    @Operation(summary = "Users of the caller's tenant, oldest first")
    public Uni<List<UserView>> list(@QueryParam("limit") @DefaultValue("50") @Min(1) @Max(200) int limit,
                                    @QueryParam("offset") @DefaultValue("0") @Min(0) @Max(100_000) int offset) {
        return identities.listUsers(caller.tenantId(), limit, offset).map(users -> users.stream().map(User::view).toList());
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "One user of the caller's tenant")
    public Uni<UserView> get(@PathParam("id") UUID id) {
        return find(id);
    }

    @POST
    @RolesAllowed({"owner", "admin"})
    @Consumes(MediaType.APPLICATION_JSON)
    @ResponseStatus(201)
    @Operation(summary = "Add a user to the caller's tenant (owners and admins; only owners add owners)")
    public Uni<UserView> create(@NotNull @Valid AuthRequests.NewUser request, @Context HttpServerRequest http) {
        Role callerRole = caller.role();
        if (request.role() == Role.OWNER && callerRole != Role.OWNER) {
            throw new ProblemException(ProblemType.FORBIDDEN, "only an owner can add another owner");
        }
        String email = AuthRequests.normaliseEmail(request.email());
        return hasher.hashOffLoop(request.password())
                .chain(hash -> identities.createUser(caller.tenantId(), email,
                        AuthRequests.displayNameOr(request.displayName(), email), request.role(), hash))
                .invoke(user -> audit.record(user.tenantId().toString(), AuditEvent.ActorType.USER, caller.subject(),
                        "user.create", "user", user.id().toString(), AuditEvent.Outcome.SUCCESS, AuditLog.sourceIp(http),
                        AuditLog.details("role", user.role().wireName())))
                .map(User::view);
    }

    private Uni<UserView> find(UUID userId) {
        return identities.findUser(caller.tenantId(), userId)
                .map(user -> user.map(User::view).orElseThrow(() -> ProblemException.notFound("user " + userId)));
    }

}
