package io.weft.gateway.identity;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.weft.contracts.identity.Tier;
import io.weft.contracts.problems.ProblemType;
import io.weft.platform.problems.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.function.Supplier;

/** Sign-up, login, refresh and logout. Password hashing runs on worker threads, never the event loop. */
@ApplicationScoped
public class AuthService {
    private final IdentityStore identities;
    private final PasswordHasher hasher;
    private final AccessTokens accessTokens;
    private final RefreshTokens refreshTokens;

    AuthService(IdentityStore identities, PasswordHasher hasher, AccessTokens accessTokens, RefreshTokens refreshTokens) {
        this.identities = identities;
        this.hasher = hasher;
        this.accessTokens = accessTokens;
        this.refreshTokens = refreshTokens;
    }

    public Uni<TokenResponse> signup(AuthRequests.Signup request) {
        String email = AuthRequests.normaliseEmail(request.email());
        return onWorker(() -> hasher.hash(request.password()))
                .chain(hash -> identities.createTenantWithOwner(request.organisation().strip(), Tier.FREE, email,
                        AuthRequests.displayNameOr(request.displayName(), email), hash))
                .chain(this::tokensFor);
    }

    public Uni<TokenResponse> login(AuthRequests.Login request) {
        String email = AuthRequests.normaliseEmail(request.email());
        return identities.findByEmail(email)
                .chain(found -> onWorker(() -> {
                    if (found.isEmpty()) {
                        return hasher.verifyDecoy(request.password());
                    }
                    return hasher.verify(request.password(), found.get().passwordHash());
                }).map(matches -> {
                    if (!matches) {
                        throw wrongCredentials();
                    }
                    return found.get();
                }))
                .chain(this::tokensFor);
    }

    public Uni<TokenResponse> refresh(AuthRequests.Refresh request) {
        return refreshTokens.rotate(request.refreshToken())
                .chain(rotation -> identities.findUser(rotation.tenantId(), rotation.userId())
                        .map(user -> user.orElseThrow(() -> new ProblemException(ProblemType.UNAUTHORIZED,
                                "the refresh token's user no longer exists")))
                        .map(user -> TokenResponse.of(accessTokens.issue(user), rotation.next(), user)));
    }

    public Uni<Void> logout(AuthRequests.Refresh request) {
        return refreshTokens.revokeFamily(request.refreshToken());
    }

    private Uni<TokenResponse> tokensFor(User user) {
        return refreshTokens.start(user.tenantId(), user.id())
                .map(refresh -> TokenResponse.of(accessTokens.issue(user), refresh, user));
    }

    private static <T> Uni<T> onWorker(Supplier<T> work) {
        return Uni.createFrom().item(work).runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    }

    private static ProblemException wrongCredentials() {
        return new ProblemException(ProblemType.UNAUTHORIZED, "the email or the password is wrong");
    }
}
