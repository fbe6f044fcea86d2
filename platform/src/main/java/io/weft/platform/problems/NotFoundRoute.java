package io.weft.platform.problems;

import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.weft.contracts.problems.ProblemType;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/** Answers paths that no REST resource or management endpoint claims with a 404 problem. */
@ApplicationScoped
public class NotFoundRoute {

    void register(@Observes Router router) {
        router.route().last().handler(context -> {
            if (context.response().ended()) {
                return;
            }
            String path = ProblemMappers.truncate(context.request().path());
            Problem problem = Problem.of(ProblemType.NOT_FOUND, 404, "Nothing is at " + path, path);
            context.response().setStatusCode(404)
                    .putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
                    .end(io.vertx.core.buffer.Buffer.buffer(ProblemMappers.body(problem)));
        });
    }
}
