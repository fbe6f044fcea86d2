package io.weft.platform.problems;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.weft.contracts.problems.ProblemType;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import io.quarkus.runtime.configuration.MemorySize;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Problem answers for what never reaches a REST resource: paths nobody claims (404) and request
 * bodies over {@code quarkus.http.limits.max-body-size} (413). A body announced as too large is
 * refused before it is read; the rest of it is read and dropped rather than cutting the
 * connection, so that the client sees the answer.
 */
@ApplicationScoped
public class ProblemRoutes {
    /** Before the REST layer; the gateway's forwarding routes come earlier and apply their own limits. */
    public static final int BODY_LIMIT_ORDER = -250;

    void register(@Observes Router router) {
        long maxBody = ConfigProvider.getConfig().getOptionalValue("quarkus.http.limits.max-body-size", MemorySize.class)
                .map(MemorySize::asLongValue).orElse(10L * 1024 * 1024);
        router.route().order(BODY_LIMIT_ORDER).handler(context -> {
            String declared = context.request().getHeader(HttpHeaders.CONTENT_LENGTH);
            if (declared != null && tooLarge(declared, maxBody)) {
                context.request().handler(ignored -> { });
                write(context, ProblemType.PAYLOAD_TOO_LARGE, 413,
                        "The request body is larger than the " + maxBody + " bytes this endpoint accepts");
            } else {
                context.next();
            }
        });
        router.route().order(Integer.MIN_VALUE).failureHandler(context -> {
            if (context.statusCode() == 413) {
                write(context, ProblemType.PAYLOAD_TOO_LARGE, 413, "The request body is larger than this endpoint accepts");
            } else {
                context.next();
            }
        });
        router.route().last().handler(context -> {
            String path = ProblemMappers.truncate(context.request().path());
            write(context, ProblemType.NOT_FOUND, 404, "Nothing is at " + path);
        });
    }

    private static boolean tooLarge(String declared, long max) {
        try {
            return Long.parseLong(declared.strip()) > max;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    static void write(RoutingContext context, ProblemType type, int status, String detail) {
        answer(context.request(), type, status, detail);
    }

    /** Answers with a problem from outside JAX-RS (Vert.x routes); does nothing once the answer has started. */
    public static void answer(HttpServerRequest request, ProblemType type, int status, String detail) {
        HttpServerResponse response = request.response();
        if (response.ended() || response.headWritten()) {
            return;
        }
        Problem problem = Problem.of(type, status, detail, ProblemMappers.truncate(request.path()));
        response.setStatusCode(status)
                .putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
                .end(Buffer.buffer(ProblemMappers.body(problem)));
    }
}
