package io.weft.gateway.operators;

import io.vertx.core.http.HttpServerRequest;
import io.weft.contracts.problems.ProblemType;
import io.weft.gateway.services.ConfiguredSecrets;
import io.weft.platform.problems.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;

/**
 * Who is calling the operator API: the operator whose key is the request's bearer token. A tenant's
 * token or API key is never an operator's: whatever else is presented answers 401.
 */
@ApplicationScoped
public class OperatorKeys {
    private static final String BEARER = "Bearer ";

    private final OperatorsConfig config;

    OperatorKeys(OperatorsConfig config) {
        this.config = config;
    }

    /** The operator's name, or a 401 problem. Every configured key is compared, in constant time. */
    public String operator(HttpServerRequest request) {
        String authorization = request.getHeader("Authorization");
        if (authorization == null || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            throw refused();
        }
        String presented = authorization.substring(BEARER.length()).strip();
        String found = null;
        for (Map.Entry<String, OperatorsConfig.Operator> operator : config.accounts().entrySet()) {
            if (ConfiguredSecrets.matches(operator.getValue().keySha256(), presented)) {
                found = operator.getKey();
            }
        }
        if (found == null) {
            throw refused();
        }
        return found;
    }

    private static ProblemException refused() {
        return new ProblemException(ProblemType.UNAUTHORIZED, "an operator key is required");
    }
}
