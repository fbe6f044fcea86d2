package io.weft.credentials.crypto;

import io.quarkus.vault.VaultTransitSecretReactiveEngine;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import java.util.List;

/** Chooses the key-encryption key provider from configuration. */
public class KeyEncryptionKeys {

    @Produces
    @ApplicationScoped
    KeyEncryptionKey keyEncryptionKey(KekConfig config, Instance<VaultTransitSecretReactiveEngine> transit) {
        return switch (config.provider()) {
            case "local" -> new LocalKeyEncryptionKey(config.local().key().orElseThrow(() -> new IllegalStateException(
                    "weft.credentials.kek.local.key (WEFT_CREDENTIALS_KEK) is not set: a base64 256-bit key is needed")),
                    config.local().previousKeys().orElse(List.of()));
            case "vault" -> new VaultTransitKeyEncryptionKey(transit.get(), config.vault().keyName());
            default -> throw new IllegalStateException("unknown key-encryption key provider '" + config.provider() + "'; one of: local, vault");
        };
    }
}
