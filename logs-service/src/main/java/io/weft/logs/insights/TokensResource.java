package io.weft.logs.insights;

import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import io.weft.contracts.identity.Role;
import io.weft.contracts.identity.Scope;
import io.weft.logs.api.Params;
import io.weft.platform.security.Caller;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.Clock;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** The tokens AI nodes' model calls used, per UTC day, per provider and model, and per workflow. */
@Path("/api/logs/insights/tokens")
@Produces(MediaType.APPLICATION_JSON)
@Authenticated
public class TokensResource {
    private final TokenStats stats;
    private final Caller caller;
    private final Clock clock;

    TokensResource(TokenStats stats, Caller caller, Clock clock) {
        this.stats = stats;
        this.caller = caller;
        this.clock = clock;
    }

    @GET
    @Operation(summary = "Tokens of the model calls over [from, to) in whole UTC days (from rounded down, to up; default: the last"
            + " 30 days): in total, by day, by provider and model, and by workflow; workflowId narrows to one workflow")
    public Uni<TokenStats.Tokens> tokens(@QueryParam("from") String from, @QueryParam("to") String to,
                                         @QueryParam("workflowId") String workflowId) {
        UUID tenant = caller.tenantFor(Role.VIEWER, Scope.LOGS_READ);
        Params.Range range = Params.range(from, to, clock.instant(), Duration.ofDays(30), ChronoUnit.DAYS);
        return stats.tokens(tenant, range, Params.text("workflowId", workflowId));
    }
}
