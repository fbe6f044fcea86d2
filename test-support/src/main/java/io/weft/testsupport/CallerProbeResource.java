package io.weft.testsupport;

import io.quarkus.security.Authenticated;
import io.weft.contracts.identity.Role;
import io.weft.platform.security.Caller;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.LinkedHashMap;
import java.util.Map;

/** Test-only: shows what a service reads from the internal token of a request. */
@Path("/test-support/caller")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
public class CallerProbeResource {
    private final Caller caller;

    CallerProbeResource(Caller caller) {
        this.caller = caller;
    }

    @GET
    public Map<String, Object> whoAmI() {
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("tenantId", caller.tenantId().toString());
        answer.put("subject", caller.subject());
        answer.put("role", caller.role() == null ? null : caller.role().wireName());
        answer.put("scopes", caller.scopes());
        answer.put("tier", caller.tier().wireName());
        return answer;
    }

    @GET
    @Path("/write-workflows")
    public String writeWorkflows() {
        caller.require(Role.EDITOR, "workflows:write");
        return "allowed";
    }
}
