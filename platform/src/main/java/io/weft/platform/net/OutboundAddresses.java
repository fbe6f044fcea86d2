package io.weft.platform.net;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Which addresses the fleet may call on a tenant's behalf (workflow nodes, OAuth2 token endpoints).
 * Every range of IANA's IPv4 and IPv6 special-purpose registries (loopback, private, link-local with
 * cloud metadata at 169.254.169.254, carrier-grade NAT, documentation and benchmarking ranges,
 * unique-local, 6to4, Teredo, NAT64, multicast, reserved, unspecified) and every address of this
 * machine's own interfaces is refused unless a network of the deployment's allow-list contains it.
 * An IPv6 address that carries an IPv4 one (IPv4-compatible, NAT64, 6to4, Teredo) must also pass
 * with the address it carries, so allowing a translation prefix never opens the private networks
 * behind it. Every address a name resolves to must pass.
 *
 * <p>Known gap: an HTTP client resolves the name again when it connects, so a DNS server that
 * answers differently the second time (rebinding) is not stopped here.
 */
public final class OutboundAddresses {
    /** The special-purpose registries (RFC 6890 and their updates), multicast and the reserved 240.0.0.0/4. */
    private static final List<Cidr> SPECIAL_PURPOSE = Stream.of(
            "0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16", "172.16.0.0/12", "192.0.0.0/24",
            "192.0.2.0/24", "192.31.196.0/24", "192.52.193.0/24", "192.88.99.0/24", "192.168.0.0/16", "192.175.48.0/24",
            "198.18.0.0/15", "198.51.100.0/24", "203.0.113.0/24", "224.0.0.0/4", "240.0.0.0/4",
            // ::/96 holds the unspecified and loopback addresses and the IPv4-compatible form ::a.b.c.d;
            // IPv4-mapped addresses (::ffff:a.b.c.d) need no entry: Java reads them as the IPv4 address
            "::/96", "64:ff9b::/96", "64:ff9b:1::/48", "100::/64", "2001::/23", "2001:db8::/32", "2002::/16",
            "2620:4f:8000::/48", "3fff::/20", "5f00::/16", "fc00::/7", "fe80::/10", "fec0::/10", "ff00::/8")
            .map(Cidr::parse).toList();
    private static final Cidr IPV4_COMPATIBLE = Cidr.parse("::/96");
    private static final Cidr NAT64 = Cidr.parse("64:ff9b::/96");
    private static final Cidr SIX_TO_FOUR = Cidr.parse("2002::/16");
    private static final Cidr TEREDO = Cidr.parse("2001::/32");
    private static final Duration OWN_ADDRESSES_FOR = Duration.ofSeconds(30);

    private final List<Cidr> allowed;
    private volatile OwnAddresses own = new OwnAddresses(Set.of(), 0);

    /** Why a host may not be called. */
    public static final class Refused extends RuntimeException {
        private final boolean unresolvable;

        Refused(String message, boolean unresolvable) {
            super(message);
            this.unresolvable = unresolvable;
        }

        /** True when the name could not be resolved (worth retrying), false when the address is not allowed. */
        public boolean unresolvable() {
            return unresolvable;
        }
    }

    private record OwnAddresses(Set<InetAddress> addresses, long readAtNanos) {
    }

    public OutboundAddresses(List<String> allowedNetworks) {
        this.allowed = allowedNetworks.stream().map(String::strip).filter(cidr -> !cidr.isEmpty()).map(Cidr::parse).toList();
    }

    public static OutboundAddresses publicOnly() {
        return new OutboundAddresses(List.of());
    }

    /**
     * Resolves the host and refuses it when any of its addresses is internal and not allowed.
     *
     * @param setting the configuration property that allows networks, named in the refusal
     */
    public void check(String host, String setting) {
        if (host == null || host.isBlank()) {
            throw new Refused("the URL has no host", false);
        }
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(host.startsWith("[") ? host.substring(1, host.length() - 1) : host);
        } catch (UnknownHostException e) {
            throw new Refused("cannot resolve " + host, true);
        }
        for (InetAddress address : addresses) {
            String why = refusal(address);
            if (why != null) {
                throw new Refused(host + " resolves to " + address.getHostAddress() + ", " + why + " this deployment does not allow"
                        + " (" + setting + ")", false);
            }
        }
    }

    /** Why the address may not be called, or null when it may. */
    private String refusal(InetAddress address) {
        if (allowed.stream().noneMatch(cidr -> cidr.contains(address))) {
            if (special(address)) {
                return "an internal address (a special-purpose range)";
            }
            if (ownAddresses().contains(address)) {
                return "an internal address (one of this machine's own)";
            }
        }
        InetAddress carried = carriedIpv4(address);
        String why = carried == null ? null : refusal(carried);
        return why == null ? null : "which carries " + carried.getHostAddress() + ", " + why;
    }

    private static boolean special(InetAddress address) {
        return address.isLoopbackAddress() || address.isSiteLocalAddress() || address.isLinkLocalAddress()
                || address.isAnyLocalAddress() || address.isMulticastAddress()
                || SPECIAL_PURPOSE.stream().anyMatch(cidr -> cidr.contains(address));
    }

    /** The IPv4 address inside an IPv4-compatible, NAT64 (64:ff9b::/96), 6to4 or Teredo address; null for any other. */
    static InetAddress carriedIpv4(InetAddress address) {
        if (!(address instanceof Inet6Address)) {
            return null;
        }
        byte[] bytes = address.getAddress();
        byte[] carried = null;
        if ((IPV4_COMPATIBLE.contains(address) && !address.isLoopbackAddress() && !address.isAnyLocalAddress())
                || NAT64.contains(address)) {
            carried = Arrays.copyOfRange(bytes, 12, 16);
        } else if (SIX_TO_FOUR.contains(address)) {
            carried = Arrays.copyOfRange(bytes, 2, 6);
        } else if (TEREDO.contains(address)) {
            carried = Arrays.copyOfRange(bytes, 12, 16);
            for (int i = 0; i < carried.length; i++) {
                carried[i] = (byte) ~carried[i];
            }
        }
        try {
            return carried == null ? null : InetAddress.getByAddress(carried);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    /** This machine's addresses, read again when older than {@link #OWN_ADDRESSES_FOR} (interfaces come and go). */
    private Set<InetAddress> ownAddresses() {
        OwnAddresses known = own;
        if (System.nanoTime() - known.readAtNanos() < OWN_ADDRESSES_FOR.toNanos() && !known.addresses().isEmpty()) {
            return known.addresses();
        }
        Set<InetAddress> addresses = new HashSet<>();
        try {
            NetworkInterface.networkInterfaces().forEach(nic -> nic.inetAddresses().forEach(address -> addresses.add(plain(address))));
        } catch (SocketException e) {
            return known.addresses();
        }
        own = new OwnAddresses(Set.copyOf(addresses), System.nanoTime());
        return own.addresses();
    }

    /** Without the scope (fe80::1%eth0), so that it equals the same address resolved from a name. */
    private static InetAddress plain(InetAddress address) {
        try {
            return InetAddress.getByAddress(address.getAddress());
        } catch (UnknownHostException e) {
            return address;
        }
    }

    /** An address range such as {@code 10.0.0.0/8} or {@code ::1/128}; a bare address means just that one. */
    record Cidr(byte[] network, int prefix) {
        static Cidr parse(String text) {
            String[] parts = text.split("/", 2);
            try {
                byte[] network = InetAddress.getByName(parts[0]).getAddress();
                int prefix = parts.length == 2 ? Integer.parseInt(parts[1]) : network.length * 8;
                if (prefix < 0 || prefix > network.length * 8) {
                    throw new IllegalArgumentException("prefix out of range in " + text);
                }
                return new Cidr(network, prefix);
            } catch (UnknownHostException | NumberFormatException e) {
                throw new IllegalArgumentException("not a network: " + text, e);
            }
        }

        boolean contains(InetAddress address) {
            byte[] bytes = address.getAddress();
            if (bytes.length != network.length) {
                return false;
            }
            int full = prefix / 8;
            for (int i = 0; i < full; i++) {
                if (bytes[i] != network[i]) {
                    return false;
                }
            }
            int rest = prefix % 8;
            if (rest == 0) {
                return true;
            }
            int mask = 0xff << (8 - rest) & 0xff;
            return (bytes[full] & mask) == (network[full] & mask);
        }
    }
}
