package io.weft.testsupport;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;

import io.smallrye.jwt.algorithm.SignatureAlgorithm;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A service believes only the gateway's internal token: identity headers, user access tokens,
 * forged and stale tokens all answer 401. Every service except the gateway runs this.
 */
public abstract class InternalTokenContractTest {
    private static final String CALLER = "/test-support/caller";
    private final UUID tenant = UUID.randomUUID();

    @Test
    void internalTokenIdentifiesTheCaller() {
        given().auth().oauth2(InternalTokens.user(tenant, "user-1", "editor")).get(CALLER)
                .then().statusCode(200)
                .body("tenantId", equalTo(tenant.toString()))
                .body("subject", equalTo("user-1"))
                .body("role", equalTo("editor"))
                .body("tier", equalTo("pro"));
    }

    @Test
    void apiKeyTokensCarryScopes() {
        given().auth().oauth2(InternalTokens.apiKey(tenant, "key-1", "workflows:read", "executions:run")).get(CALLER)
                .then().statusCode(200)
                .body("role", equalTo(null))
                .body("scopes.sort()", contains("executions:run", "workflows:read"));
    }

    @Test
    void rolesAndScopesDecideAccess() {
        given().auth().oauth2(InternalTokens.user(tenant, "u", "editor")).get(CALLER + "/write-workflows").then().statusCode(200);
        given().auth().oauth2(InternalTokens.user(tenant, "u", "viewer")).get(CALLER + "/write-workflows").then().statusCode(403)
                .contentType("application/problem+json").body("type", equalTo("https://weft.dev/problems/forbidden"));
        given().auth().oauth2(InternalTokens.apiKey(tenant, "k", "workflows:write")).get(CALLER + "/write-workflows").then().statusCode(200);
        given().auth().oauth2(InternalTokens.apiKey(tenant, "k", "workflows:read")).get(CALLER + "/write-workflows").then().statusCode(403);
    }

    @Test
    void identityHeadersAloneAreNotBelieved() {
        given().header("X-Tenant-Id", tenant.toString()).header("X-User-Id", "admin").header("X-Weft-Roles", "owner")
                .get(CALLER).then().statusCode(401).contentType("application/problem+json");
    }

    @Test
    void forgedOrStaleTokensAreRejected() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        String wrongKey = InternalTokens.base(tenant, "u").groups("owner").jws().algorithm(SignatureAlgorithm.ES256)
                .sign(generator.generateKeyPair().getPrivate());
        String expired = InternalTokens.base(tenant, "u").issuedAt(Instant.now().minusSeconds(600))
                .expiresAt(Instant.now().minusSeconds(300)).groups("owner").jws().algorithm(SignatureAlgorithm.ES256)
                .sign(InternalTokens.privateKey());
        String userAccessAudience = InternalTokens.base(tenant, "u").audience("weft-api").groups("owner").jws()
                .algorithm(SignatureAlgorithm.ES256).sign(InternalTokens.privateKey());
        String otherIssuer = InternalTokens.base(tenant, "u").issuer("https://weft.dev/gateway").groups("owner").jws()
                .algorithm(SignatureAlgorithm.ES256).sign(InternalTokens.privateKey());

        for (String token : new String[] {wrongKey, expired, userAccessAudience, otherIssuer, "x.y.z"}) {
            given().auth().oauth2(token).get(CALLER).then().statusCode(401).contentType("application/problem+json");
        }
    }
}
