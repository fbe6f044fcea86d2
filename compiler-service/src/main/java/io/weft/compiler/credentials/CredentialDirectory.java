package io.weft.compiler.credentials;

import io.smallrye.mutiny.Uni;
import io.weft.compiler.check.CredentialUse;
import io.weft.contracts.compile.Diagnostic;
import java.util.List;
import java.util.UUID;

/**
 * The compiler's port to the credentials store: which references point at credentials that do
 * not exist in the tenant ({@code CREDENTIAL_NOT_FOUND}) or hold another type
 * ({@code CREDENTIAL_TYPE_MISMATCH}). The form of each reference and whether the node type takes
 * that credential type are checked by the compiler itself.
 */
public interface CredentialDirectory {

    Uni<List<Diagnostic>> check(UUID tenant, List<CredentialUse> uses);
}
