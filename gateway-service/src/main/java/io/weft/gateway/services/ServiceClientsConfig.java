package io.weft.gateway.services;

import io.smallrye.config.ConfigMapping;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The fleet's services as OAuth 2.0-style clients of the gateway: each proves who it is with its
 * own secret (only the SHA-256 is configured here) and may ask for the listed scopes only.
 */
@ConfigMapping(prefix = "weft.gateway.service-clients")
public interface ServiceClientsConfig {

    /** By service name, e.g. {@code compiler}. */
    Map<String, Client> clients();

    interface Client {
        /** Hex SHA-256 of the service's secret; a client without one cannot get tokens. */
        Optional<String> secretSha256();

        /** Scopes the service may put in its tokens. */
        List<String> scopes();
    }
}
