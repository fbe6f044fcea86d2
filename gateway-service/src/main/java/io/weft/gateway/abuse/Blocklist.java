package io.weft.gateway.abuse;

import io.vertx.ext.web.Router;
import io.weft.contracts.problems.ProblemType;
import io.weft.platform.problems.ProblemRoutes;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/** The operators' blocklist: addresses and CIDR ranges refused with 403 before anything else runs. */
@ApplicationScoped
public class Blocklist {
    static final int ORDER = -390;

    private final List<Range> ranges;

    Blocklist(AbuseConfig config) {
        this.ranges = config.blockedAddresses().orElse(List.of()).stream().map(String::strip)
                .filter(entry -> !entry.isEmpty()).map(Range::parse).toList();
    }

    void register(@Observes Router router) {
        if (ranges.isEmpty()) {
            return;
        }
        router.route().order(ORDER).handler(context -> {
            var remote = context.request().remoteAddress();
            if (remote != null && blocked(remote.hostAddress())) {
                ProblemRoutes.answer(context.request(), ProblemType.FORBIDDEN, 403, "requests from this address are blocked");
            } else {
                context.next();
            }
        });
    }

    public boolean blocked(String address) {
        try {
            byte[] bytes = InetAddress.getByName(address).getAddress();
            return ranges.stream().anyMatch(range -> range.contains(bytes));
        } catch (UnknownHostException e) {
            return false;
        }
    }

    record Range(byte[] network, int prefix) {
        static Range parse(String entry) {
            String[] parts = entry.split("/");
            try {
                byte[] network = InetAddress.getByName(parts[0]).getAddress();
                int prefix = parts.length == 2 ? Integer.parseInt(parts[1]) : network.length * 8;
                if (prefix < 0 || prefix > network.length * 8) {
                    throw new IllegalArgumentException("bad prefix length in blocklist entry " + entry);
                }
                return new Range(network, prefix);
            } catch (UnknownHostException | NumberFormatException e) {
                throw new IllegalArgumentException("weft.gateway.abuse.blocked-addresses: cannot read '" + entry + "'", e);
            }
        }

        boolean contains(byte[] address) {
            if (address.length != network.length) {
                return false;
            }
            int bits = network.length * 8;
            BigInteger mask = BigInteger.ONE.shiftLeft(bits).subtract(BigInteger.ONE)
                    .xor(BigInteger.ONE.shiftLeft(bits - prefix).subtract(BigInteger.ONE));
            return new BigInteger(1, address).and(mask).equals(new BigInteger(1, network).and(mask));
        }
    }
}
