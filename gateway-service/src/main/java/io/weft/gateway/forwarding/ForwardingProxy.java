package io.weft.gateway.forwarding;

import io.vertx.core.Context;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.smallrye.mutiny.Uni;
import io.weft.contracts.events.AuditEvent;
import io.weft.contracts.problems.ProblemType;
import io.weft.gateway.abuse.FailedAuthentications;
import io.weft.gateway.audit.AuditLog;
import io.weft.gateway.edge.EdgeConfig;
import io.weft.gateway.ratelimits.RateLimitDecision;
import io.weft.gateway.ratelimits.RateLimiter;
import io.weft.platform.problems.Problem;
import io.weft.platform.problems.ProblemException;
import io.weft.platform.problems.ProblemMappers;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.net.ConnectException;
import java.net.URI;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeoutException;
import org.jboss.logging.Logger;

/**
 * Forwards requests for the other services: authenticates the caller, counts the request against
 * the tier's rate limits, replaces every identity the client sent with a freshly signed internal token, and streams both bodies through without
 * buffering them (SSE included). A service that cannot be reached answers 502, one that stays
 * silent 504, both as problems.
 */
@ApplicationScoped
public class ForwardingProxy {
    private static final Logger LOG = Logger.getLogger(ForwardingProxy.class);
    /** Hop-by-hop headers (RFC 9110 §7.6.1) never cross the proxy. */
    private static final Set<String> HOP_BY_HOP = Set.of("connection", "keep-alive", "proxy-authenticate",
            "proxy-authorization", "te", "trailer", "transfer-encoding", "upgrade", "proxy-connection");
    private static final String TRACEPARENT = "traceparent";
    /** After the edge headers, before the platform's body limit and the REST layer. */
    static final int ORDER = -300;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final ForwardingConfig config;
    private final CallerAuthenticator authenticator;
    private final InternalTokenIssuer tokens;
    private final RateLimiter rateLimiter;
    private final EdgeConfig edge;
    private final FailedAuthentications failures;
    private final AuditLog audit;
    private final HttpClient client;

    ForwardingProxy(ForwardingConfig config, CallerAuthenticator authenticator, InternalTokenIssuer tokens,
                    RateLimiter rateLimiter, EdgeConfig edge, FailedAuthentications failures, AuditLog audit, Vertx vertx) {
        this.config = config;
        this.failures = failures;
        this.audit = audit;
        this.edge = edge;
        this.authenticator = authenticator;
        this.tokens = tokens;
        this.rateLimiter = rateLimiter;
        this.client = vertx.createHttpClient(new HttpClientOptions()
                .setConnectTimeout((int) config.connectTimeout().toMillis())
                .setKeepAlive(true)
                .setMaxPoolSize(64)
                .setDecompressionSupported(false));
    }

    void register(@Observes Router router) {
        for (Route route : RouteTable.ROUTES) {
            router.route(route.prefix()).order(ORDER).handler(context -> forward(context, route));
            router.route(route.prefix() + "/*").order(ORDER).handler(context -> forward(context, route));
        }
    }

    void forward(RoutingContext context, Route route) {
        HttpServerRequest in = context.request();
        in.pause();
        if (!route.authenticated()) {
            send(in, route, null, edge.maxWebhookBodyBytes());
            return;
        }
        Executor requestContext = currentContext();
        authenticator.authenticate(in).emitOn(requestContext).subscribe().with(
                principal -> {
                    if (principal.scopes() != null) {
                        var needed = ScopePolicy.required(route, in.method(), in.path());
                        if (needed.isPresent() && !List.of(principal.scopes().split(" ")).contains(needed.get().wireName())) {
                            answer(in, ProblemType.FORBIDDEN, 403, "this API key lacks the scope " + needed.get().wireName(), false);
                            return;
                        }
                    }
                    limitThenSend(in, route, principal, requestContext);
                },
                failure -> {
                    if (failure instanceof ProblemException problem && problem.status() == 401) {
                        refuseCredentials(in, problem);
                    } else if (failure instanceof ProblemException problem) {
                        answer(in, problem.type(), problem.status(), problem.getMessage(), false);
                    } else {
                        LOG.errorf(failure, "authenticating a request for %s failed", route.upstream());
                        answer(in, ProblemType.INTERNAL, 500, "authentication could not be completed", false);
                    }
                });
    }

    /**
     * Invalid credentials count against the address; an address that keeps sending them is blocked
     * for a while and gets 429 instead of 401 (abuse.AbuseConfig).
     */
    private void refuseCredentials(HttpServerRequest in, ProblemException problem) {
        String ip = AuditLog.sourceIp(in);
        FailedAuthentications.Subject address = FailedAuthentications.Subject.address(ip);
        failures.blockedFor(address)
                .chain(blockedMs -> blockedMs > 0 ? Uni.createFrom().item(blockedMs) : failures.recordFailure(address)
                        .invoke(imposed -> {
                            if (imposed > 0) {
                                audit.record(null, AuditEvent.ActorType.ANONYMOUS, ip, "address.blocked", "address", ip,
                                        AuditEvent.Outcome.DENIED, ip, AuditLog.details("blockedForSeconds", imposed / 1000));
                            }
                        }))
                .subscribe().with(blockedMs -> {
                    if (blockedMs > 0) {
                        long seconds = Math.max(1, (blockedMs + 999) / 1000);
                        in.response().putHeader("Retry-After", String.valueOf(seconds));
                        answer(in, ProblemType.RATE_LIMITED, 429, "too many invalid credentials from this address; try again in "
                                + seconds + " s", false);
                    } else {
                        answer(in, problem.type(), 401, problem.getMessage(), true);
                    }
                });
    }

    /**
     * Continues on the event loop that owns the request, so that answers from Redis or PostgreSQL
     * (which arrive on their own connections' threads) do not make every later write hop threads.
     */
    private static Executor currentContext() {
        Context context = Vertx.currentContext();
        return context == null ? Runnable::run : command -> {
            if (Vertx.currentContext() == context) {
                command.run();
            } else {
                context.runOnContext(ignored -> command.run());
            }
        };
    }

    private void limitThenSend(HttpServerRequest in, Route route, InternalTokenIssuer.Principal principal,
                               Executor requestContext) {
        rateLimiter.check(principal.tenantId(), principal.subject(), principal.tier()).emitOn(requestContext)
                .subscribe().with(decision -> {
            decision.writeHeaders(in.response());
            if (decision.state() == RateLimitDecision.State.LIMITED) {
                answer(in, ProblemType.RATE_LIMITED, 429, "the " + decision.tightest().name() + " limit of "
                        + decision.tightest().quota() + " requests per " + decision.tightest().windowMs() / 1000
                        + " s is used up; retry after " + decision.retryAfterSeconds() + " s", false);
            } else if (decision.state() == RateLimitDecision.State.UNAVAILABLE) {
                in.response().putHeader("Retry-After", String.valueOf(decision.retryAfterSeconds()));
                answer(in, ProblemType.DEPENDENCY_UNAVAILABLE, 503, "rate limits cannot be checked right now", false);
            } else {
                send(in, route, "Bearer " + tokens.tokenFor(principal), bodyLimit(principal.tier()));
            }
        });
    }

    private long bodyLimit(String tier) {
        Long limit = edge.maxBodyBytes().get(tier == null ? "free" : tier);
        return limit != null ? limit : edge.maxBodyBytes().getOrDefault("free", 1L << 20);
    }

    private void send(HttpServerRequest in, Route route, String authorization, long bodyLimit) {
        String declared = in.getHeader(HttpHeaders.CONTENT_LENGTH);
        if (declared != null && declared.chars().allMatch(Character::isDigit) && declared.length() < 19
                && Long.parseLong(declared) > bodyLimit) {
            in.response().putHeader(HttpHeaders.CONNECTION, "close");
            answer(in, ProblemType.PAYLOAD_TOO_LARGE, 413, "the body is larger than the " + bodyLimit
                    + " bytes your plan allows here", false);
            return;
        }
        URI upstream = config.upstreams().get(route.upstream());
        if (upstream == null) {
            answer(in, ProblemType.BAD_GATEWAY, 502, "no address is configured for " + route.upstream() + "-service", false);
            return;
        }
        if ("websocket".equalsIgnoreCase(in.getHeader(HttpHeaders.UPGRADE))) {
            bridgeWebSocket(in, route, upstream, authorization);
            return;
        }
        RequestOptions options = new RequestOptions()
                .setMethod(in.method())
                .setHost(upstream.getHost())
                .setPort(upstream.getPort())
                .setURI(in.uri())
                .setIdleTimeout(config.upstreamTimeout().toMillis());
        client.request(options).onComplete(connected -> {
            if (connected.failed()) {
                fail(in, route, connected.cause());
                return;
            }
            HttpClientRequest out = connected.result();
            copyRequestHeaders(in, out, authorization);
            LimitedBody body = new LimitedBody(in, bodyLimit, () -> {
                out.reset();
                in.response().putHeader(HttpHeaders.CONNECTION, "close");
                answer(in, ProblemType.PAYLOAD_TOO_LARGE, 413, "the body is larger than the " + bodyLimit
                        + " bytes your plan allows here", false);
            });
            out.send(body).onComplete(answered -> {
                if (answered.failed()) {
                    fail(in, route, answered.cause());
                } else {
                    relay(answered.result(), in.response());
                }
            });
        });
    }

    /**
     * Connects to the service first, so that a service that is down still answers 502 as a
     * problem; only then accepts the client's upgrade and relays messages both ways.
     */
    private void bridgeWebSocket(HttpServerRequest in, Route route, URI upstream, String authorization) {
        WebSocketConnectOptions options = new WebSocketConnectOptions()
                .setHost(upstream.getHost())
                .setPort(upstream.getPort())
                .setURI(in.uri())
                .setTimeout(config.connectTimeout().toMillis());
        in.headers().forEach((name, value) -> {
            String lower = name.toLowerCase(Locale.ROOT);
            boolean handshake = lower.startsWith("sec-websocket-") && !lower.equals("sec-websocket-protocol");
            if (!HOP_BY_HOP.contains(lower) && !isIdentity(lower) && !lower.equals("host") && !handshake) {
                options.addHeader(name, value);
            }
        });
        if (authorization != null) {
            options.putHeader(HttpHeaders.AUTHORIZATION, authorization);
        }
        options.putHeader("X-Forwarded-For", AuditLog.sourceIp(in) == null ? "unknown" : AuditLog.sourceIp(in));
        client.webSocket(options).onComplete(connected -> {
            if (connected.failed()) {
                fail(in, route, connected.cause());
                return;
            }
            WebSocket service = connected.result();
            in.toWebSocket().onComplete(accepted -> {
                if (accepted.failed()) {
                    service.close();
                    return;
                }
                ServerWebSocket caller = accepted.result();
                service.textMessageHandler(caller::writeTextMessage);
                service.binaryMessageHandler(caller::writeBinaryMessage);
                caller.textMessageHandler(service::writeTextMessage);
                caller.binaryMessageHandler(service::writeBinaryMessage);
                service.closeHandler(closed -> caller.close(closeCode(service.closeStatusCode()), service.closeReason()));
                caller.closeHandler(closed -> service.close(closeCode(caller.closeStatusCode()), caller.closeReason()));
                service.exceptionHandler(error -> caller.close((short) 1011, "service connection failed"));
                caller.exceptionHandler(error -> service.close((short) 1011, "client connection failed"));
            });
        });
    }

    private static short closeCode(Short code) {
        return code == null || code == 1005 || code == 1006 ? 1000 : code;
    }

    private static void copyRequestHeaders(HttpServerRequest in, HttpClientRequest out, String authorization) {
        MultiMap headers = out.headers();
        Set<String> connectionTokens = connectionTokens(in.headers());
        in.headers().forEach((name, value) -> {
            String lower = name.toLowerCase(Locale.ROOT);
            if (!HOP_BY_HOP.contains(lower) && !connectionTokens.contains(lower) && !isIdentity(lower)
                    && !lower.equals("host")) {
                headers.add(name, value);
            }
        });
        if (authorization != null) {
            headers.set(HttpHeaders.AUTHORIZATION, authorization);
        }
        if (!headers.contains(TRACEPARENT)) {
            headers.set(TRACEPARENT, newTraceparent());
        }
        String client = in.remoteAddress() == null ? "unknown" : in.remoteAddress().hostAddress();
        headers.set("X-Forwarded-For", client);
        headers.set("X-Forwarded-Proto", in.scheme() == null ? "http" : in.scheme());
        if (in.authority() != null) {
            headers.set("X-Forwarded-Host", in.authority().toString());
        }
        if (in.headers().contains(HttpHeaders.CONTENT_LENGTH)) {
            headers.set(HttpHeaders.CONTENT_LENGTH, in.getHeader(HttpHeaders.CONTENT_LENGTH));
        } else if (in.headers().contains(HttpHeaders.TRANSFER_ENCODING)) {
            out.setChunked(true);
        }
    }

    /** Identity is carried only by the internal token: whatever the client claims is dropped. */
    private static boolean isIdentity(String lowerName) {
        return lowerName.equals("authorization") || lowerName.equals("x-api-key") || lowerName.startsWith("x-weft-") || lowerName.equals("x-tenant-id")
                || lowerName.equals("x-user-id") || lowerName.startsWith("x-forwarded-") || lowerName.equals("forwarded");
    }

    private static void relay(HttpClientResponse upstream, HttpServerResponse response) {
        response.setStatusCode(upstream.statusCode());
        Set<String> connectionTokens = connectionTokens(upstream.headers());
        upstream.headers().forEach((name, value) -> {
            String lower = name.toLowerCase(Locale.ROOT);
            if (!HOP_BY_HOP.contains(lower) && !connectionTokens.contains(lower)) {
                response.headers().add(name, value);
            }
        });
        if (!upstream.headers().contains(HttpHeaders.CONTENT_LENGTH)) {
            response.setChunked(true);
        }
        upstream.pipeTo(response).onFailure(e -> LOG.debugf("stream from upstream ended early: %s", e.getMessage()));
    }

    private void fail(HttpServerRequest in, Route route, Throwable cause) {
        String service = route.upstream() + "-service";
        if (in.response().ended()) {
            return;
        }
        if (in.response().headWritten()) {
            in.response().reset();
            return;
        }
        if (isTimeout(cause)) {
            answer(in, ProblemType.UPSTREAM_TIMEOUT, 504, service + " did not answer in time", false);
        } else {
            LOG.warnf("forwarding to %s failed: %s", service, cause.toString());
            answer(in, ProblemType.BAD_GATEWAY, 502,
                    service + (cause instanceof ConnectException ? " is unavailable" : " failed to answer"), false);
        }
    }

    private static boolean isTimeout(Throwable cause) {
        return cause instanceof TimeoutException || cause.getClass().getSimpleName().contains("Timeout");
    }

    private static void answer(HttpServerRequest in, ProblemType type, int status, String detail, boolean challenge) {
        HttpServerResponse response = in.response();
        if (response.ended()) {
            return;
        }
        Problem problem = Problem.of(type, status, detail, ProblemMappers.truncate(in.path()));
        response.setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE);
        if (challenge) {
            response.putHeader("WWW-Authenticate", "Bearer realm=\"weft\"");
        }
        response.end(Buffer.buffer(ProblemMappers.body(problem)));
        in.resume();
    }

    private static Set<String> connectionTokens(MultiMap headers) {
        String connection = headers.get(HttpHeaders.CONNECTION);
        if (connection == null) {
            return Set.of();
        }
        return Set.of(connection.toLowerCase(Locale.ROOT).replace(" ", "").split(","));
    }

    private static String newTraceparent() {
        byte[] ids = new byte[24];
        RANDOM.nextBytes(ids);
        String hex = HexFormat.of().formatHex(ids);
        return "00-" + hex.substring(0, 32) + "-" + hex.substring(32) + "-01";
    }
}
