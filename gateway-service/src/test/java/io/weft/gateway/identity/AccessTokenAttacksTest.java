package io.weft.gateway.identity;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.jwt.build.Jwt;
import io.smallrye.jwt.build.JwtClaimsBuilder;
import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.time.Instant;
import java.util.Base64;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Every way an access token can be forged or stale answers 401 with a problem body. */
@QuarkusTest
class AccessTokenAttacksTest {
    private String subject;
    private String tenant;

    @BeforeEach
    void signUp() {
        var session = TestAccounts.signup("attacks");
        subject = session.getString("user.id");
        tenant = session.getString("user.tenantId");
    }

    @Test
    void aGenuineTokenIsAccepted() {
        assertAccepted(claims(UnaryOperator.identity()).sign());
    }

    @Test
    void tamperedPayloadIsRejected() {
        String[] parts = claims(UnaryOperator.identity()).sign().split("\\.");
        String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
                .replace("\"owner\"", "\"admin\"");
        assertRejected(parts[0] + "." + b64(payload) + "." + parts[2]);
    }

    @Test
    void expiredTokenIsRejected() {
        assertRejected(claims(c -> c.issuedAt(Instant.now().minusSeconds(3600)).expiresAt(Instant.now().minusSeconds(1800))).sign());
    }

    @Test
    void unsignedAlgNoneTokenIsRejected() {
        String genuine = claims(UnaryOperator.identity()).sign();
        String payload = genuine.split("\\.")[1];
        assertRejected(b64("{\"alg\":\"none\",\"typ\":\"JWT\"}") + "." + payload + ".");
    }

    @Test
    void tokenSignedWithAnotherKeyIsRejected() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        PrivateKey foreign = generator.generateKeyPair().getPrivate();
        assertRejected(claims(UnaryOperator.identity()).sign(foreign));
    }

    @Test
    void tokenFromAnotherIssuerIsRejected() {
        assertRejected(claims(c -> c.issuer("https://evil.example.com")).sign());
    }

    @Test
    void tokenForAnotherAudienceIsRejected() {
        assertRejected(claims(c -> c.audience("another-api")).sign());
    }

    @Test
    void garbageAndMissingTokensAreRejected() {
        assertRejected("not-a-jwt");
        assertRejected("a.b.c");
        given().get("/api/users/me").then().statusCode(401).contentType("application/problem+json");
        given().header("Authorization", "Basic dXNlcjpwYXNz").get("/api/users/me").then().statusCode(401);
    }

    private JwtClaimsBuilder claims(UnaryOperator<JwtClaimsBuilder> change) {
        JwtClaimsBuilder builder = Jwt.issuer("https://weft.dev/gateway")
                .audience("weft-api")
                .subject(subject)
                .groups(Set.of("owner"))
                .claim("tid", tenant)
                .claim("tier", "free")
                .issuedAt(Instant.now())
                .expiresAt(Instant.now().plusSeconds(600));
        return change.apply(builder);
    }

    private static void assertAccepted(String token) {
        given().auth().oauth2(token).get("/api/users/me").then().statusCode(200);
    }

    private static void assertRejected(String token) {
        given().auth().oauth2(token).get("/api/users/me").then().statusCode(401)
                .contentType("application/problem+json")
                .body("type", equalTo("https://weft.dev/problems/unauthorized"));
    }

    private static String b64(String text) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }
}
