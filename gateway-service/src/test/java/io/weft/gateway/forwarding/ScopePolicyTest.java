package io.weft.gateway.forwarding;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.http.HttpMethod;
import io.weft.contracts.identity.Scope;
import org.junit.jupiter.api.Test;

class ScopePolicyTest {
    private static final Route LOGS = new Route("/api/logs", "http://127.0.0.1:8086", true);

    @Test
    void theAuditTrailNeedsItsOwnScopeAndTheRestOfTheLogsLogsRead() {
        assertThat(ScopePolicy.required(LOGS, HttpMethod.GET, "/api/logs/audit")).contains(Scope.AUDIT_READ);
        assertThat(ScopePolicy.required(LOGS, HttpMethod.GET, "/api/logs/audit/export")).contains(Scope.AUDIT_READ);
        assertThat(ScopePolicy.required(LOGS, HttpMethod.GET, "/api/logs/history")).contains(Scope.LOGS_READ);
        assertThat(ScopePolicy.required(LOGS, HttpMethod.GET, "/api/logs/insights")).contains(Scope.LOGS_READ);
    }

    @Test
    void onlyAdminsMayGrantTheAuditScope() {
        assertThat(Scope.AUDIT_READ.leastRoleToGrant()).isEqualTo(io.weft.contracts.identity.Role.ADMIN);
    }

    @Test
    void registeringOrDeletingACustomNodeTypeWritesWorkflows() {
        Route nodes = new Route("/api/nodes", "http://127.0.0.1:8083", true);
        assertThat(ScopePolicy.required(nodes, HttpMethod.GET, "/api/nodes/custom")).contains(Scope.WORKFLOWS_READ);
        assertThat(ScopePolicy.required(nodes, HttpMethod.POST, "/api/nodes/custom")).contains(Scope.WORKFLOWS_WRITE);
        assertThat(ScopePolicy.required(nodes, HttpMethod.DELETE, "/api/nodes/custom/custom.x/versions/1")).contains(Scope.WORKFLOWS_WRITE);
    }

    @Test
    void decidingAnApprovalNeedsItsOwnScope() {
        Route orchestrator = new Route("/api/orchestrator", "http://127.0.0.1:8081", true);
        assertThat(ScopePolicy.required(orchestrator, HttpMethod.GET, "/api/orchestrator/approvals")).contains(Scope.EXECUTIONS_READ);
        assertThat(ScopePolicy.required(orchestrator, HttpMethod.POST, "/api/orchestrator/approvals/1/decision"))
                .contains(Scope.EXECUTIONS_APPROVE);
        assertThat(Scope.EXECUTIONS_APPROVE.leastRoleToGrant()).isEqualTo(io.weft.contracts.identity.Role.EDITOR);
    }
}
