package io.weft.gateway.abuse;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * When repeated failed sign-ins and invalid credentials block an address or an account, and which
 * addresses are always refused.
 */
@ConfigMapping(prefix = "weft.gateway.abuse")
public interface AbuseConfig {

    /** Failed sign-ins to one account within the window that block the account. */
    @WithDefault("5")
    int maxFailuresPerAccount();

    /** Failed sign-ins or invalid credentials from one address within the window that block the address. */
    @WithDefault("20")
    int maxFailuresPerAddress();

    @WithDefault("15m")
    Duration failureWindow();

    /** The first block; each further block within a day lasts twice as long as the one before. */
    @WithDefault("1m")
    Duration firstBlock();

    @WithDefault("1h")
    Duration longestBlock();

    /** Addresses or CIDR ranges refused outright (the operators' blocklist), e.g. {@code 203.0.113.0/24}. */
    Optional<List<String>> blockedAddresses();
}
