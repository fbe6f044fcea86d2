package io.weft.gateway.abuse;

import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import org.jboss.logging.Logger;

/**
 * Failed authentications per address and per account, kept in Redis, and the temporary blocks they
 * lead to. When Redis cannot answer, nothing is blocked (the failure is logged): availability of
 * sign-in wins over brute-force protection for the length of the outage.
 */
@ApplicationScoped
public class FailedAuthentications {
    private static final Logger LOG = Logger.getLogger(FailedAuthentications.class);
    private static final String FAILURE_SCRIPT = load("/ratelimits/abuse-failure.lua");
    private static final Duration STRIKE_MEMORY = Duration.ofDays(1);
    private static final Duration REDIS_TIMEOUT = Duration.ofMillis(500);

    private final ReactiveRedisDataSource redis;
    private final AbuseConfig config;

    FailedAuthentications(ReactiveRedisDataSource redis, AbuseConfig config) {
        this.redis = redis;
        this.config = config;
    }

    /** A subject that can be blocked. Accounts are named by a hash of the email, never the email. */
    public record Subject(String kind, String id) {
        public static Subject address(String ip) {
            return new Subject("ip", ip == null ? "unknown" : ip);
        }

        public static Subject account(String email) {
            try {
                byte[] digest = MessageDigest.getInstance("SHA-256").digest(email.getBytes(StandardCharsets.UTF_8));
                return new Subject("acct", HexFormat.of().formatHex(digest, 0, 16));
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }

        String key(String what) {
            return "weft:abuse:" + what + ":" + kind + ":" + id;
        }
    }

    /** Milliseconds the longest block among {@code subjects} still lasts; 0 when none is blocked. */
    public Uni<Long> blockedFor(Subject... subjects) {
        Uni<Long> longest = Uni.createFrom().item(0L);
        for (Subject subject : subjects) {
            Uni<Long> previous = longest;
            longest = previous.chain(max -> redis.execute("PTTL", subject.key("block"))
                    .map(reply -> Math.max(max, reply == null ? 0 : reply.toLong())));
        }
        return longest.ifNoItem().after(REDIS_TIMEOUT).fail()
                .onFailure().recoverWithItem(failure -> {
                    LOG.warnf("cannot check sign-in blocks in Redis: %s", failure.toString());
                    return 0L;
                });
    }

    /** Counts a failure; answers the block imposed now in milliseconds, or 0. */
    public Uni<Long> recordFailure(Subject subject) {
        int max = subject.kind().equals("ip") ? config.maxFailuresPerAddress() : config.maxFailuresPerAccount();
        return redis.execute("EVAL", FAILURE_SCRIPT, "3", subject.key("failures"), subject.key("strikes"), subject.key("block"),
                        String.valueOf(max), String.valueOf(config.failureWindow().toMillis()),
                        String.valueOf(config.firstBlock().toMillis()), String.valueOf(config.longestBlock().toMillis()),
                        String.valueOf(STRIKE_MEMORY.toMillis()))
                .map(reply -> reply == null ? 0L : reply.toLong())
                .ifNoItem().after(REDIS_TIMEOUT).fail()
                .onFailure().recoverWithItem(failure -> {
                    LOG.warnf("cannot count a failed sign-in in Redis: %s", failure.toString());
                    return 0L;
                });
    }

    /** A successful sign-in forgives the account's recent failures (not the address's). */
    public Uni<Void> clear(Subject subject) {
        return redis.execute("DEL", subject.key("failures")).replaceWithVoid()
                .onFailure().recoverWithNull().replaceWithVoid();
    }

    private static String load(String resource) {
        try (InputStream in = FailedAuthentications.class.getResourceAsStream(resource)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
