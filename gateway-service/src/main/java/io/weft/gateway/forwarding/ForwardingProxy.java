package io.weft.gateway.forwarding;

import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.RequestOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.weft.contracts.events.AuditEvent;
import io.weft.contracts.problems.ProblemType;
import io.weft.gateway.abuse.FailedAuthentications;
import io.weft.gateway.audit.AuditLog;
import io.weft.gateway.edge.EdgeConfig;
import io.weft.gateway.ratelimits.RateLimitDecision;
import io.weft.gateway.ratelimits.RateLimiter;
import io.weft.platform.problems.ProblemException;
import io.weft.platform.problems.ProblemRoutes;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.net.ConnectException;
import java.net.URI;
import java.util.List;
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
    /** After the edge headers, before the platform's body limit and the REST layer. */
    static final int ORDER = -300;

    private final ForwardingConfig config;
    private final CallerAuthenticator authenticator;
    private final InternalTokenIssuer tokens;
    private final RateLimiter rateLimiter;
    private final EdgeConfig edge;
    private final FailedAuthentications failures;
    private final AuditLog audit;
    private final HttpClient client;
    private final WebSocketBridge webSockets;

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
        this.webSockets = new WebSocketBridge(client, config.connectTimeout());
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
        rateLimiter.check(principal.tenantId(), principal.subject(), principal.tier())
                .onSuccess(decision -> requestContext.execute(() -> sendIfAllowed(in, route, principal, decision)));
    }

    private void sendIfAllowed(HttpServerRequest in, Route route, InternalTokenIssuer.Principal principal,
                               RateLimitDecision decision) {
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
            webSockets.bridge(in, upstream, authorization, failure -> fail(in, route, failure));
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
            ForwardedHeaders.copyRequestHeaders(in, out, authorization);
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
                    ForwardedHeaders.relay(answered.result(), in.response());
                }
            });
        });
    }

    private void fail(HttpServerRequest in, Route route, Throwable cause) {
        String service = route.upstream() + "-service";
        if (in.response().ended() || in.response().closed()) {
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
        if (challenge) {
            in.response().putHeader("WWW-Authenticate", "Bearer realm=\"weft\"");
        }
        ProblemRoutes.answer(in, type, status, detail);
        in.resume();
    }

}
