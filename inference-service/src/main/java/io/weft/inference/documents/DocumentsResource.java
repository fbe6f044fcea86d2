package io.weft.inference.documents;

import io.quarkus.security.Authenticated;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Uni;
import io.weft.contracts.identity.Role;
import io.weft.contracts.identity.Scope;
import io.weft.contracts.problems.ProblemType;
import io.weft.inference.documents.DocumentViews.DocumentPage;
import io.weft.inference.documents.DocumentViews.DocumentView;
import io.weft.inference.documents.DocumentViews.JobView;
import io.weft.inference.extraction.DocumentTypes;
import io.weft.inference.ingest.IngestJob;
import io.weft.inference.ingest.IngestJobStore;
import io.weft.inference.ingest.IngestRequests;
import io.weft.inference.ingest.IngestSettings;
import io.weft.inference.knowledge.KnowledgeBaseIds;
import io.weft.inference.knowledge.KnowledgeBaseStore;
import io.weft.inference.tenants.TenantTiers;
import io.weft.platform.api.Paging;
import io.weft.platform.problems.ProblemException;
import io.weft.platform.security.Caller;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Instant;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.multipart.FileUpload;

/**
 * A knowledge base's documents: an upload is checked (type, size for the tenant's tier, name,
 * metadata) and answered at once with 202 and its ingest job, which any replica runs; reading and
 * deleting documents is immediate. Another tenant's knowledge base answers 404.
 */
@Path("/api/inference/knowledge-bases/{knowledgeBase}/documents")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
public class DocumentsResource {
    private static final Logger LOG = Logger.getLogger(DocumentsResource.class);
    private static final Duration PUBLISH_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration TIER_LOOKUP_LIMIT = Duration.ofSeconds(10);

    private final KnowledgeBaseStore bases;
    private final DocumentStore documents;
    private final IngestJobStore jobs;
    private final IngestRequests requests;
    private final IngestSettings settings;
    private final DocumentLimits limits;
    private final TenantTiers tiers;
    private final Caller caller;
    private final Clock clock;

    DocumentsResource(KnowledgeBaseStore bases, DocumentStore documents, IngestJobStore jobs, IngestRequests requests, IngestSettings settings,
                      DocumentLimits limits, TenantTiers tiers, Caller caller, Clock clock) {
        this.bases = bases;
        this.documents = documents;
        this.jobs = jobs;
        this.requests = requests;
        this.settings = settings;
        this.limits = limits;
        this.tiers = tiers;
        this.caller = caller;
        this.clock = clock;
    }

    @POST
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    @Blocking
    @Operation(summary = "Upload a document (multipart: file — text, Markdown, HTML or PDF; optional name, else the file's; optional"
            + " metadata, a JSON object of strings, numbers and booleans). Answers 202 with the ingest job at once; uploading a name"
            + " again replaces that document when its job ends")
    public Uni<Response> upload(@PathParam("knowledgeBase") String knowledgeBase, @RestForm("file") List<FileUpload> files,
                                @RestForm("name") String name, @RestForm("metadata") String metadata) {
        UUID tenant = caller.tenantFor(Role.EDITOR, Scope.DOCUMENTS_WRITE);
        UUID base = KnowledgeBaseIds.parse(knowledgeBase);
        if (files == null || files.size() != 1) {
            throw Paging.invalid("file", files == null || files.isEmpty() ? "must be sent: a multipart part named file with the document"
                    : "must be one file; upload documents one at a time");
        }
        FileUpload file = files.get(0);
        String contentType = DocumentTypes.of(file.contentType(), file.fileName()).orElseThrow(() -> new ProblemException(
                ProblemType.UNSUPPORTED_MEDIA_TYPE, "'" + file.contentType() + "' is not a type Weft reads; send text/plain, text/markdown,"
                + " text/html or application/pdf"));
        // A worker thread (@Blocking) may wait; the lookup answers within seconds, the free tier when the gateway cannot tell.
        long maxBytes = limits.maxBytes(tiers.of(caller, tenant).await().atMost(TIER_LOOKUP_LIMIT));
        if (file.size() > maxBytes) {
            throw new ProblemException(ProblemType.PAYLOAD_TOO_LARGE, "the document is " + file.size() + " bytes; your plan takes documents"
                    + " of up to " + maxBytes + " bytes");
        }
        if (file.size() == 0) {
            throw Paging.invalid("file", "is empty");
        }
        String documentName = UploadChecks.name(name, file.fileName());
        Map<String, Object> documentMetadata = UploadChecks.metadata(metadata);
        byte[] content = read(file);
        UploadChecks.content(contentType, content);
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        IngestJob job = new IngestJob(tenant, UUID.randomUUID(), base, documentName, contentType, content.length, documentMetadata,
                IngestJob.QUEUED, 0, null, 0, 0, null, null, null, caller.subject(), now, now, null);
        return bases.find(tenant, base)
                .map(found -> found.orElseThrow(KnowledgeBaseIds::notFound))
                .chain(() -> jobs.create(job, content, settings.publishAgainAfter()))
                .chain(() -> requests.publish(tenant, job.id()).ifNoItem().after(PUBLISH_TIMEOUT).fail()
                        .onFailure().recoverWithItem(failure -> {
                            LOG.warnf("ingest job %s is queued but its request was not published (%s); the sweep publishes it again",
                                    job.id(), failure.getMessage());
                            return null;
                        }))
                .map(published -> Response.accepted(JobView.of(job))
                        .header(HttpHeaders.LOCATION, "/api/inference/knowledge-bases/" + base + "/jobs/" + job.id()).build());
    }

    @GET
    @Operation(summary = "The knowledge base's documents, newest change first; ?limit, ?cursor")
    public Uni<DocumentPage> list(@PathParam("knowledgeBase") String knowledgeBase, @QueryParam("limit") String limitParameter,
                                  @QueryParam("cursor") String cursor) {
        UUID tenant = caller.tenantFor(Role.VIEWER, Scope.DOCUMENTS_READ);
        UUID base = KnowledgeBaseIds.parse(knowledgeBase);
        int limit = Paging.limit(limitParameter);
        Paging.Position after = Paging.decode(cursor);
        UUID afterId = after == null ? null : Paging.uuid(after.id()).orElseThrow(() -> Paging.invalid("cursor",
                "is not a cursor this API gave out; start again without it"));
        return bases.find(tenant, base).map(found -> found.orElseThrow(KnowledgeBaseIds::notFound))
                .chain(() -> documents.list(tenant, base, after == null ? null : after.at(), afterId, limit + 1))
                .map(rows -> {
                    Paging.Slice<Document> page = Paging.slice(rows, limit, last -> new Paging.Position(last.updatedAt(), last.id().toString()));
                    return new DocumentPage(page.rows().stream().map(DocumentView::of).toList(), page.nextCursor());
                });
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "One document")
    public Uni<DocumentView> get(@PathParam("knowledgeBase") String knowledgeBase, @PathParam("id") String id) {
        UUID tenant = caller.tenantFor(Role.VIEWER, Scope.DOCUMENTS_READ);
        return documents.find(tenant, KnowledgeBaseIds.parse(knowledgeBase), documentId(id))
                .map(found -> DocumentView.of(found.orElseThrow(DocumentsResource::notFound)));
    }

    @DELETE
    @Path("/{id}")
    @Operation(summary = "Delete a document with its chunks; uploads of its name not yet ingested are dropped (their jobs end superseded)")
    public Uni<Response> delete(@PathParam("knowledgeBase") String knowledgeBase, @PathParam("id") String id) {
        UUID tenant = caller.tenantFor(Role.EDITOR, Scope.DOCUMENTS_WRITE);
        return documents.delete(tenant, KnowledgeBaseIds.parse(knowledgeBase), documentId(id)).map(deleted -> {
            if (!deleted) {
                throw notFound();
            }
            return Response.noContent().build();
        });
    }

    private static UUID documentId(String id) {
        return Paging.uuid(id).orElseThrow(DocumentsResource::notFound);
    }

    private static ProblemException notFound() {
        return ProblemException.notFound("document");
    }

    private static byte[] read(FileUpload file) {
        try {
            return Files.readAllBytes(file.uploadedFile());
        } catch (IOException e) {
            throw new UncheckedIOException("the upload cannot be read back from its temporary file", e);
        }
    }
}
