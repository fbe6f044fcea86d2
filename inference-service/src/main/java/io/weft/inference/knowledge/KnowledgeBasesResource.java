package io.weft.inference.knowledge;

import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import io.weft.contracts.identity.Role;
import io.weft.contracts.identity.Scope;
import io.weft.contracts.problems.ProblemType;
import io.weft.inference.knowledge.KnowledgeBaseViews.CreateRequest;
import io.weft.inference.knowledge.KnowledgeBaseViews.KnowledgeBaseView;
import io.weft.inference.knowledge.KnowledgeBaseViews.Page;
import io.weft.inference.knowledge.KnowledgeBaseViews.UpdateRequest;
import io.weft.platform.api.Paging;
import io.weft.platform.problems.ProblemException;
import io.weft.platform.security.Caller;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
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
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * The tenant's knowledge bases: editors (and keys with {@code documents:write}) create, change and
 * delete them, viewers (and keys with {@code documents:read}) read them. Another tenant's knowledge
 * base answers 404, as an unknown one does.
 */
@Path("/api/inference/knowledge-bases")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
public class KnowledgeBasesResource {
    static final int MAX_NAME = 200;
    static final int MAX_DESCRIPTION = 2_000;

    private final KnowledgeBaseStore store;
    private final Caller caller;
    private final Clock clock;

    KnowledgeBasesResource(KnowledgeBaseStore store, Caller caller, Clock clock) {
        this.store = store;
        this.caller = caller;
        this.clock = clock;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Create a knowledge base: a name, and optionally its embedding model (fixed from then on; the in-process"
            + " all-minilm-l6-v2 by default), how documents are split and how it is searched")
    public Uni<Response> create(CreateRequest body) {
        UUID tenant = caller.tenantFor(Role.EDITOR, Scope.DOCUMENTS_WRITE);
        if (body == null) {
            throw Paging.invalid("body", "must be a JSON object with at least a name");
        }
        Instant now = now();
        KnowledgeBase base = new KnowledgeBase(tenant, UUID.randomUUID(), name(body.name()), description(body.description()),
                EmbeddingModels.resolve(body.embedding()),
                KnowledgeBaseSettings.chunking(body.chunking(), KnowledgeBaseSettings.DEFAULT_CHUNKING),
                KnowledgeBaseSettings.retrieval(body.retrieval(), KnowledgeBaseSettings.DEFAULT_RETRIEVAL),
                1, caller.subject(), caller.subject(), now, now);
        return store.ensureVectorIndex(base.embedding().dimension()).chain(() -> store.insert(base)).map(inserted -> Response.status(Response.Status.CREATED).entity(KnowledgeBaseView.of(base))
                .header(HttpHeaders.LOCATION, "/api/inference/knowledge-bases/" + base.id()).build());
    }

    @GET
    @Operation(summary = "List the tenant's knowledge bases, newest change first; ?limit, ?cursor")
    public Uni<Page> list(@QueryParam("limit") String limitParameter, @QueryParam("cursor") String cursor) {
        UUID tenant = caller.tenantFor(Role.VIEWER, Scope.DOCUMENTS_READ);
        int limit = Paging.limit(limitParameter);
        Paging.Position after = Paging.decode(cursor);
        UUID afterId = after == null ? null : KnowledgeBaseIds.tryParse(after.id()).orElseThrow(() -> Paging.invalid("cursor",
                "is not a cursor this API gave out; start again without it"));
        return store.list(tenant, after == null ? null : after.at(), afterId, limit + 1).map(rows -> {
            Paging.Slice<KnowledgeBase> page = Paging.slice(rows, limit, last -> new Paging.Position(last.updatedAt(), last.id().toString()));
            return new Page(page.rows().stream().map(KnowledgeBaseView::of).toList(), page.nextCursor());
        });
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "One knowledge base")
    public Uni<KnowledgeBaseView> get(@PathParam("id") String id) {
        UUID tenant = caller.tenantFor(Role.VIEWER, Scope.DOCUMENTS_READ);
        return found(tenant, id).map(KnowledgeBaseView::of);
    }

    @PATCH
    @Path("/{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Change a knowledge base's name, description, chunking (for documents ingested from then on) or retrieval"
            + " defaults; its embedding model cannot change (409)")
    public Uni<KnowledgeBaseView> update(@PathParam("id") String id, UpdateRequest body) {
        UUID tenant = caller.tenantFor(Role.EDITOR, Scope.DOCUMENTS_WRITE);
        if (body == null || (body.name() == null && body.description() == null && body.embedding() == null && body.chunking() == null
                && body.retrieval() == null)) {
            throw Paging.invalid("body", "must change the name, the description, chunking or retrieval");
        }
        String name = body.name() == null ? null : name(body.name());
        String description = body.description() == null ? null : description(body.description());
        return found(tenant, id).chain(stored -> {
            if (body.embedding() != null) {
                throw new ProblemException(ProblemType.CONFLICT, "a knowledge base's embedding model is fixed when it is created: its chunks'"
                        + " vectors are comparable only with that model's; create another knowledge base for another model");
            }
            KnowledgeBase next = new KnowledgeBase(tenant, stored.id(), name == null ? stored.name() : name,
                    body.description() == null ? stored.description() : description, stored.embedding(),
                    KnowledgeBaseSettings.chunking(body.chunking(), stored.chunking()),
                    KnowledgeBaseSettings.retrieval(body.retrieval(), stored.retrieval()), stored.revision() + 1,
                    stored.createdBy(), caller.subject(), stored.createdAt(), now());
            return store.update(next, stored.revision()).map(written -> {
                if (!written) {
                    throw new ProblemException(ProblemType.CONFLICT, "the knowledge base was changed meanwhile; read it again and retry");
                }
                return KnowledgeBaseView.of(next);
            });
        });
    }

    @DELETE
    @Path("/{id}")
    @Operation(summary = "Delete a knowledge base, with its documents and chunks")
    public Uni<Response> delete(@PathParam("id") String id) {
        UUID tenant = caller.tenantFor(Role.EDITOR, Scope.DOCUMENTS_WRITE);
        return store.delete(tenant, KnowledgeBaseIds.parse(id)).map(deleted -> {
            if (!deleted) {
                throw KnowledgeBaseIds.notFound();
            }
            return Response.noContent().build();
        });
    }

    private Uni<KnowledgeBase> found(UUID tenant, String id) {
        return store.find(tenant, KnowledgeBaseIds.parse(id)).map(found -> found.orElseThrow(KnowledgeBaseIds::notFound));
    }

    private static String name(String name) {
        if (name == null || name.isBlank()) {
            throw Paging.invalid("name", "must not be blank");
        }
        return Paging.bounded("name", name.strip(), MAX_NAME);
    }

    /** An empty description is none. */
    private static String description(String description) {
        String bounded = description == null ? null : Paging.bounded("description", description.strip(), MAX_DESCRIPTION);
        return bounded == null || bounded.isEmpty() ? null : bounded;
    }

    /** Microseconds, as PostgreSQL keeps them: a cursor made of a row's time finds that row again. */
    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }
}
