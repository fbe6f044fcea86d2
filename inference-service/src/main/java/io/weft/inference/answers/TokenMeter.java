package io.weft.inference.answers;

import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.weft.contracts.identity.Tier;
import io.weft.contracts.json.WeftJson;
import io.weft.contracts.problems.ProblemType;
import io.weft.platform.problems.ProblemException;
import io.weft.platform.security.ServiceCalls;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.time.Duration;
import java.time.LocalDate;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Charges answers' model calls to the tenant's monthly token budget, on the meter the executors keep
 * for runs' model calls ({@code /internal/llm-tokens}): the call's estimate is taken before the
 * provider is asked — a 429 {@code quota-exceeded} when it does not fit — and settled to the
 * provider's count after. The budget is the tier's ({@code weft.tiers.<tier>.llm-tokens-per-month},
 * shared with workflow-service); a tier without one is not metered. While the executors cannot
 * answer, no model is asked (503): a budget that cannot be checked is not spent.
 */
@ApplicationScoped
public class TokenMeter {
    private static final Logger LOG = Logger.getLogger(TokenMeter.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    /** Tokens taken from the meter of {@code month}; {@link #NONE} when the tier has no budget. */
    public record Reservation(LocalDate month, long reserved) {
        static final Reservation NONE = new Reservation(null, 0);
    }

    private final ServiceCalls calls;
    private final URI executor;
    private final Config config;

    TokenMeter(ServiceCalls calls, @ConfigProperty(name = "weft.inference.executor-url") URI executor, Config config) {
        this.calls = calls;
        this.executor = executor;
        this.config = config;
    }

    /** The tier's monthly budget; empty when it has none. */
    public OptionalLong budgetOf(Tier tier) {
        Optional<Long> budget = config.getOptionalValue("weft.tiers." + tier.wireName() + ".llm-tokens-per-month", Long.class);
        return budget.map(OptionalLong::of).orElse(OptionalLong.empty());
    }

    /** Blocks: call it off the event loop. */
    public Reservation reserve(UUID tenant, OptionalLong budget, long tokens) {
        if (budget.isEmpty()) {
            return Reservation.NONE;
        }
        Buffer body = Buffer.buffer(WeftJson.mapper().createObjectNode().put("tokens", Math.max(1, tokens)).put("budget", budget.getAsLong())
                .toString());
        ServiceCalls.Answer answer;
        try {
            answer = calls.call(HttpMethod.POST, executor, "/internal/llm-tokens/reservations", Optional.of(tenant), Map.of(), body, TIMEOUT)
                    .await().atMost(TIMEOUT.plusSeconds(1));
        } catch (RuntimeException e) {
            throw unavailable();
        }
        return switch (answer.status()) {
            case 201 -> reservation(answer);
            case 429 -> throw new ProblemException(ProblemType.QUOTA_EXCEEDED, answer.detail());
            default -> {
                LOG.warnf("the executors answered %d to a token reservation: %s", answer.status(), answer.detail());
                throw unavailable();
            }
        };
    }

    /**
     * Settles a reservation to what the call used (0 when it failed). Not awaited: the answer does not
     * wait on its bookkeeping, and a settlement that fails leaves the meter off by one estimate.
     */
    public void settle(UUID tenant, Reservation reservation, long used) {
        if (reservation.month() == null || used == reservation.reserved()) {
            return;
        }
        Buffer body = Buffer.buffer(WeftJson.mapper().createObjectNode().put("month", reservation.month().toString())
                .put("reserved", reservation.reserved()).put("used", used).toString());
        calls.call(HttpMethod.POST, executor, "/internal/llm-tokens/settlements", Optional.of(tenant), Map.of(), body, TIMEOUT)
                .subscribe().with(answer -> {
                    if (answer.status() != 204) {
                        LOG.warnf("the executors answered %d to a token settlement (%d tokens off): %s", answer.status(),
                                used - reservation.reserved(), answer.detail());
                    }
                }, failure -> LOG.warnf("a token settlement (%d tokens off) did not reach the executors: %s", used - reservation.reserved(),
                        failure.getMessage()));
    }

    private static Reservation reservation(ServiceCalls.Answer answer) {
        try {
            JsonNode taken = WeftJson.mapper().readTree(answer.body().getBytes());
            return new Reservation(LocalDate.parse(taken.path("month").asText()), taken.path("reserved").asLong());
        } catch (Exception e) {
            throw new ProblemException(ProblemType.BAD_GATEWAY, "the executors' token meter answered unreadably");
        }
    }

    private static ProblemException unavailable() {
        return new ProblemException(ProblemType.DEPENDENCY_UNAVAILABLE,
                "the organisation's language-model budget cannot be checked now (the executors do not answer); try again");
    }
}
