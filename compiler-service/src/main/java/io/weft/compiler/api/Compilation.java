package io.weft.compiler.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.weft.compiler.CompilerConfig;
import io.weft.compiler.catalog.NodeCatalogSource;
import io.weft.compiler.catalog.TenantNodeTypes;
import io.weft.compiler.check.CompileOutcome;
import io.weft.compiler.check.WorkflowCompiler;
import io.weft.compiler.credentials.CredentialDirectory;
import io.weft.contracts.compile.Diagnostic;
import io.weft.contracts.compile.Severity;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;

/**
 * One compilation: catalog (with the tenant's own node types when the definition uses one), checks and
 * plan on a worker thread (large workflows take milliseconds), then credentials.
 */
@ApplicationScoped
public class Compilation {
    private static final Comparator<Diagnostic> READING_ORDER = Comparator
            .comparing(Diagnostic::severity)
            .thenComparing(Diagnostic::pointer);

    private final NodeCatalogSource catalog;
    private final TenantNodeTypes tenantTypes;
    private final CredentialDirectory credentials;
    private final WorkflowCompiler compiler;

    Compilation(NodeCatalogSource catalog, TenantNodeTypes tenantTypes, CredentialDirectory credentials, CompilerConfig config) {
        this.catalog = catalog;
        this.tenantTypes = tenantTypes;
        this.credentials = credentials;
        this.compiler = new WorkflowCompiler(config.defaultNodeTimeout());
    }

    public Uni<CompileOutcome> compile(UUID tenant, JsonNode document) {
        return catalog.current()
                .chain(types -> TenantNodeTypes.used(document) ? tenantTypes.of(tenant).emitOn(Infrastructure.getDefaultWorkerPool()).map(types::with) : Uni.createFrom().item(types))
                .emitOn(Infrastructure.getDefaultWorkerPool())
                .map(types -> compiler.compile(document, types))
                .chain(outcome -> outcome.credentials().isEmpty() ? Uni.createFrom().item(outcome)
                        : credentials.check(tenant, outcome.credentials()).map(found -> withCredentialFindings(outcome, found)))
                .map(outcome -> new CompileOutcome(outcome.diagnostics().stream().sorted(READING_ORDER).toList(),
                        outcome.plan(), outcome.credentials()));
    }

    private static CompileOutcome withCredentialFindings(CompileOutcome outcome, List<Diagnostic> found) {
        if (found.isEmpty()) {
            return outcome;
        }
        List<Diagnostic> all = new ArrayList<>(outcome.diagnostics());
        all.addAll(found);
        boolean failed = found.stream().anyMatch(diagnostic -> diagnostic.severity() == Severity.ERROR);
        return new CompileOutcome(all, failed ? null : outcome.plan(), outcome.credentials());
    }
}
