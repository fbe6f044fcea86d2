package io.weft.gateway.abuse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class BlocklistTest {

    private static Blocklist of(String... entries) {
        return new Blocklist(new AbuseConfig() {
            public int maxFailuresPerAccount() { return 5; }
            public int maxFailuresPerAddress() { return 20; }
            public Duration failureWindow() { return Duration.ofMinutes(15); }
            public Duration firstBlock() { return Duration.ofMinutes(1); }
            public Duration longestBlock() { return Duration.ofHours(1); }
            public Optional<List<String>> blockedAddresses() { return Optional.of(List.of(entries)); }
        });
    }

    @Test
    void matchesSingleAddressesAndRanges() {
        Blocklist blocklist = of("203.0.113.0/24", "198.51.100.7", "2001:db8::/32");

        assertThat(blocklist.blocked("203.0.113.200")).isTrue();
        assertThat(blocklist.blocked("203.0.114.1")).isFalse();
        assertThat(blocklist.blocked("198.51.100.7")).isTrue();
        assertThat(blocklist.blocked("198.51.100.8")).isFalse();
        assertThat(blocklist.blocked("2001:db8:1::5")).isTrue();
        assertThat(blocklist.blocked("2001:db9::5")).isFalse();
        assertThat(blocklist.blocked("127.0.0.1")).isFalse();
    }

    @Test
    void badEntriesStopTheStartWithTheirName() {
        assertThatThrownBy(() -> of("10.0.0.0/33")).hasMessageContaining("10.0.0.0/33");
        assertThatThrownBy(() -> of("10.0.0.0/x")).hasMessageContaining("10.0.0.0/x");
    }
}
