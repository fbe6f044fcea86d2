package io.weft.executor.ai;

import io.quarkus.security.Authenticated;
import io.weft.contracts.identity.Role;
import io.weft.contracts.identity.Scope;
import io.weft.platform.security.Caller;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** The tenant's language-model token meter this month, against its tier's budget. */
@Path("/api/executor/llm-tokens")
@Produces(MediaType.APPLICATION_JSON)
@Authenticated
public class LlmTokensResource {
    private final TokenBudgets budgets;
    private final Caller caller;

    LlmTokensResource(TokenBudgets budgets, Caller caller) {
        this.budgets = budgets;
        this.caller = caller;
    }

    @GET
    @Operation(summary = "Tokens the tenant's model calls used this month (UTC), the budget the last call was held to (null before"
            + " the first), and when the meter renews")
    public TokenBudgets.Meter thisMonth() {
        return budgets.thisMonth(caller.tenantFor(Role.VIEWER, Scope.EXECUTIONS_READ).toString());
    }
}
