package io.weft.logs.insights;

import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import io.weft.contracts.identity.Role;
import io.weft.contracts.identity.Scope;
import io.weft.logs.api.Params;
import io.weft.platform.api.Paging;
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

/** Runs, outcomes, durations, top errors and slowest nodes, per tenant or per workflow, over a time range in buckets. */
@Path("/api/logs/insights")
@Produces(MediaType.APPLICATION_JSON)
@Authenticated
public class InsightsResource {
    private static final Duration HOUR = Duration.ofHours(1);
    private static final int MOST_BUCKETS = 1_000;

    private final InsightsStore store;
    private final Caller caller;
    private final Clock clock;

    InsightsResource(InsightsStore store, Caller caller, Clock clock) {
        this.store = store;
        this.caller = caller;
        this.clock = clock;
    }

    @GET
    @Operation(summary = "Insights over [from, to) in whole hours (from rounded down, to up; default: the last 7 days), in buckets"
            + " of whole hours (default P1D; PT1H to P31D, at most 1,000; aligned to UTC midnight): runs, success and failure rates,"
            + " p50/p95 duration (within about 9%), top errors, slowest nodes; workflowId narrows to one workflow")
    public Uni<InsightsStore.Insights> insights(@QueryParam("from") String from, @QueryParam("to") String to,
                                                @QueryParam("bucket") String bucket, @QueryParam("workflowId") String workflowId) {
        UUID tenant = caller.tenantFor(Role.VIEWER, Scope.LOGS_READ);
        Params.Range range = Params.range(from, to, clock.instant(), Duration.ofDays(7), ChronoUnit.HOURS);
        Duration size = Params.duration("bucket", bucket, Duration.ofDays(1));
        if (size.compareTo(HOUR) < 0 || size.compareTo(Duration.ofDays(31)) > 0 || size.toNanos() % HOUR.toNanos() != 0) {
            throw Paging.invalid("bucket", "must be whole hours from PT1H to P31D");
        }
        if (range.length().dividedBy(size) >= MOST_BUCKETS) {
            throw Paging.invalid("bucket", "makes more than " + MOST_BUCKETS + " buckets over this range; choose a larger one");
        }
        return store.insights(new InsightsStore.Query(tenant, range.from(), range.to(), size, Params.text("workflowId", workflowId)));
    }
}
