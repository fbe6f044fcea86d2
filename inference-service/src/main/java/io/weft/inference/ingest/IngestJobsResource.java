package io.weft.inference.ingest;

import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import io.weft.contracts.identity.Role;
import io.weft.contracts.identity.Scope;
import io.weft.inference.documents.DocumentViews.JobView;
import io.weft.inference.knowledge.KnowledgeBaseIds;
import io.weft.platform.api.Paging;
import io.weft.platform.problems.ProblemException;
import io.weft.platform.security.Caller;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;
import java.time.Duration;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** An upload's ingest job: its status and progress, once or as server-sent events until it ends. */
@Path("/api/inference/knowledge-bases/{knowledgeBase}/jobs/{id}")
@Authenticated
public class IngestJobsResource {
    private static final Duration STORE_TIMEOUT = Duration.ofSeconds(10);

    private final IngestJobStore jobs;
    private final Caller caller;
    private final Vertx vertx;

    IngestJobsResource(IngestJobStore jobs, Caller caller, Vertx vertx) {
        this.jobs = jobs;
        this.caller = caller;
        this.vertx = vertx;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "An ingest job: queued, running (with progress), succeeded, failed (with why) or superseded")
    public Uni<JobView> get(@PathParam("knowledgeBase") String knowledgeBase, @PathParam("id") String id) {
        UUID tenant = caller.tenantFor(Role.VIEWER, Scope.DOCUMENTS_READ);
        return jobs.find(tenant, KnowledgeBaseIds.parse(knowledgeBase), jobId(id)).map(found -> JobView.of(found.orElseThrow(IngestJobsResource::notFound)));
    }

    @GET
    @Path("/events")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @Operation(summary = "The job as server-sent events: a 'job' event whenever its status or progress changes, until it has ended")
    public void events(@PathParam("knowledgeBase") String knowledgeBase, @PathParam("id") String id, @Context SseEventSink sink,
                       @Context Sse sse) {
        UUID tenant = caller.tenantFor(Role.VIEWER, Scope.DOCUMENTS_READ);
        UUID base = KnowledgeBaseIds.parse(knowledgeBase);
        UUID job = jobId(id);
        IngestJob first = jobs.find(tenant, base, job).await().atMost(STORE_TIMEOUT).orElseThrow(IngestJobsResource::notFound);
        new JobStream(tenant, base, job, sink, sse, jobs, vertx).start(first);
    }

    private static UUID jobId(String id) {
        return Paging.uuid(id).orElseThrow(IngestJobsResource::notFound);
    }

    static ProblemException notFound() {
        return ProblemException.notFound("ingest job");
    }
}
