package io.weft.credentials.providers;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.weft.platform.net.OutboundAddresses;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The one door through which this service calls third parties on a tenant's behalf (OAuth2 token
 * endpoints, credential tests). Their addresses are the tenant's to set, so internal networks are
 * refused unless allowed; answers are read whole (they are small) and never logged.
 */
@ApplicationScoped
public class ProviderCalls {

    /** {@code weft.credentials.outbound.*}. */
    @ConfigMapping(prefix = "weft.credentials.outbound")
    public interface Config {
        /** Internal networks providers may be on (CIDRs); none by default. */
        Optional<List<String>> allowedNetworks();

        /** How long a provider may take to answer. */
        @WithDefault("10s")
        Duration timeout();
    }

    /** A provider's answer. */
    public record Answer(int status, String body) {
    }

    /** The provider could not be called: refused by the address policy, or unreachable. */
    public static final class Unreachable extends RuntimeException {
        private final boolean refused;

        Unreachable(String message, boolean refused) {
            super(message);
            this.refused = refused;
        }

        /** True when the address is not allowed (asking again will not help). */
        public boolean refused() {
            return refused;
        }
    }

    private final HttpClient client;
    private final OutboundAddresses addresses;
    private final Config config;

    ProviderCalls(Config config, Vertx vertx) {
        this.config = config;
        this.addresses = new OutboundAddresses(config.allowedNetworks().orElse(List.of()));
        this.client = vertx.createHttpClient(new HttpClientOptions().setConnectTimeout(5000));
    }

    public Uni<Answer> send(HttpMethod method, URI uri, Map<String, String> headers, String body) {
        if (!"https".equalsIgnoreCase(uri.getScheme()) && !"http".equalsIgnoreCase(uri.getScheme()) || uri.getHost() == null) {
            return Uni.createFrom().failure(new Unreachable("not an http(s) URL", true));
        }
        try {
            addresses.check(uri.getHost(), "weft.credentials.outbound.allowed-networks");
        } catch (OutboundAddresses.Refused e) {
            return Uni.createFrom().failure(new Unreachable(e.getMessage(), !e.unresolvable()));
        }
        boolean https = "https".equalsIgnoreCase(uri.getScheme());
        RequestOptions request = new RequestOptions().setMethod(method).setHost(uri.getHost())
                .setPort(uri.getPort() != -1 ? uri.getPort() : https ? 443 : 80).setSsl(https)
                .setURI((uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath())
                        + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery()))
                .setIdleTimeout(config.timeout().toMillis())
                .putHeader("Accept", "application/json");
        headers.forEach(request::putHeader);
        return Uni.createFrom().completionStage(() -> client.request(request)
                        // The body is read inside send's own continuation (see platform's ServiceCalls).
                        .compose(sent -> (body == null ? sent.send() : sent.send(body))
                                .compose(response -> response.body().map(answer -> new Answer(response.statusCode(), answer.toString()))))
                        .toCompletionStage())
                .ifNoItem().after(config.timeout()).fail()
                .onFailure(failure -> !(failure instanceof Unreachable))
                .transform(failure -> new Unreachable(uri.getHost() + " cannot be reached", false));
    }
}
