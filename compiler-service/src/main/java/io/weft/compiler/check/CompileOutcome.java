package io.weft.compiler.check;

import io.weft.contracts.compile.Diagnostic;
import io.weft.contracts.compile.Severity;
import io.weft.contracts.plan.ExecutionPlan;
import java.util.List;

/**
 * What compiling a definition gave.
 *
 * @param plan        null when any diagnostic is an error
 * @param credentials every credential reference, for the checks that need the credentials store
 */
public record CompileOutcome(List<Diagnostic> diagnostics, ExecutionPlan plan, List<CredentialUse> credentials) {

    public boolean compiles() {
        return diagnostics.stream().noneMatch(diagnostic -> diagnostic.severity() == Severity.ERROR);
    }
}
