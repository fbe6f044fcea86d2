package io.weft.platform.security;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.vertx.core.Vertx;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.net.URI;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

/**
 * How this service identifies itself to the gateway to get service tokens for calls to other
 * services (config fragment {@code weft/service-client.properties}). Only services that inject
 * {@link ServiceTokens} or {@link ServiceCalls} need the secret.
 */
@ConfigMapping(prefix = "weft.service-client")
public interface ServiceClient {

    /** The gateway that issues service tokens. */
    @WithDefault("http://127.0.0.1:8080")
    URI gateway();

    /** This service's client name at the gateway, e.g. {@code compiler}. */
    Optional<String> name();

    /** Its secret; the gateway holds only its SHA-256. */
    Optional<String> secret();

    /** Scopes to ask for; empty means everything the gateway allows this service. */
    Optional<List<String>> scopes();

    class Producer {

        @Produces
        @Singleton
        ServiceTokens serviceTokens(ServiceClient client, Vertx vertx, Clock clock) {
            String name = client.name().orElseThrow(() -> new IllegalStateException(
                    "weft.service-client.name is not set, so this service cannot call other services"));
            String secret = client.secret().filter(value -> !value.isBlank()).orElseThrow(() -> new IllegalStateException(
                    "weft.service-client.secret (WEFT_SERVICE_SECRET) is not set, so " + name + " cannot call other services"));
            List<String> scopes = client.scopes().orElse(List.of()).stream().filter(scope -> !scope.isBlank()).toList();
            return new ServiceTokens(vertx, client.gateway(), name, secret, scopes, clock);
        }

        void close(@Disposes ServiceTokens tokens) {
            tokens.close();
        }

        @Produces
        @Singleton
        ServiceCalls serviceCalls(ServiceTokens tokens, Vertx vertx) {
            return new ServiceCalls(tokens, vertx);
        }

        void close(@Disposes ServiceCalls calls) {
            calls.close();
        }
    }
}
