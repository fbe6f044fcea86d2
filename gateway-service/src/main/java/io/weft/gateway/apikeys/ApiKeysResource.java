package io.weft.gateway.apikeys;

import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import io.weft.contracts.identity.Role;
import io.weft.contracts.identity.Scope;
import io.weft.contracts.problems.ProblemType;
import io.weft.platform.problems.Problem;
import io.weft.platform.problems.ProblemException;
import io.weft.platform.security.Caller;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import io.vertx.core.http.HttpServerRequest;
import io.weft.contracts.events.AuditEvent;
import io.weft.gateway.audit.AuditLog;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.ResponseStatus;

/**
 * API keys of the caller's tenant. Anyone may create a key, but only with scopes their role could
 * use itself; the key is shown once. Its creator, admins and owners may revoke it.
 */
@Path("/api/api-keys")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "api-keys")
public class ApiKeysResource {
    /** A key that could mint keys would outlive its own revocation. */
    static final String KEYS_REFUSED = "API keys cannot create, list or revoke API keys; sign in as a user";
    static final Duration MAX_LIFETIME = Duration.ofDays(2 * 365);

    private final ApiKeyStore store;
    private final ApiKeyAuthenticator authenticator;
    private final Caller caller;
    private final Clock clock;
    private final AuditLog audit;

    ApiKeysResource(ApiKeyStore store, ApiKeyAuthenticator authenticator, Caller caller, Clock clock, AuditLog audit) {
        this.audit = audit;
        this.store = store;
        this.authenticator = authenticator;
        this.caller = caller;
        this.clock = clock;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @ResponseStatus(201)
    @Operation(summary = "Create an API key; the answer is the only time the key is shown")
    public Uni<ApiKeyViews.Created> create(@NotNull @Valid ApiKeyViews.NewKey request, @Context HttpServerRequest http) {
        caller.requireUser(KEYS_REFUSED);
        Role role = caller.role();
        for (Scope scope : request.scopes()) {
            if (!role.atLeast(scope.leastRoleToGrant())) {
                throw new ProblemException(ProblemType.FORBIDDEN, "the " + role.wireName() + " role cannot grant "
                        + scope.wireName());
            }
        }
        OffsetDateTime now = OffsetDateTime.now(clock);
        if (request.expiresAt() != null
                && (!request.expiresAt().isAfter(now) || request.expiresAt().isAfter(now.plus(MAX_LIFETIME)))) {
            throw new ProblemException(ProblemType.VALIDATION_FAILED, 400, "expiresAt is out of range",
                    List.of(new Problem.Violation("expiresAt", "must be in the future and at most two years away")));
        }
        String key = ApiKeySecrets.generate();
        return store.create(caller.tenantId(), UUID.fromString(caller.subject()), request.name().strip(), key.substring(0, ApiKeySecrets.DISPLAY_LENGTH),
                        ApiKeySecrets.hash(key), request.scopes(), request.expiresAt())
                .invoke(created -> audit.record(created.tenantId().toString(), AuditEvent.ActorType.USER, caller.subject(),
                        "apikey.create", "api_key", created.id().toString(), AuditEvent.Outcome.SUCCESS, AuditLog.sourceIp(http),
                        AuditLog.details("scopes", created.scopes().stream().map(Scope::wireName).sorted().toList())))
                .map(created -> new ApiKeyViews.Created(created.id(), created.name(), key, created.scopes(),
                        created.expiresAt(), created.createdAt()));
    }

    @GET
    @Operation(summary = "The tenant's API keys, masked")
    public Uni<List<ApiKeyViews.Listed>> list() {
        caller.requireUser(KEYS_REFUSED);
        return store.list(caller.tenantId()).map(keys -> keys.stream().map(ApiKeyViews.Listed::of).toList());
    }

    @DELETE
    @Path("/{id}")
    @ResponseStatus(204)
    @Operation(summary = "Revoke an API key (its creator, admins and owners)")
    public Uni<Void> revoke(@PathParam("id") UUID id, @Context HttpServerRequest http) {
        caller.requireUser(KEYS_REFUSED);
        UUID tenant = caller.tenantId();
        return store.find(tenant, id)
                .map(found -> found.orElseThrow(() -> ProblemException.notFound("API key " + id)))
                .chain(key -> {
                    if (!key.createdBy().equals(UUID.fromString(caller.subject())) && !caller.role().atLeast(Role.ADMIN)) {
                        throw new ProblemException(ProblemType.FORBIDDEN, "only the key's creator, admins and owners can revoke it");
                    }
                    return store.revoke(tenant, id);
                })
                .invoke(() -> authenticator.forget(id))
                .invoke(() -> audit.record(tenant.toString(), AuditEvent.ActorType.USER, caller.subject(), "apikey.revoke",
                        "api_key", id.toString(), AuditEvent.Outcome.SUCCESS, AuditLog.sourceIp(http), null))
                .replaceWithVoid();
    }

}
