package io.weft.platform.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.NetworkInterface;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every special-purpose range and this machine's own addresses are refused unless allowed (issue 26). */
class OutboundAddressesTest {
    private static final String SETTING = "weft.test.allowed-networks";

    private static void refused(OutboundAddresses addresses, String host) {
        assertThatThrownBy(() -> addresses.check(host, SETTING)).as(host).isInstanceOf(OutboundAddresses.Refused.class)
                .hasMessageContaining(SETTING);
    }

    private static void allowed(OutboundAddresses addresses, String host) {
        assertThatCode(() -> addresses.check(host, SETTING)).as(host).doesNotThrowAnyException();
    }

    @Test
    void everySpecialPurposeRangeIsRefused() {
        OutboundAddresses addresses = OutboundAddresses.publicOnly();
        for (String host : List.of("0.0.0.0", "0.1.2.3", "10.1.2.3", "100.64.0.1", "100.127.255.254", "127.0.0.1", "127.9.9.9",
                "169.254.169.254", "172.16.0.1", "172.31.255.255", "192.0.0.8", "192.0.2.2", "192.31.196.1", "192.52.193.1",
                "192.88.99.1", "192.168.1.1", "192.175.48.1", "198.18.0.1", "198.19.255.255", "198.51.100.7", "203.0.113.9",
                "224.0.0.1", "239.255.255.250", "240.0.0.1", "255.255.255.255",
                "[::]", "[::1]", "[::ffff:10.0.0.1]", "[64:ff9b::8.8.8.8]", "[64:ff9b:1::1]", "[100::1]", "[2001::1]",
                "[2001:2::1]", "[2001:db8::1]", "[2002:0808:0808::1]", "[2620:4f:8000::1]", "[3fff::1]", "[5f00::1]", "[fd00::2]",
                "[fe80::1]", "[fec0::1]", "[ff02::1]")) {
            refused(addresses, host);
        }
    }

    @Test
    void ipv6FormsThatCarryAnIpv4AddressAreJudgedByItToo() {
        assertThat(OutboundAddresses.carriedIpv4(address("::a9fe:a9fe")).getHostAddress()).isEqualTo("169.254.169.254");
        assertThat(OutboundAddresses.carriedIpv4(address("64:ff9b::7f00:1")).getHostAddress()).isEqualTo("127.0.0.1");
        assertThat(OutboundAddresses.carriedIpv4(address("2002:0a00:0001::1")).getHostAddress()).isEqualTo("10.0.0.1");
        // Teredo carries the client's address with every bit flipped
        assertThat(OutboundAddresses.carriedIpv4(address("2001:0:4136:e378:8000:63bf:3fff:fdd2")).getHostAddress())
                .isEqualTo("192.0.2.45");
        assertThat(OutboundAddresses.carriedIpv4(address("2606:4700::1111"))).isNull();
        assertThat(OutboundAddresses.carriedIpv4(address("::1"))).isNull();

        // A deployment behind NAT64 may allow its prefix; the private networks behind it stay refused.
        OutboundAddresses nat64 = new OutboundAddresses(List.of("64:ff9b::/96"));
        allowed(nat64, "[64:ff9b::808:808]");
        refused(nat64, "[64:ff9b::a00:1]");
        refused(nat64, "[64:ff9b::a9fe:a9fe]");
        refused(nat64, "[64:ff9b::7f00:1]");
        refused(OutboundAddresses.publicOnly(), "[::a9fe:a9fe]");
        refused(OutboundAddresses.publicOnly(), "[::127.0.0.1]");
    }

    @Test
    void thisMachinesOwnAddressesAreRefusedUnlessAllowed() throws Exception {
        List<InetAddress> own = NetworkInterface.networkInterfaces().flatMap(NetworkInterface::inetAddresses)
                .map(OutboundAddressesTest::withoutScope).toList();
        assertThat(own).isNotEmpty();
        for (InetAddress address : own) {
            String host = address.getAddress().length == 16 ? "[" + address.getHostAddress() + "]" : address.getHostAddress();
            refused(OutboundAddresses.publicOnly(), host);
            String network = address.getHostAddress() + (address.getAddress().length == 16 ? "/128" : "/32");
            allowed(new OutboundAddresses(List.of(network)), host);
        }
    }

    @Test
    void publicAddressesAndAllowedNetworksPass() {
        for (String host : List.of("8.8.8.8", "1.1.1.1", "100.63.255.255", "100.128.0.1", "172.32.0.1", "192.0.1.1", "198.20.0.1",
                "[2606:4700::1111]", "[2a00:1450:4001::1]")) {
            allowed(OutboundAddresses.publicOnly(), host);
        }
        allowed(new OutboundAddresses(List.of("127.0.0.1/32")), "127.0.0.1");
        allowed(new OutboundAddresses(List.of("::1/128")), "[::1]");
        allowed(new OutboundAddresses(List.of("10.0.0.0/8")), "10.20.30.40");
    }

    private static InetAddress address(String text) {
        try {
            return InetAddress.getByName(text);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static InetAddress withoutScope(InetAddress address) {
        try {
            return InetAddress.getByAddress(address.getAddress());
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }
}
