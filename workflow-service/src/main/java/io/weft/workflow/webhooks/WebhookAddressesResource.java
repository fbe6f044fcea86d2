package io.weft.workflow.webhooks;

import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import io.weft.contracts.identity.Role;
import io.weft.contracts.identity.Scope;
import io.weft.platform.security.Caller;
import io.weft.workflow.workflows.WorkflowIds;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** Where a workflow's webhooks can be called: the Webhook Triggers of its active version. */
@Path("/api/orchestrator/workflows/{id}/webhooks")
@Produces(MediaType.APPLICATION_JSON)
@Authenticated
public class WebhookAddressesResource {

    /** @param url relative to the gateway's address */
    public record Address(String nodeId, String method, String url, String respond, String authentication, long responseTimeoutMs) {
    }

    public record Addresses(List<Address> webhooks) {
    }

    private final WebhookDirectory directory;
    private final Caller caller;

    WebhookAddressesResource(WebhookDirectory directory, Caller caller) {
        this.directory = directory;
        this.caller = caller;
    }

    @GET
    @Operation(summary = "The workflow's webhook addresses (empty while it is not active)")
    public Uni<Addresses> list(@PathParam("id") String id) {
        UUID tenant = caller.tenantFor(Role.VIEWER, Scope.WORKFLOWS_READ);
        return directory.ofWorkflow(tenant, WorkflowIds.parse(id)).map(found -> {
            var workflow = found.orElseThrow(WorkflowIds::notFound);
            return new Addresses(workflow.getValue().stream().map(hook -> new Address(hook.nodeId(), hook.method(),
                    "/webhook/" + workflow.getKey() + "/" + hook.path(), hook.respond(), hook.authentication(),
                    hook.responseTimeoutMs())).toList());
        });
    }
}
