package io.weft.logs.redaction;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;

/**
 * A tenant's choice of what to mask before its logs are stored. Secret categories are always part of
 * the policy, whatever set it was built from: a tenant may keep personal data in its logs, never
 * credentials.
 */
public record RedactionPolicy(Set<RedactionCategory> enabled) {
    private static final RedactionPolicy ALL = new RedactionPolicy(EnumSet.allOf(RedactionCategory.class));
    private static final RedactionPolicy SECRETS_ONLY = new RedactionPolicy(Set.of());

    public RedactionPolicy {
        EnumSet<RedactionCategory> copy = EnumSet.noneOf(RedactionCategory.class);
        if (enabled != null) {
            copy.addAll(enabled);
        }
        for (RedactionCategory category : RedactionCategory.values()) {
            if (category.secret()) {
                copy.add(category);
            }
        }
        enabled = Collections.unmodifiableSet(copy);
    }

    /** The default: every category. */
    public static RedactionPolicy all() {
        return ALL;
    }

    /** The given categories plus every secret category. */
    public static RedactionPolicy of(Set<RedactionCategory> categories) {
        return new RedactionPolicy(categories);
    }

    /** Personal-data masking off: only the secret categories. */
    public static RedactionPolicy secretsOnly() {
        return SECRETS_ONLY;
    }

    public boolean masks(RedactionCategory category) {
        return enabled.contains(category);
    }
}
