package io.weft.credentials.manage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import io.weft.contracts.identity.Role;
import io.weft.contracts.identity.Scope;
import io.weft.contracts.problems.ProblemType;
import io.weft.credentials.audit.AuditTrail;
import io.weft.credentials.crypto.CredentialSealer;
import io.weft.credentials.manage.CredentialViews.CreateRequest;
import io.weft.credentials.manage.CredentialViews.CredentialView;
import io.weft.credentials.manage.CredentialViews.Page;
import io.weft.credentials.manage.CredentialViews.UpdateRequest;
import io.weft.credentials.types.CredentialType;
import io.weft.credentials.types.CredentialTypes;
import io.weft.platform.api.Paging;
import io.weft.platform.problems.ProblemException;
import io.weft.platform.security.Caller;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * Tenant-scoped credentials: editors write, viewers (and keys with {@code credentials:read}) read
 * metadata. Secret values go in and never come out of this API.
 */
@Path("/api/credentials")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
public class CredentialsResource {
    private static final int MAX_NAME = 200;

    private final CredentialStore store;
    private final CredentialTypes types;
    private final CredentialSealer sealer;
    private final AuditTrail audit;
    private final Caller caller;
    private final Clock clock;
    private final CredentialUses uses;

    CredentialsResource(CredentialStore store, CredentialTypes types, CredentialSealer sealer, AuditTrail audit, Caller caller,
                        Clock clock, CredentialUses uses) {
        this.uses = uses;
        this.store = store;
        this.types = types;
        this.sealer = sealer;
        this.audit = audit;
        this.caller = caller;
        this.clock = clock;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Create a credential; its data is validated against the type's schema and stored encrypted")
    public Uni<Response> create(CreateRequest body) {
        UUID tenant = caller.tenantFor(Role.EDITOR, Scope.CREDENTIALS_WRITE);
        if (body == null) {
            throw Paging.invalid("body", "must be a JSON object with name, type and data");
        }
        String name = name(body.name());
        CredentialType type = types.require(body.type());
        JsonNode data = object(body.data());
        types.validate(type, data);
        UUID id = UUID.randomUUID();
        Instant now = now();
        return sealer.seal(tenant, id, 1, data)
                .map(sealed -> new StoredCredential(tenant, id, name, type.type(), 1, sealed, type.publicPart(data),
                        List.copyOf(type.secretsSet(data)), "ok", caller.subject(), caller.subject(), now, now))
                .call(store::insert)
                .call(() -> audit.recordAfter(caller, tenant, "credential.create", id.toString(), AuditTrail.details("type", type.type())))
                .map(created -> Response.status(Response.Status.CREATED).entity(CredentialView.of(created))
                        .header(HttpHeaders.LOCATION, "/api/credentials/" + id).build());
    }

    @GET
    @Operation(summary = "List the tenant's credentials (metadata only), newest change first; ?type, ?limit, ?cursor")
    public Uni<Page> list(@QueryParam("type") String type, @QueryParam("limit") String limitParameter,
                          @QueryParam("cursor") String cursor) {
        UUID tenant = caller.tenantFor(Role.VIEWER, Scope.CREDENTIALS_READ);
        int limit = Paging.limit(limitParameter);
        if (type != null && types.find(type).isEmpty()) {
            throw Paging.invalid("type", "must be a credential type (see /api/credentials/types)");
        }
        Paging.Position after = Paging.decode(cursor);
        if (after != null) {
            CredentialIds.tryParse(after.id()).orElseThrow(() -> Paging.invalid("cursor",
                    "is not a cursor this API gave out; start again without it"));
        }
        return store.list(tenant, type, after == null ? null : after.at(), after == null ? null : after.id(), limit + 1)
                .map(rows -> {
                    Paging.Slice<StoredCredential> page = Paging.slice(rows, limit,
                            last -> new Paging.Position(last.updatedAt(), last.id().toString()));
                    return new Page(page.rows().stream().map(CredentialView::of).toList(), page.nextCursor());
                });
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "One credential's metadata: its public fields and which secret fields are set")
    public Uni<CredentialView> get(@PathParam("id") String id) {
        UUID tenant = caller.tenantFor(Role.VIEWER, Scope.CREDENTIALS_READ);
        return found(tenant, id).map(CredentialView::of);
    }

    @PUT
    @Path("/{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Rename a credential or change its data; secret fields left out keep their values")
    public Uni<CredentialView> update(@PathParam("id") String id, UpdateRequest body) {
        UUID tenant = caller.tenantFor(Role.EDITOR, Scope.CREDENTIALS_WRITE);
        if (body == null || (body.name() == null && body.data() == null)) {
            throw Paging.invalid("body", "must change the name, the data or both");
        }
        String name = body.name() == null ? null : name(body.name());
        JsonNode changes = body.data() == null ? null : object(body.data());
        return found(tenant, id).chain(stored -> {
            CredentialType type = types.require(stored.type());
            Uni<JsonNode> data = sealer.open(tenant, stored.id(), stored.revision(), stored.sealed())
                    .map(old -> changes == null ? old : merged(type, old, changes));
            return data.chain(next -> {
                JsonNode tokens = ((ObjectNode) next).remove(CredentialType.TOKENS);
                types.validate(type, next);
                if (tokens != null) {
                    ((ObjectNode) next).set(CredentialType.TOKENS, tokens); // the connection survives a change of its settings
                }
                int revision = stored.revision() + 1;
                return sealer.seal(tenant, stored.id(), revision, next).map(sealed -> new StoredCredential(tenant, stored.id(),
                        name == null ? stored.name() : name, type.type(), revision, sealed, type.publicPart(next),
                        List.copyOf(type.secretsSet(next)), "ok", stored.createdBy(), caller.subject(), stored.createdAt(), now()));
            }).chain(next -> store.update(next, stored.revision()).map(written -> {
                if (!written) {
                    throw new ProblemException(ProblemType.CONFLICT, "the credential was changed meanwhile; read it again and retry");
                }
                return next;
            }));
        }).call(next -> audit.recordAfter(caller, tenant, "credential.update", next.id().toString(),
                AuditTrail.details("revision", next.revision(), "renamed", name != null, "dataChanged", changes != null)))
                .map(CredentialView::of);
    }

    @DELETE
    @Path("/{id}")
    @Operation(summary = "Delete a credential; refused (409) while an active workflow version uses it")
    public Uni<Response> delete(@PathParam("id") String id) {
        UUID tenant = caller.tenantFor(Role.EDITOR, Scope.CREDENTIALS_WRITE);
        UUID credential = CredentialIds.parse(id);
        return found(tenant, id)
                .chain(() -> uses.activeWorkflowsUsing(tenant, credential))
                .chain(using -> {
                    if (!using.isEmpty()) {
                        throw new ProblemException(ProblemType.CONFLICT, "the credential is used by the active version of "
                                + String.join(", ", using) + "; change or deactivate those workflows first");
                    }
                    return store.delete(tenant, credential);
                })
                .chain(deleted -> {
                    if (!deleted) {
                        throw CredentialIds.notFound();
                    }
                    return audit.recordAfter(caller, tenant, "credential.delete", credential.toString(), AuditTrail.details());
                }).replaceWith(Response.noContent().build());
    }

    private Uni<StoredCredential> found(UUID tenant, String id) {
        UUID credential = CredentialIds.parse(id);
        return store.find(tenant, credential).map(found -> found.orElseThrow(CredentialIds::notFound));
    }

    /** The stored data with the changes over it; secret fields the changes leave out keep their values. */
    private static JsonNode merged(CredentialType type, JsonNode old, JsonNode changes) {
        ObjectNode next = changes.deepCopy();
        for (String secret : type.secretFields()) {
            if (!next.has(secret) && old.hasNonNull(secret)) {
                next.set(secret, old.get(secret));
            }
        }
        return next;
    }

    private static String name(String name) {
        if (name == null || name.isBlank()) {
            throw Paging.invalid("name", "must not be blank");
        }
        String stripped = name.strip();
        if (stripped.length() > MAX_NAME || stripped.chars().anyMatch(Character::isISOControl)) {
            throw Paging.invalid("name", "must be at most " + MAX_NAME + " characters, without control characters");
        }
        return stripped;
    }

    private static JsonNode object(JsonNode data) {
        if (data == null || !data.isObject()) {
            throw Paging.invalid("data", "must be a JSON object");
        }
        return data;
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }
}
