package io.weft.credentials.crypto;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.List;
import java.util.Optional;

/** Where the key-encryption key comes from: {@code weft.credentials.kek.*}. */
@ConfigMapping(prefix = "weft.credentials.kek")
public interface KekConfig {

    /**
     * {@code local}: a 256-bit key from configuration (a file or a Kubernetes Secret through the
     * environment); {@code vault}: HashiCorp Vault's transit engine ({@code quarkus.vault.*}).
     */
    @WithDefault("local")
    String provider();

    Local local();

    Vault vault();

    interface Vault {
        /** The transit key (mount {@code transit}) that wraps data keys. */
        @WithDefault("weft-credentials")
        String keyName();
    }

    interface Local {
        /** The current key, base64 (32 bytes). */
        Optional<String> key();

        /** Keys used before, base64, so that data keys they wrapped still open until they are re-wrapped. */
        Optional<List<String>> previousKeys();
    }
}
