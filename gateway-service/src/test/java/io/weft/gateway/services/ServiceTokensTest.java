package io.weft.gateway.services;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import io.smallrye.jwt.algorithm.SignatureAlgorithm;
import io.smallrye.jwt.auth.principal.DefaultJWTParser;
import io.smallrye.jwt.util.KeyUtils;
import io.vertx.core.Vertx;
import io.weft.platform.security.ServiceTokens;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.junit.jupiter.api.Test;

@QuarkusTest
class ServiceTokensTest {
    @Inject
    InternalListener listener;

    /** The gateway's internal listener, where services call it. */
    private RequestSpecification internal() {
        return given().port(listener.port());
    }

    private static final String SECRET = "test-compiler-secret";

    @TestHTTPResource("/")
    URI gateway;

    private static JsonWebToken verify(String token) throws Exception {
        return new DefaultJWTParser().verify(token, KeyUtils.readPublicKey("keys/test-internal-public.pem", SignatureAlgorithm.ES256));
    }

    @Test
    void aServiceWithTheRightSecretGetsANarrowToken() throws Exception {
        UUID tenant = UUID.randomUUID();
        String token = internal().contentType(ContentType.JSON)
                .body(Map.of("service", "compiler", "secret", SECRET, "scopes", List.of("workflows:read"), "tenantId", tenant.toString()))
                .post("/internal/service-tokens").then().statusCode(200)
                .body("tokenType", equalTo("Bearer")).body("expiresIn", equalTo(60))
                .extract().path("accessToken");

        JsonWebToken jwt = verify(token);
        assertThat(jwt.getSubject()).isEqualTo("service:compiler");
        assertThat(jwt.<String>getClaim("auth")).isEqualTo("service");
        assertThat(jwt.<String>getClaim("scope")).isEqualTo("workflows:read");
        assertThat(jwt.<String>getClaim("tid")).isEqualTo(tenant.toString());
        assertThat(jwt.getGroups()).isEmpty();
    }

    @Test
    void wrongSecretsUnknownServicesAndForeignScopesAreRefused() {
        for (Map<String, Object> body : List.of(
                Map.<String, Object>of("service", "compiler", "secret", "guess"),
                Map.<String, Object>of("service", "executor", "secret", SECRET),
                Map.<String, Object>of("service", "nobody", "secret", SECRET))) {
            internal().contentType(ContentType.JSON).body(body).post("/internal/service-tokens").then().statusCode(401)
                    .contentType("application/problem+json");
        }
        internal().contentType(ContentType.JSON)
                .body(Map.of("service", "compiler", "secret", SECRET, "scopes", List.of("credentials:write")))
                .post("/internal/service-tokens").then().statusCode(403).contentType("application/problem+json");
        internal().contentType(ContentType.JSON).body(Map.of("service", "Compiler!", "secret", SECRET))
                .post("/internal/service-tokens").then().statusCode(400);
    }

    /** The public listener has no internal endpoint, whatever the caller sends (issue 19). */
    @Test
    void thePublicListenerServesNoInternalEndpoint() {
        for (String path : List.of("/internal/service-tokens", "/internal/tenant-tiers", "/internal/anything")) {
            given().contentType(ContentType.JSON).body(Map.of("service", "compiler", "secret", SECRET)).post(path)
                    .then().statusCode(404).contentType("application/problem+json");
        }
        internal().get("/api/users/me").then().statusCode(404).contentType("application/problem+json");
    }

    @Test
    void thePlatformClientFetchesAndReusesTokens() throws Exception {
        Vertx vertx = Vertx.vertx();
        URI internalAddress = URI.create("http://127.0.0.1:" + listener.port());
        try (ServiceTokens tokens = new ServiceTokens(vertx, internalAddress, "compiler", SECRET, List.of(), Clock.systemUTC())) {
            String first = tokens.token(Optional.empty()).await().atMost(Duration.ofSeconds(10));
            String again = tokens.token(Optional.empty()).await().atMost(Duration.ofSeconds(10));
            String forTenant = tokens.token(Optional.of(UUID.randomUUID())).await().atMost(Duration.ofSeconds(10));

            assertThat(again).isSameAs(first);
            assertThat(forTenant).isNotEqualTo(first);
            assertThat(verify(first).<String>getClaim("scope")).isEqualTo("credentials:read workflows:read");
            assertThat(verify(first).<String>getClaim("tid")).isNull();
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get();
        }
    }
}
