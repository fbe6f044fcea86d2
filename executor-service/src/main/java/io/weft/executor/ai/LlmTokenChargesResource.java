package io.weft.executor.ai;

import io.quarkus.security.Authenticated;
import io.weft.contracts.problems.ProblemType;
import io.weft.platform.problems.ProblemException;
import io.weft.platform.security.Caller;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.LocalDate;
import java.time.ZoneOffset;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The tenants' monthly token meter for model calls made outside a run: inference-service's answers
 * from a knowledge base. They are charged to the same meter as the runs' model calls, in the same two
 * steps — the call's estimate taken before the provider is asked, settled to its count after — for
 * the tenant of the service token. Only inference-service's token with {@code llm-tokens:charge}
 * may charge; the gateway routes no {@code /internal/**}.
 */
@Path("/internal/llm-tokens")
@Tag(name = "internal")
@Authenticated
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class LlmTokenChargesResource {
    public static final String SCOPE = "llm-tokens:charge";
    /** Far above any one call (a million-token context and its answer), so that a wrong number is refused, not charged. */
    static final long MAX_TOKENS_A_CALL = 10_000_000;
    static final long MAX_BUDGET = 1_000_000_000_000L;

    private final TokenBudgets budgets;
    private final Caller caller;

    LlmTokenChargesResource(TokenBudgets budgets, Caller caller) {
        this.budgets = budgets;
        this.caller = caller;
    }

    /** A call's estimate, and the tenant's monthly budget (its tier's, as the caller knows it). */
    public record ReservationRequest(Long tokens, Long budget) {
    }

    /** Tokens taken from the meter of {@code month} (its first day, UTC); settle them there. */
    public record Reservation(LocalDate month, long reserved) {
    }

    /** What the call used (0 when it failed), against what its reservation took. */
    public record SettlementRequest(LocalDate month, Long reserved, Long used) {
    }

    @POST
    @Path("reservations")
    @Operation(summary = "Takes a model call's estimate from the tenant's meter this month: 201 {month, reserved}, or 429 quota-exceeded"
            + " when the budget does not hold it")
    public Response reserve(ReservationRequest body) {
        allowed();
        String tenant = caller.tenantId().toString();
        long tokens = bounded("tokens", body == null ? null : body.tokens(), 1, MAX_TOKENS_A_CALL);
        long budget = bounded("budget", body.budget(), 0, MAX_BUDGET);
        TokenBudgets.Taken taken = budgets.take(tenant, budget, tokens)
                .orElseThrow(() -> new ProblemException(ProblemType.QUOTA_EXCEEDED, budgets.refusal(tenant, budget, tokens)));
        return Response.status(Response.Status.CREATED).entity(new Reservation(taken.month(), taken.tokens())).build();
    }

    @POST
    @Path("settlements")
    @Operation(summary = "Settles a reservation to what the call used: the meter of its month moves by used - reserved")
    public Response settle(SettlementRequest body) {
        allowed();
        String tenant = caller.tenantId().toString();
        if (body == null || body.month() == null || body.month().getDayOfMonth() != 1
                || body.month().isAfter(LocalDate.now(ZoneOffset.UTC))) {
            throw new ProblemException(ProblemType.VALIDATION_FAILED, "month: must be the first day of a month that has begun,"
                    + " as the reservation answered it");
        }
        long reserved = bounded("reserved", body.reserved(), 1, MAX_TOKENS_A_CALL);
        long used = bounded("used", body.used(), 0, MAX_TOKENS_A_CALL);
        budgets.settle(tenant, body.month(), used - reserved);
        return Response.noContent().build();
    }

    private void allowed() {
        caller.requireService("inference", SCOPE, "only inference-service charges model calls made outside a run");
    }

    private static long bounded(String field, Long value, long min, long max) {
        if (value == null || value < min || value > max) {
            throw new ProblemException(ProblemType.VALIDATION_FAILED, field + ": must be a whole number from " + min + " to " + max);
        }
        return value;
    }
}
