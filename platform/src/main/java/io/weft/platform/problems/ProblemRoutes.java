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
 * Problem answers for what never reaches a REST resource: paths nobody claims (404), request
 * bodies over {@code quarkus.http.limits.max-body-size} (413), request lines and headers that are
 * too long (414, 431), URIs that do not parse (a broken escape such as {@code %zz}: 400), and
 * whatever else the HTTP layer fails with a 4xx. A body announced as too large is refused before it is read; the
 * rest of it is read and dropped rather than cutting the connection, so that the client sees the
 * answer.
 *
 * <p>Vert.x answers a request line or a header block beyond its decoder's limits itself, with an
 * empty 414 or 431, and Quarkus offers no hook there. So the decoder's limits are set well above
 * what is accepted ({@code quarkus.http.limits.max-initial-line-length} 64 KB and
 * {@code max-header-size} 128 KB in the platform's configuration), and the limits that apply —
 * {@value #MAX_URI} characters of path and query, {@value #MAX_HEADER_BYTES} bytes of headers — are
 * refused here, as problems. Only beyond the decoder's limits is an answer still empty. Likewise
 * Quarkus' own check of the URI, which answers an empty 400, is turned off ({@link UriCheckedHere})
 * and done here.
 */
@ApplicationScoped
public class ProblemRoutes {
    /** Before the REST layer; the gateway's forwarding routes come earlier and apply their own limits. */
    public static final int BODY_LIMIT_ORDER = -250;
    /** Before everything, the gateway's routes included. */
    public static final int REQUEST_LIMIT_ORDER = Integer.MIN_VALUE + 1;
    public static final int MAX_URI = 8_192;
    public static final int MAX_HEADER_BYTES = 32_768;
    /** The largest body other than a multipart upload, when it is smaller than {@code quarkus.http.limits.max-body-size}. */
    public static final String MAX_BODY_EXCEPT_UPLOADS = "weft.http.max-body-size-except-uploads";

    void register(@Observes Router router) {
        long maxUpload = ConfigProvider.getConfig().getOptionalValue("quarkus.http.limits.max-body-size", MemorySize.class)
                .map(MemorySize::asLongValue).orElse(10L * 1024 * 1024);
        // A service that takes large multipart uploads raises Vert.x's limit for them, and keeps every other body smaller.
        long maxOtherBody = ConfigProvider.getConfig().getOptionalValue(MAX_BODY_EXCEPT_UPLOADS, MemorySize.class)
                .map(MemorySize::asLongValue).orElse(maxUpload);
        router.route().order(REQUEST_LIMIT_ORDER).handler(context -> {
            if (!parses(context.request().uri())) {
                write(context, ProblemType.MALFORMED_REQUEST, 400, "The request's path or query is not a valid URI (a broken %-escape?)");
            } else if (context.request().uri().length() > MAX_URI) {
                write(context, ProblemType.URI_TOO_LONG, 414, "The request's path and query are longer than " + MAX_URI + " characters");
            } else if (headerBytes(context.request()) > MAX_HEADER_BYTES) {
                write(context, ProblemType.HEADERS_TOO_LARGE, 431, "The request's headers are larger than " + MAX_HEADER_BYTES + " bytes");
            } else {
                context.next();
            }
        });
        router.route().order(BODY_LIMIT_ORDER).handler(context -> {
            String declared = context.request().getHeader(HttpHeaders.CONTENT_LENGTH);
            String type = String.valueOf(context.request().getHeader(HttpHeaders.CONTENT_TYPE)).toLowerCase(java.util.Locale.ROOT);
            long maxBody = type.startsWith("multipart/form-data") ? maxUpload : maxOtherBody;
            if (declared != null && tooLarge(declared, maxBody)) {
                context.request().handler(ignored -> { });
                write(context, ProblemType.PAYLOAD_TOO_LARGE, 413,
                        "The request body is larger than the " + maxBody + " bytes this endpoint accepts");
            } else {
                context.next();
            }
        });
        router.route().order(Integer.MIN_VALUE).failureHandler(context -> {
            int status = context.statusCode();
            if (status == 413) {
                write(context, ProblemType.PAYLOAD_TOO_LARGE, 413, "The request body is larger than this endpoint accepts");
            } else if (status >= 400 && status < 500) {
                ProblemType type = ProblemType.forStatus(status);
                write(context, type, status, status == 400 ? "The request cannot be read (a broken escape in its path?)" : type.title());
            } else {
                context.next();
            }
        });
        router.route().last().handler(context -> {
            String path = ProblemMappers.truncate(context.request().path());
            write(context, ProblemType.NOT_FOUND, 404, "Nothing is at " + path);
        });
    }

    private static boolean parses(String uri) {
        try {
            new java.net.URI(uri);
            return true;
        } catch (java.net.URISyntaxException e) {
            return false;
        }
    }

    private static long headerBytes(HttpServerRequest request) {
        long bytes = 0;
        for (var header : request.headers()) {
            bytes += header.getKey().length() + header.getValue().length() + 4;
        }
        return bytes;
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
        if (response.ended() || response.headWritten() || response.closed()) {
            return;
        }
        Problem problem = Problem.of(type, status, detail, ProblemMappers.truncate(request.path()));
        response.setStatusCode(status)
                .putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
                .end(Buffer.buffer(ProblemMappers.body(problem)));
    }
}
