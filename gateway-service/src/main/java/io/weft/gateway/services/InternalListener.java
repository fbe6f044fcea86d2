package io.weft.gateway.services;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.weft.contracts.json.WeftJson;
import io.weft.contracts.problems.ProblemType;
import io.weft.platform.problems.Problem;
import io.weft.platform.problems.ProblemException;
import io.weft.platform.problems.ProblemRoutes;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * The gateway's internal listener ({@code weft.internal-listener.port}, 8090 by default): the
 * endpoints services call — {@code POST /internal/service-tokens} ({@link ServiceTokenIssuer}) and
 * {@code POST /internal/tenant-tiers} ({@link TenantTiersLookup}) — and nothing else. They are not
 * on the public listener at all, so an ingress that forwards everything public cannot expose them,
 * and they are not in the public OpenAPI document. A listener of its own rather than Quarkus'
 * management interface, which would take the health and metrics endpoints off the public port too.
 */
@ApplicationScoped
public class InternalListener {
    private static final Logger LOG = Logger.getLogger(InternalListener.class);
    private static final int MAX_BODY_BYTES = 64 * 1024;
    /** As the public REST layer reads bodies: a key twice is refused. */
    private static final com.fasterxml.jackson.databind.ObjectReader STRICT = WeftJson.mapper().reader()
            .with(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION);

    private final Vertx vertx;
    private final ServiceTokenIssuer tokens;
    private final TenantTiersLookup tiers;
    private final Validator validator;
    private final int port;
    private final String host;
    private HttpServer server;

    InternalListener(Vertx vertx, ServiceTokenIssuer tokens, TenantTiersLookup tiers, Validator validator,
                     @ConfigProperty(name = "weft.internal-listener.port", defaultValue = "8090") int port,
                     @ConfigProperty(name = "weft.internal-listener.host", defaultValue = "0.0.0.0") String host) {
        this.vertx = vertx;
        this.tokens = tokens;
        this.tiers = tiers;
        this.validator = validator;
        this.port = port;
        this.host = host;
    }

    void start(@Observes StartupEvent started) throws Exception {
        Router router = Router.router(vertx);
        router.route().handler(BodyHandler.create().setBodyLimit(MAX_BODY_BYTES));
        router.post("/internal/service-tokens").handler(context -> answer(context, ServiceTokenIssuer.TokenRequest.class,
                request -> Uni.createFrom().item(() -> tokens.issue(request))));
        router.post("/internal/tenant-tiers").handler(context -> answer(context, TenantTiersLookup.TiersRequest.class, tiers::tiers));
        router.route().last().handler(context -> ProblemRoutes.answer(context.request(), ProblemType.NOT_FOUND, 404,
                "Nothing is at " + context.request().path()));
        router.route().failureHandler(context -> {
            int status = context.statusCode() == 413 ? 413 : 500;
            if (status == 500) {
                LOG.errorf(context.failure(), "internal endpoint %s failed", context.request().path());
            }
            ProblemRoutes.answer(context.request(), ProblemType.forStatus(status), status,
                    status == 413 ? "the body is larger than " + MAX_BODY_BYTES + " bytes" : "An unexpected error occurred");
        });
        server = vertx.createHttpServer().requestHandler(router).listen(port, host).toCompletionStage().toCompletableFuture()
                .get(30, TimeUnit.SECONDS);
        LOG.infof("internal endpoints listening on %s:%d", host, server.actualPort());
    }

    /** The port the internal listener took (the configured one, or the one given for 0 in tests). */
    public int port() {
        return server.actualPort();
    }

    @PreDestroy
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private <T, R> void answer(RoutingContext context, Class<T> type, Function<T, Uni<R>> handle) {
        T request;
        try {
            request = STRICT.readValue(context.body().buffer() == null ? new byte[0] : context.body().buffer().getBytes(), type);
        } catch (JsonProcessingException | RuntimeException e) {
            write(context, new ProblemException(ProblemType.MALFORMED_REQUEST, "the body is not the JSON this endpoint takes"));
            return;
        } catch (java.io.IOException e) {
            write(context, new ProblemException(ProblemType.MALFORMED_REQUEST, "the body cannot be read"));
            return;
        }
        Set<ConstraintViolation<T>> violations = request == null ? Set.of() : validator.validate(request);
        if (request == null || !violations.isEmpty()) {
            List<Problem.Violation> fields = violations.stream()
                    .map(violation -> new Problem.Violation(violation.getPropertyPath().toString(), violation.getMessage()))
                    .sorted(Comparator.comparing(Problem.Violation::field)).toList();
            write(context, new ProblemException(ProblemType.VALIDATION_FAILED, 400,
                    request == null ? "a body is required" : fields.size() + " field(s) are invalid", fields));
            return;
        }
        Uni<R> answer;
        try {
            answer = handle.apply(request);
        } catch (RuntimeException e) {
            answer = Uni.createFrom().failure(e);
        }
        answer.subscribe().with(result -> context.response().putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                        .end(Buffer.buffer(WeftJson.jsonb(result))),
                failure -> {
                    if (failure instanceof ProblemException problem) {
                        write(context, problem);
                    } else {
                        context.fail(failure);
                    }
                });
    }

    private static void write(RoutingContext context, ProblemException problem) {
        problem.headers().forEach((name, value) -> context.response().putHeader(name, value));
        Problem body = Problem.of(problem.type(), problem.status(), problem.getMessage(), context.request().path())
                .withViolations(problem.violations());
        context.response().setStatusCode(problem.status()).putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
                .end(Buffer.buffer(io.weft.platform.problems.ProblemMappers.body(body)));
    }
}
