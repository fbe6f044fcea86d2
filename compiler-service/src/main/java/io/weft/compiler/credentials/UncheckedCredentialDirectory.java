package io.weft.compiler.credentials;

import io.quarkus.arc.DefaultBean;
import io.smallrye.mutiny.Uni;
import io.weft.compiler.check.CredentialUse;
import io.weft.contracts.compile.Diagnostic;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.UUID;

/**
 * Used until credentials-service serves credential metadata (the credentials issue replaces it):
 * it cannot tell whether a credential exists, so it reports nothing. The executor still fails a
 * node whose credential cannot be resolved.
 */
@DefaultBean
@ApplicationScoped
public class UncheckedCredentialDirectory implements CredentialDirectory {

    @Override
    public Uni<List<Diagnostic>> check(UUID tenant, List<CredentialUse> uses) {
        return Uni.createFrom().item(List.of());
    }
}
