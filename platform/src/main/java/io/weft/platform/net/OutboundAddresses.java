package io.weft.platform.net;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/**
 * Which addresses the fleet may call on a tenant's behalf (workflow nodes, OAuth2 token endpoints).
 * Loopback, private, link-local (which includes cloud metadata at 169.254.169.254), carrier-grade
 * NAT, unique-local, multicast and unspecified addresses are refused unless a network of the
 * deployment's allow-list contains them. Every address a name resolves to must pass.
 *
 * <p>Known gap: an HTTP client resolves the name again when it connects, so a DNS server that
 * answers differently the second time (rebinding) is not stopped here.
 */
public final class OutboundAddresses {
    private final List<Cidr> allowed;

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
            if (internal(address) && allowed.stream().noneMatch(cidr -> cidr.contains(address))) {
                throw new Refused(host + " resolves to " + address.getHostAddress() + ", an internal address this deployment does not allow"
                        + " (" + setting + ")", false);
            }
        }
    }

    private static boolean internal(InetAddress address) {
        if (address.isLoopbackAddress() || address.isSiteLocalAddress() || address.isLinkLocalAddress()
                || address.isAnyLocalAddress() || address.isMulticastAddress()) {
            return true;
        }
        byte[] bytes = address.getAddress();
        if (address instanceof Inet4Address) {
            int first = bytes[0] & 0xff;
            int second = bytes[1] & 0xff;
            return first == 0 || (first == 100 && second >= 64 && second < 128) || first >= 240;
        }
        if (address instanceof Inet6Address) {
            return (bytes[0] & 0xfe) == 0xfc; // fc00::/7 unique local
        }
        return false;
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
