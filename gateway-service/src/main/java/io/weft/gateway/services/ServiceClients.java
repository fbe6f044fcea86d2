package io.weft.gateway.services;

import io.weft.contracts.problems.ProblemType;
import io.weft.platform.problems.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;

/** Checks a service's name and secret, and what it may ask for, for the gateway's internal endpoints. */
@ApplicationScoped
public class ServiceClients {
    private final ServiceClientsConfig config;

    ServiceClients(ServiceClientsConfig config) {
        this.config = config;
    }

    /** The client, when the secret is its own; 401 otherwise (the same answer for an unknown service). */
    public ServiceClientsConfig.Client authenticate(String service, String secret) {
        ServiceClientsConfig.Client client = config.clients().get(service);
        if (client == null || !ConfiguredSecrets.matches(client.secretSha256(), secret)) {
            throw new ProblemException(ProblemType.UNAUTHORIZED, "unknown service or wrong secret");
        }
        return client;
    }

    /** 403 unless the client may ask for the scope. */
    public void requireScope(String service, ServiceClientsConfig.Client client, String scope) {
        if (!client.scopes().contains(scope)) {
            throw new ProblemException(ProblemType.FORBIDDEN, service + "-service may not ask for " + scope);
        }
    }
}
