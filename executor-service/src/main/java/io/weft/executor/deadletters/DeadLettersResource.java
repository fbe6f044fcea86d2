package io.weft.executor.deadletters;

import io.weft.contracts.events.DeadLetter;
import io.weft.contracts.identity.Role;
import io.weft.contracts.identity.Scope;
import io.weft.contracts.problems.ProblemType;
import io.weft.platform.api.Paging;
import io.weft.platform.problems.ProblemException;
import io.weft.platform.security.Caller;
import io.quarkus.security.Authenticated;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jboss.logging.Logger;

/**
 * A tenant's dead letters: executions that kept crashing their executor or failed in a way the
 * executor could not handle. Admins and owners (or API keys with executions scopes) list and
 * inspect them, send them again (redrive: the execution resumes from its checkpoints) or discard
 * them. Letters without a tenant (unreadable messages) are not shown to any tenant.
 */
@Path("/api/executor/dead-letters")
@Produces(MediaType.APPLICATION_JSON)
@Authenticated
public class DeadLettersResource {
    private static final Logger LOG = Logger.getLogger(DeadLettersResource.class);
    private static final Set<String> STATUSES = Set.of("open", "redriven", "discarded");

    public record Page(List<DeadLetterView> items, String nextCursor) {
    }

    private final DeadLetterStore store;
    private final Redrive redrive;
    private final Caller caller;

    DeadLettersResource(DeadLetterStore store, Redrive redrive, Caller caller) {
        this.store = store;
        this.redrive = redrive;
        this.caller = caller;
    }

    @GET
    @Operation(summary = "The tenant's dead letters, newest first; filter by status (open, redriven, discarded) and reason")
    public Page list(@QueryParam("status") String status, @QueryParam("reason") String reason, @QueryParam("limit") String limit,
                     @QueryParam("cursor") String cursor) {
        String tenant = caller.tenantFor(Role.ADMIN, Scope.EXECUTIONS_READ).toString();
        int size = Paging.limit(limit);
        List<DeadLetterView> page = store.list(tenant, status(status), reason(reason), Paging.decode(cursor), size + 1);
        boolean more = page.size() > size;
        List<DeadLetterView> items = more ? page.subList(0, size) : page;
        DeadLetterView last = items.isEmpty() ? null : items.get(items.size() - 1);
        return new Page(items, more ? Paging.encode(last.createdAt(), last.id()) : null);
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "One dead letter with its original record (payload and headers)")
    public DeadLetterView get(@PathParam("id") String id) {
        String tenant = caller.tenantFor(Role.ADMIN, Scope.EXECUTIONS_READ).toString();
        return letter(tenant, id);
    }

    @POST
    @Path("/{id}/redrive")
    @Operation(summary = "Send the letter's record again to its topic; a dead-lettered execution resumes from its checkpoints")
    public DeadLetterView redrive(@PathParam("id") String id) {
        String tenant = caller.tenantFor(Role.ADMIN, Scope.EXECUTIONS_RUN).toString();
        DeadLetterView letter = letter(tenant, id);
        if (!redrive.canSendTo(letter.sourceTopic())) {
            throw new ProblemException(ProblemType.CONFLICT, "records of " + letter.sourceTopic() + " cannot be redriven");
        }
        if (!store.handle(tenant, id, "redriven", caller.subject())) {
            throw notOpen(tenant, id);
        }
        if (letter.executionId() != null) {
            store.reopenExecution(tenant, letter.executionId());
        }
        byte[] payload = letter.payload() != null ? letter.payload().getBytes(java.nio.charset.StandardCharsets.UTF_8)
                : Base64.getDecoder().decode(letter.payloadBase64());
        try {
            redrive.send(letter.sourceTopic(), letter.executionId(), payload, letter.headers() == null ? Map.of() : letter.headers());
        } catch (Exception e) {
            store.reopen(tenant, id);
            LOG.warnf("redrive of dead letter %s could not be sent: %s", id, e.getMessage());
            throw new ProblemException(ProblemType.DEPENDENCY_UNAVAILABLE, "the message broker did not take the record; try again");
        }
        return letter(tenant, id);
    }

    @DELETE
    @Path("/{id}")
    @Operation(summary = "Discard the letter: it stays on record as discarded and is not redriven")
    public Response discard(@PathParam("id") String id) {
        String tenant = caller.tenantFor(Role.ADMIN, Scope.EXECUTIONS_RUN).toString();
        letter(tenant, id);
        if (!store.handle(tenant, id, "discarded", caller.subject())) {
            throw notOpen(tenant, id);
        }
        return Response.noContent().build();
    }

    /** An id no letter can have (too long, or holding NUL, which PostgreSQL refuses) names none: 404. */
    private DeadLetterView letter(String tenant, String id) {
        if (id.length() > 64 || id.indexOf('\0') >= 0) {
            throw notFound();
        }
        return store.find(tenant, id).orElseThrow(DeadLettersResource::notFound);
    }

    private ProblemException notOpen(String tenant, String id) {
        return new ProblemException(ProblemType.CONFLICT, "the dead letter is " + letter(tenant, id).status() + " already");
    }

    private static ProblemException notFound() {
        return new ProblemException(ProblemType.NOT_FOUND, "there is no such dead letter");
    }

    private static String status(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        if (!STATUSES.contains(value)) {
            throw Paging.invalid("status", "must be one of open, redriven, discarded");
        }
        return value;
    }

    private static String reason(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        if (Arrays.stream(DeadLetter.Reason.values()).noneMatch(reason -> reason.name().equals(value))) {
            throw Paging.invalid("reason", "must be one of " + Arrays.toString(DeadLetter.Reason.values()));
        }
        return value;
    }
}
