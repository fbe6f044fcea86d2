package io.weft.gateway.operators;

import io.smallrye.config.ConfigMapping;
import java.util.Map;
import java.util.Optional;

/**
 * The people who run the fleet: each has a key of their own (only its SHA-256 is configured, as for
 * services) for the operator API, {@code /api/operator/**}. They belong to no tenant.
 */
@ConfigMapping(prefix = "weft.gateway.operators")
public interface OperatorsConfig {

    /** By operator name, e.g. {@code ops}; the name is the actor in the audit trail. */
    Map<String, Operator> accounts();

    interface Operator {
        /** Hex SHA-256 of the operator's key; an operator without one cannot sign in. */
        Optional<String> keySha256();
    }
}
