package io.weft.workflow.webhooks;

import io.smallrye.mutiny.Uni;
import io.weft.contracts.problems.ProblemType;
import io.weft.platform.problems.ProblemException;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.regex.Pattern;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * Public webhook addresses {@code /webhook/<prefix>/<path>} (the gateway forwards them without
 * authentication). An unknown prefix, an inactive workflow and an unknown path all answer 404 alike,
 * so the addresses reveal nothing; a known path called with another method answers 405.
 */
@Path("/webhook/{prefix}/{path: .+}")
public class WebhookResource {
    private static final Pattern PREFIX = Pattern.compile("[0-9a-f]{32}");
    private static final Pattern PATH = Pattern.compile("[A-Za-z0-9][A-Za-z0-9/_-]{0,127}");

    private final WebhookDirectory directory;
    private final WebhookCalls calls;

    WebhookResource(WebhookDirectory directory, WebhookCalls calls) {
        this.directory = directory;
        this.calls = calls;
    }

    @GET
    @Operation(summary = "Call a workflow's webhook")
    public Uni<Response> get(@PathParam("prefix") String prefix, @PathParam("path") String path, @Context HttpHeaders headers,
                             @Context UriInfo uri) {
        return call("GET", prefix, path, headers, uri, null);
    }

    @POST
    @Operation(summary = "Call a workflow's webhook")
    public Uni<Response> post(@PathParam("prefix") String prefix, @PathParam("path") String path, @Context HttpHeaders headers,
                              @Context UriInfo uri, byte[] body) {
        return call("POST", prefix, path, headers, uri, body);
    }

    @PUT
    @Operation(summary = "Call a workflow's webhook")
    public Uni<Response> put(@PathParam("prefix") String prefix, @PathParam("path") String path, @Context HttpHeaders headers,
                             @Context UriInfo uri, byte[] body) {
        return call("PUT", prefix, path, headers, uri, body);
    }

    @PATCH
    @Operation(summary = "Call a workflow's webhook")
    public Uni<Response> patch(@PathParam("prefix") String prefix, @PathParam("path") String path, @Context HttpHeaders headers,
                               @Context UriInfo uri, byte[] body) {
        return call("PATCH", prefix, path, headers, uri, body);
    }

    @DELETE
    @Operation(summary = "Call a workflow's webhook")
    public Uni<Response> delete(@PathParam("prefix") String prefix, @PathParam("path") String path, @Context HttpHeaders headers,
                                @Context UriInfo uri, byte[] body) {
        return call("DELETE", prefix, path, headers, uri, body);
    }

    private Uni<Response> call(String method, String prefix, String path, HttpHeaders headers, UriInfo uri, byte[] body) {
        if (!PREFIX.matcher(prefix).matches() || !PATH.matcher(path).matches()) {
            throw notFound();
        }
        return directory.active(prefix).chain(hooks -> {
            List<Webhook> onPath = hooks.stream().filter(hook -> hook.path().equals(path)).toList();
            if (onPath.isEmpty()) {
                throw notFound();
            }
            Webhook hook = onPath.stream().filter(candidate -> candidate.method().equals(method)).findFirst()
                    .orElseThrow(() -> new ProblemException(ProblemType.METHOD_NOT_ALLOWED, "this webhook answers "
                            + String.join(", ", onPath.stream().map(Webhook::method).toList())));
            return calls.start(hook, new WebhookCalls.Call(method, path, headers.getRequestHeaders(), uri.getQueryParameters(), body));
        });
    }

    private static ProblemException notFound() {
        return new ProblemException(ProblemType.NOT_FOUND, "there is no webhook at this address");
    }
}
