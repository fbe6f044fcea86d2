package io.weft.gateway.identity;

import io.smallrye.mutiny.Uni;
import io.weft.contracts.events.AuditEvent;
import io.weft.contracts.identity.Tier;
import io.weft.gateway.abuse.FailedAuthentications;
import io.weft.gateway.audit.AuditLog;
import io.weft.gateway.tenants.TenantStates;
import io.weft.contracts.problems.ProblemType;
import io.weft.platform.problems.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;

/** Sign-up, login, refresh and logout. */
@ApplicationScoped
public class AuthService {
    private final IdentityStore identities;
    private final PasswordHasher hasher;
    private final AccessTokens accessTokens;
    private final RefreshTokens refreshTokens;

    private final FailedAuthentications failures;
    private final AuditLog audit;
    private final TenantStates tenants;

    AuthService(IdentityStore identities, PasswordHasher hasher, AccessTokens accessTokens, RefreshTokens refreshTokens,
                FailedAuthentications failures, AuditLog audit, TenantStates tenants) {
        this.tenants = tenants;
        this.identities = identities;
        this.hasher = hasher;
        this.accessTokens = accessTokens;
        this.refreshTokens = refreshTokens;
        this.failures = failures;
        this.audit = audit;
    }

    public Uni<TokenResponse> signup(AuthRequests.Signup request, String sourceIp) {
        String email = AuthRequests.normaliseEmail(request.email());
        return hasher.hashOffLoop(request.password())
                .chain(hash -> identities.createTenantWithOwner(request.organisation().strip(), Tier.FREE, email,
                        AuthRequests.displayNameOr(request.displayName(), email), hash))
                .invoke(user -> audit.record(user.tenantId().toString(), AuditEvent.ActorType.USER, user.id().toString(),
                        "tenant.signup", "tenant", user.tenantId().toString(), AuditEvent.Outcome.SUCCESS, sourceIp, null))
                .chain(this::tokensFor);
    }

    /**
     * Checks the password, unless the address or the account is blocked after too many failures
     * (429 with Retry-After). Failures count against both; enough of them block (AbuseConfig).
     */
    public Uni<TokenResponse> login(AuthRequests.Login request, String sourceIp) {
        String email = AuthRequests.normaliseEmail(request.email());
        FailedAuthentications.Subject address = FailedAuthentications.Subject.address(sourceIp);
        FailedAuthentications.Subject account = FailedAuthentications.Subject.account(email);
        return failures.blockedFor(address, account).chain(blockedMs -> {
            if (blockedMs > 0) {
                return Uni.createFrom().failure(blocked(blockedMs));
            }
            return identities.findByEmail(email)
                    .chain(found -> hasher.verifyOffLoop(request.password(), found.map(User::passwordHash))
                            .chain(matches -> matches
                                    ? succeeded(found.get(), account, sourceIp)
                                    : failed(found.map(user -> user.tenantId().toString()).orElse(null), address, account, sourceIp)));
        });
    }

    private Uni<TokenResponse> succeeded(User user, FailedAuthentications.Subject account, String sourceIp) {
        return tenants.active(user.tenantId()).chain(() -> signedIn(user, account, sourceIp));
    }

    private Uni<TokenResponse> signedIn(User user, FailedAuthentications.Subject account, String sourceIp) {
        audit.record(user.tenantId().toString(), AuditEvent.ActorType.USER, user.id().toString(), "user.login", "user",
                user.id().toString(), AuditEvent.Outcome.SUCCESS, sourceIp, null);
        return failures.clear(account).chain(() -> tokensFor(user));
    }

    private Uni<TokenResponse> failed(String tenantId, FailedAuthentications.Subject address,
                                      FailedAuthentications.Subject account, String sourceIp) {
        audit.record(tenantId, AuditEvent.ActorType.ANONYMOUS, account.id(), "user.login", "account", account.id(),
                AuditEvent.Outcome.FAILURE, sourceIp, null);
        return failures.recordFailure(address)
                .invoke(blockMs -> auditBlock(blockMs, "address", address.id(), tenantId, sourceIp))
                .chain(() -> failures.recordFailure(account))
                .invoke(blockMs -> auditBlock(blockMs, "account", account.id(), tenantId, sourceIp))
                .chain(() -> Uni.createFrom().failure(wrongCredentials()));
    }

    private void auditBlock(long blockMs, String kind, String id, String tenantId, String sourceIp) {
        if (blockMs > 0) {
            audit.record(tenantId, AuditEvent.ActorType.ANONYMOUS, id, kind + ".blocked", kind, id,
                    AuditEvent.Outcome.DENIED, sourceIp, AuditLog.details("blockedForSeconds", blockMs / 1000));
        }
    }

    static ProblemException blocked(long blockedMs) {
        long seconds = Math.max(1, (blockedMs + 999) / 1000);
        return new ProblemException(ProblemType.RATE_LIMITED, 429,
                "too many failed sign-ins; try again in " + seconds + " s", java.util.List.of())
                .withHeader("Retry-After", String.valueOf(seconds));
    }

    public Uni<TokenResponse> refresh(AuthRequests.Refresh request, String sourceIp) {
        return refreshTokens.rotate(request.refreshToken())
                .onFailure(RefreshTokens.ReusedToken.class).invoke(failure -> {
                    RefreshTokens.Owner owner = ((RefreshTokens.ReusedToken) failure).owner();
                    audit.record(owner.tenantId().toString(), AuditEvent.ActorType.ANONYMOUS, owner.userId().toString(),
                            "session.revoked", "user", owner.userId().toString(), AuditEvent.Outcome.DENIED, sourceIp,
                            AuditLog.details("reason", "a spent refresh token was presented again"));
                })
                .chain(rotation -> identities.findUser(rotation.tenantId(), rotation.userId())
                        .map(user -> user.orElseThrow(() -> new ProblemException(ProblemType.UNAUTHORIZED,
                                "the refresh token's user no longer exists")))
                        .call(user -> tenants.active(user.tenantId()))
                        .map(user -> TokenResponse.of(accessTokens.issue(user), rotation.next(), user)));
    }

    public Uni<Void> logout(AuthRequests.Refresh request, String sourceIp) {
        return refreshTokens.revokeFamily(request.refreshToken())
                .invoke(owner -> owner.ifPresent(o -> audit.record(o.tenantId().toString(), AuditEvent.ActorType.USER,
                        o.userId().toString(), "user.logout", "user", o.userId().toString(), AuditEvent.Outcome.SUCCESS,
                        sourceIp, null)))
                .replaceWithVoid();
    }

    private Uni<TokenResponse> tokensFor(User user) {
        return refreshTokens.start(user.tenantId(), user.id())
                .map(refresh -> TokenResponse.of(accessTokens.issue(user), refresh, user));
    }


    private static ProblemException wrongCredentials() {
        return new ProblemException(ProblemType.UNAUTHORIZED, "the email or the password is wrong");
    }
}
