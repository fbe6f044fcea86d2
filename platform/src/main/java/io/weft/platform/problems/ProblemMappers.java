package io.weft.platform.problems;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import io.vertx.core.http.HttpServerRequest;
import io.weft.contracts.json.WeftJson;
import io.weft.contracts.problems.ProblemType;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.Path;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.UUID;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * The one place where a service turns exceptions into RFC 9457 problem answers. Callers see a
 * stable type, a title and a safe detail; unexpected errors are logged with a reference that the
 * answer repeats, and their messages never reach the caller.
 */
public class ProblemMappers {
    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);
    private static final int MAX_ECHO = 200;
    private static final String BEARER_CHALLENGE = "Bearer realm=\"weft\"";

    @ServerExceptionMapper
    public Response problem(ProblemException e, HttpServerRequest request) {
        Problem problem = Problem.of(e.type(), e.status(), e.getMessage(), path(request)).withViolations(e.violations());
        Response.ResponseBuilder builder = builder(problem);
        if (problem.status() == 401) {
            builder.header(HttpHeaders.WWW_AUTHENTICATE, BEARER_CHALLENGE);
        }
        e.headers().forEach(builder::header);
        return builder.build();
    }

    @ServerExceptionMapper({AuthenticationFailedException.class, UnauthorizedException.class})
    public Response unauthenticated(RuntimeException e, HttpServerRequest request) {
        return builder(Problem.of(ProblemType.UNAUTHORIZED, 401, "A valid bearer token is required", path(request)))
                .header(HttpHeaders.WWW_AUTHENTICATE, BEARER_CHALLENGE)
                .build();
    }

    /** A database, cache or broker that cannot be reached: the caller may retry; nothing was half-done. */
    @ServerExceptionMapper({java.net.ConnectException.class, io.netty.channel.ConnectTimeoutException.class})
    public Response dependencyUnreachable(Exception e, HttpServerRequest request) {
        LOG.warnf("a dependency cannot be reached on %s %s: %s", request.method(), truncate(request.path()), e.getMessage());
        return builder(Problem.of(ProblemType.DEPENDENCY_UNAVAILABLE, 503,
                "A service this request needs cannot be reached right now; try again shortly", path(request)))
                .header("Retry-After", "5")
                .build();
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e, HttpServerRequest request) {
        return respond(Problem.of(ProblemType.FORBIDDEN, 403, "Your role or scopes do not allow this", path(request)));
    }

    @ServerExceptionMapper
    public Response violations(ConstraintViolationException e, HttpServerRequest request) {
        List<Problem.Violation> violations = new ArrayList<>();
        for (ConstraintViolation<?> violation : e.getConstraintViolations()) {
            violations.add(new Problem.Violation(field(violation.getPropertyPath()), violation.getMessage()));
        }
        violations.sort(Comparator.comparing(Problem.Violation::field));
        String detail = violations.size() == 1 ? "1 field is invalid" : violations.size() + " fields are invalid";
        return respond(Problem.of(ProblemType.VALIDATION_FAILED, 400, detail, path(request)).withViolations(violations));
    }

    @ServerExceptionMapper
    public Response unreadableJson(JsonProcessingException e, HttpServerRequest request) {
        return respond(Problem.of(ProblemType.MALFORMED_REQUEST, 400, jsonDetail(e), path(request)));
    }

    @ServerExceptionMapper
    public Response mismatchedJson(MismatchedInputException e, HttpServerRequest request) {
        return unreadableJson(e, request);
    }

    @ServerExceptionMapper
    public Response webApplication(WebApplicationException e, HttpServerRequest request) {
        if (e.getCause() instanceof JsonProcessingException json) {
            return unreadableJson(json, request);
        }
        int status = e.getResponse().getStatus();
        if (status < 400) {
            return e.getResponse(); // an answer, not an error (a 204 that ends a finished stream, a redirect)
        }
        if (status >= 500) {
            return unexpected(e, request);
        }
        ProblemType type = ProblemType.forStatus(status);
        String detail = switch (status) {
            case 404 -> "Nothing is at " + truncate(request.path());
            case 405 -> "Method " + request.method().name() + " is not allowed on " + truncate(request.path());
            case 406 -> "None of the media types in Accept can be produced here";
            case 415 -> "Content type " + truncate(String.valueOf(request.getHeader(HttpHeaders.CONTENT_TYPE)))
                    + " is not supported here";
            default -> type.title();
        };
        Response.ResponseBuilder builder = builder(Problem.of(type, status, detail, path(request)));
        Object allow = e.getResponse().getHeaders().getFirst(HttpHeaders.ALLOW);
        if (allow != null) {
            builder.header(HttpHeaders.ALLOW, allow);
        }
        return builder.build();
    }

    /** A multipart body that ends before its closing boundary, or is no multipart at all, is the client's error. */
    @ServerExceptionMapper
    public Response unreadableBody(java.io.IOException e, HttpServerRequest request) {
        if (String.valueOf(e.getMessage()).contains("multipart")) {
            return respond(Problem.of(ProblemType.MALFORMED_REQUEST, 400, "the multipart body cannot be read: " + truncate(e.getMessage()),
                    path(request)));
        }
        return unexpected(e, request);
    }

    @ServerExceptionMapper
    public Response unexpected(Throwable e, HttpServerRequest request) {
        String reference = UUID.randomUUID().toString();
        LOG.errorf(e, "Unexpected error on %s %s (reference %s)", request.method(), truncate(request.path()), reference);
        return respond(Problem.of(ProblemType.INTERNAL, 500,
                "An unexpected error occurred; quote reference " + reference + " when reporting it", path(request)));
    }

    /** Writes a problem answer outside JAX-RS, e.g. from a Vert.x route. */
    public static byte[] body(Problem problem) {
        try {
            return WeftJson.mapper().writeValueAsBytes(problem);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Response respond(Problem problem) {
        return builder(problem).build();
    }

    private static Response.ResponseBuilder builder(Problem problem) {
        return Response.status(problem.status()).type(Problem.MEDIA_TYPE).entity(body(problem));
    }

    private static String jsonDetail(JsonProcessingException e) {
        StringBuilder detail = new StringBuilder("Request body is not valid JSON for this endpoint");
        String message = e.getOriginalMessage();
        if (message != null && message.startsWith("Duplicate field '")) {
            int end = message.indexOf('\'', "Duplicate field '".length());
            String key = end < 0 ? "?" : message.substring("Duplicate field '".length(), end);
            return detail.append(": the key '").append(truncate(key)).append("' appears twice in one object").toString();
        }
        if (e instanceof MismatchedInputException mismatch && !mismatch.getPath().isEmpty()) {
            detail.append(": field '").append(truncate(mismatch.getPathReference().replaceAll("^.*\\[\"|\"]$", ""))).append("' has the wrong type");
        } else if (e.getLocation() != null) {
            detail.append(" (line ").append(e.getLocation().getLineNr())
                    .append(", column ").append(e.getLocation().getColumnNr()).append(')');
        }
        return detail.toString();
    }

    /** Drops the method and parameter names that Bean Validation puts in front of a REST parameter's path. */
    private static String field(Path path) {
        List<String> names = new ArrayList<>();
        Iterator<Path.Node> nodes = path.iterator();
        while (nodes.hasNext()) {
            Path.Node node = nodes.next();
            switch (node.getKind()) {
                case METHOD, PARAMETER, RETURN_VALUE -> { }
                default -> names.add(node.getIndex() != null ? "[" + node.getIndex() + "]." + node.getName() : node.getName());
            }
        }
        return names.isEmpty() ? "body" : String.join(".", names).replace(".[", "[");
    }

    private static String path(HttpServerRequest request) {
        return truncate(request.path());
    }

    /** Cuts text from the request to a length that is safe to echo in an answer. */
    public static String truncate(String text) {
        if (text == null) {
            return null;
        }
        return text.length() <= MAX_ECHO ? text : text.substring(0, MAX_ECHO) + "…";
    }
}
