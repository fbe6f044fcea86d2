package io.weft.gateway.identity;

import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import io.weft.contracts.identity.Role;
import io.weft.contracts.problems.ProblemType;
import io.weft.platform.problems.ProblemException;
import io.weft.platform.security.Caller;
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
import io.weft.gateway.apikeys.ApiKeyAuthentication;
import java.util.List;
import org.eclipse.microprofile.jwt.JsonWebToken;
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
    private static final String API_KEY = "api_key";
    /** No scope covers the tenant's users: a key may ask who it acts for ({@code /me}), nothing more. */
    static final String KEYS_REFUSED = "API keys cannot read or change the tenant's users; sign in as a user";

    private final IdentityStore identities;
    private final PasswordHasher hasher;
    private final Caller caller;
    private final AuditLog audit;
    private final JsonWebToken token;

    UsersResource(IdentityStore identities, PasswordHasher hasher, Caller caller, AuditLog audit, JsonWebToken token) {
        this.audit = audit;
        this.token = token;
        this.identities = identities;
        this.hasher = hasher;
        this.caller = caller;
    }

    @GET
    @Path("/me")
    @Operation(summary = "The calling user; with an API key, the user who created the key")
    public Uni<UserView> me() {
        if (API_KEY.equals(caller.authentication())) {
            return find(UUID.fromString(token.getClaim(ApiKeyAuthentication.CREATED_BY_CLAIM)));
        }
        return find(UUID.fromString(caller.subject()));
    }

    @GET
    @Operation(summary = "Users of the caller's tenant, oldest first")
    public Uni<List<UserView>> list(@QueryParam("limit") @DefaultValue("50") @Min(1) @Max(200) int limit,
                                    @QueryParam("offset") @DefaultValue("0") @Min(0) @Max(100_000) int offset) {
        caller.requireUser(KEYS_REFUSED);
        return identities.listUsers(caller.tenantId(), limit, offset).map(users -> users.stream().map(User::view).toList());
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "One user of the caller's tenant")
    public Uni<UserView> get(@PathParam("id") UUID id) {
        caller.requireUser(KEYS_REFUSED);
        return find(id);
    }

    @POST
    @Authenticated
    @Consumes(MediaType.APPLICATION_JSON)
    @ResponseStatus(201)
    @Operation(summary = "Add a user to the caller's tenant (owners and admins; only owners add owners)")
    public Uni<UserView> create(@NotNull @Valid AuthRequests.NewUser request, @Context HttpServerRequest http) {
        caller.requireUser(KEYS_REFUSED);
        Role callerRole = caller.role();
        if (!callerRole.atLeast(Role.ADMIN)) {
            throw new ProblemException(ProblemType.FORBIDDEN, "only owners and admins can add users");
        }
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
