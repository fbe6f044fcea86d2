package io.weft.gateway.edge;

import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.CorsHandler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Set;

/**
 * Runs before everything else on the gateway's router: answers CORS for the configured origins
 * and sets the security headers on every answer, the forwarded ones included (they replace
 * whatever a service sent, so the policy is the gateway's alone). Weft uses no cookies.
 */
@ApplicationScoped
public class SecurityHeaders {
    /** First of all routes: before forwarding ({@code -300}) and the platform's body limit ({@code -250}). */
    static final int ORDER = -400;
    private static final String API_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'";
    /** Swagger UI needs its own scripts and styles. */
    private static final String DOCS_CSP = "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
            + "script-src 'self' 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'";

    private final EdgeConfig config;

    SecurityHeaders(EdgeConfig config) {
        this.config = config;
    }

    void register(@Observes Router router) {
        router.route().order(ORDER).handler(context -> {
            HttpServerResponse response = context.response();
            boolean docs = context.request().path().startsWith("/q/swagger-ui");
            context.addHeadersEndHandler(ignored -> apply(response, docs));
            context.next();
        });
        config.corsOrigins().filter(origins -> !origins.isEmpty()).ifPresent(origins -> router.route().order(ORDER + 1)
                .handler(CorsHandler.create()
                        .addOrigins(origins)
                        .allowedMethods(Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.POST, HttpMethod.PUT,
                                HttpMethod.PATCH, HttpMethod.DELETE, HttpMethod.OPTIONS))
                        .allowedHeaders(Set.of("Authorization", "Content-Type", "X-API-Key", "If-Match", "If-None-Match",
                                "Last-Event-ID", "Idempotency-Key", "traceparent", "tracestate"))
                        .exposedHeaders(Set.of("ETag", "Location", "Retry-After", "RateLimit", "RateLimit-Policy", "Idempotent-Replayed"))
                        .allowCredentials(false)
                        .maxAgeSeconds(600)));
    }

    private void apply(HttpServerResponse response, boolean docs) {
        var headers = response.headers();
        headers.set("X-Content-Type-Options", "nosniff");
        headers.set("Referrer-Policy", "no-referrer");
        headers.set("X-Frame-Options", "DENY");
        headers.set("Content-Security-Policy", docs ? DOCS_CSP : API_CSP);
        headers.set("Cross-Origin-Resource-Policy", "same-site");
        if (config.hstsMaxAgeSeconds() > 0) {
            headers.set("Strict-Transport-Security", "max-age=" + config.hstsMaxAgeSeconds() + "; includeSubDomains");
        }
    }
}
