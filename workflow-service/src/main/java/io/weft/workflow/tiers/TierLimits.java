package io.weft.workflow.tiers;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithParentName;
import io.weft.contracts.identity.Tier;
import java.time.Duration;
import java.util.Map;

/** What each tier allows a tenant in workflow-service: {@code weft.tiers.<tier>.*}. */
@ConfigMapping(prefix = "weft.tiers")
public interface TierLimits {

    @WithParentName
    Map<String, Limits> byTier();

    default Limits of(Tier tier) {
        Limits limits = byTier().get(tier.wireName());
        if (limits == null) {
            throw new IllegalStateException("no limits are configured for tier " + tier.wireName() + " (weft.tiers." + tier.wireName() + ".*)");
        }
        return limits;
    }

    interface Limits {
        /** Executions queued or running at once, across the tenant's workflows; more wait as pending. */
        int concurrentExecutions();

        /** Runs waiting as pending at once; beyond that, runs are refused (429). */
        int heldRuns();

        /** Largest body of a webhook call. */
        long webhookBodyBytes();

        Retention retention();

        /**
         * Language-model tokens (input and output) the tenant's runs may use in a calendar month (UTC),
         * charged by the executors; absent: no budget.
         */
        java.util.OptionalLong llmTokensPerMonth();
    }

    /** How long finished executions are kept, and how many at most (the newest). */
    interface Retention {
        Duration maxAge();

        long maxExecutions();
    }
}
