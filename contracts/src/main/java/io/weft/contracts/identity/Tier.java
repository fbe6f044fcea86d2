package io.weft.contracts.identity;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** A tenant's plan; it sets request rate, concurrent executions, payload size and retention. */
public enum Tier {
    FREE,
    PRO,
    ENTERPRISE;

    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static Tier fromWireName(String name) {
        for (Tier tier : values()) {
            if (tier.wireName().equals(name)) {
                return tier;
            }
        }
        throw new IllegalArgumentException("unknown tier '" + name + "'; one of free, pro, enterprise");
    }
}
