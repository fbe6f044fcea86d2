package io.weft.gateway.apikeys;

import io.smallrye.mutiny.Uni;
import io.weft.contracts.problems.ProblemType;
import io.weft.platform.problems.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * Finds the stored key for a presented API key. Lookups are remembered for {@link #REMEMBER} so
 * that a busy key does not cost a database round trip per request; revoking through this gateway
 * forgets at once, another gateway replica notices within {@link #REMEMBER}. Last-used times are
 * written at most once per {@link #TOUCH_EVERY} per key.
 */
@ApplicationScoped
public class ApiKeyAuthenticator {
    private static final Logger LOG = Logger.getLogger(ApiKeyAuthenticator.class);
    static final Duration REMEMBER = Duration.ofSeconds(30);
    static final Duration TOUCH_EVERY = Duration.ofMinutes(1);
    static final int MAX_CACHED = 10_000;

    private final ApiKeyStore store;
    private final Clock clock;
    private final Map<String, Remembered> cache = new ConcurrentHashMap<>();
    private final Map<UUID, Instant> lastTouched = new ConcurrentHashMap<>();

    ApiKeyAuthenticator(ApiKeyStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    private record Remembered(ApiKey key, Instant until) {
    }

    /** The usable key behind {@code presented}, or a 401 problem. */
    public Uni<ApiKey> authenticate(String presented) {
        if (!ApiKeySecrets.wellFormed(presented)) {
            return Uni.createFrom().failure(unauthorized());
        }
        byte[] hash = ApiKeySecrets.hash(presented);
        String cacheKey = HexFormat.of().formatHex(hash);
        Instant now = clock.instant();
        Remembered remembered = cache.get(cacheKey);
        Uni<ApiKey> lookup = remembered != null && now.isBefore(remembered.until())
                ? Uni.createFrom().item(remembered.key())
                : store.findByHash(hash).map(found -> {
                    ApiKey key = found.orElseThrow(ApiKeyAuthenticator::unauthorized);
                    if (cache.size() >= MAX_CACHED) {
                        cache.clear();
                    }
                    cache.put(cacheKey, new Remembered(key, now.plus(REMEMBER)));
                    return key;
                });
        return lookup.map(key -> {
            if (!key.usableAt(OffsetDateTime.ofInstant(now, ZoneOffset.UTC))) {
                throw new ProblemException(ProblemType.UNAUTHORIZED, "the API key is revoked or expired");
            }
            touch(key, now);
            return key;
        });
    }

    /** Forgets a key at once, e.g. after it was revoked. */
    public void forget(UUID keyId) {
        cache.values().removeIf(remembered -> remembered.key().id().equals(keyId));
    }

    private void touch(ApiKey key, Instant now) {
        Instant previous = lastTouched.get(key.id());
        if (previous != null && now.isBefore(previous.plus(TOUCH_EVERY))) {
            return;
        }
        if (lastTouched.size() >= MAX_CACHED) {
            lastTouched.clear();
        }
        lastTouched.put(key.id(), now);
        store.touch(key.id(), OffsetDateTime.ofInstant(now, ZoneOffset.UTC)).subscribe().with(
                ignored -> { }, failure -> LOG.warnf("could not record the last use of API key %s: %s", key.id(), failure.getMessage()));
    }

    private static ProblemException unauthorized() {
        return new ProblemException(ProblemType.UNAUTHORIZED, "the API key is not valid");
    }
}
