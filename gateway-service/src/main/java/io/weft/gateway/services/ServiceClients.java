package io.weft.gateway.services;

import io.weft.contracts.problems.ProblemType;
import io.weft.platform.problems.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

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
        byte[] expected = client == null ? null : expectedHash(client);
        boolean secretMatches = MessageDigest.isEqual(expected == null ? new byte[32] : expected, sha256(secret));
        if (expected == null || !secretMatches) {
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

    private static byte[] expectedHash(ServiceClientsConfig.Client client) {
        try {
            return client.secretSha256().filter(hash -> hash.length() == 64).map(HexFormat.of()::parseHex).orElse(null);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static byte[] sha256(String secret) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
