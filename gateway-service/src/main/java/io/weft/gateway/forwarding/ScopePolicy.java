package io.weft.gateway.forwarding;

import io.vertx.core.http.HttpMethod;
import io.weft.contracts.identity.Scope;
import java.util.Optional;

/**
 * The scope an API key needs for a forwarded request. Users are not checked here: each service
 * checks their role. Reading is GET or HEAD; everything else writes (registering a custom node type
 * too), except compiling, which only reads a definition, starting runs, which needs
 * {@code executions:run}, and deciding approvals, which needs {@code executions:approve}. The audit
 * trail needs {@code audit:read}, which only admins and owners may grant.
 */
public final class ScopePolicy {
    private ScopePolicy() {
    }

    public static Optional<Scope> required(Route route, HttpMethod method, String path) {
        boolean reads = method == HttpMethod.GET || method == HttpMethod.HEAD || method == HttpMethod.OPTIONS;
        return Optional.ofNullable(switch (route.prefix()) {
            case "/api/orchestrator" -> {
                if (path.startsWith("/api/orchestrator/approvals")) {
                    yield reads ? Scope.EXECUTIONS_READ : Scope.EXECUTIONS_APPROVE;
                }
                if (path.contains("/executions") || path.endsWith("/run") || path.contains("/run/")) {
                    yield reads ? Scope.EXECUTIONS_READ : Scope.EXECUTIONS_RUN;
                }
                yield reads ? Scope.WORKFLOWS_READ : Scope.WORKFLOWS_WRITE;
            }
            case "/api/streaming" -> Scope.EXECUTIONS_READ;
            case "/api/compile" -> Scope.WORKFLOWS_READ;
            case "/api/nodes" -> reads ? Scope.WORKFLOWS_READ : Scope.WORKFLOWS_WRITE;
            case "/api/executor" -> reads ? Scope.EXECUTIONS_READ : Scope.EXECUTIONS_RUN;
            case "/api/inference" -> reads ? Scope.DOCUMENTS_READ : Scope.DOCUMENTS_WRITE;
            case "/api/credentials" -> reads ? Scope.CREDENTIALS_READ : Scope.CREDENTIALS_WRITE;
            case "/api/logs" -> path.startsWith("/api/logs/audit") ? Scope.AUDIT_READ : Scope.LOGS_READ;
            default -> null;
        });
    }
}
