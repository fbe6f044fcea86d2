package io.weft.gateway.services;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.aMapWithSize;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import io.weft.gateway.identity.TestAccounts;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@QuarkusTest
class TenantTiersTest {
    @Inject
    InternalListener listener;

    /** The gateway's internal listener, where services call it. */
    private RequestSpecification internal() {
        return given().port(listener.port());
    }

    private static final String SECRET = "test-logs-secret";

    @Test
    void aServiceWithTheScopeLearnsTheTiersOfTenantsThatExist() {
        String tenant = TestAccounts.signup("tiers").getString("user.tenantId");
        String unknown = UUID.randomUUID().toString();

        internal().contentType(ContentType.JSON)
                .body(Map.of("service", "logs", "secret", SECRET, "tenantIds", List.of(tenant, unknown, tenant)))
                .post("/internal/tenant-tiers").then().statusCode(200)
                .body("tiers", aMapWithSize(1))
                .body("tiers." + tenant, equalTo("free"))
                .body("suspended", org.hamcrest.Matchers.empty());

        given().auth().oauth2("test-operator-key").contentType(ContentType.JSON).body("{}")
                .post("/api/operator/tenants/" + tenant + "/suspend").then().statusCode(200);
        internal().contentType(ContentType.JSON)
                .body(Map.of("service", "logs", "secret", SECRET, "tenantIds", List.of(tenant)))
                .post("/internal/tenant-tiers").then().statusCode(200)
                .body("suspended", org.hamcrest.Matchers.contains(tenant));
    }

    @Test
    void wrongSecretsAndServicesWithoutTheScopeAreRefused() {
        List<String> tenants = List.of(UUID.randomUUID().toString());
        internal().contentType(ContentType.JSON).body(Map.of("service", "logs", "secret", "guess", "tenantIds", tenants))
                .post("/internal/tenant-tiers").then().statusCode(401).contentType("application/problem+json");
        internal().contentType(ContentType.JSON).body(Map.of("service", "compiler", "secret", "test-compiler-secret", "tenantIds", tenants))
                .post("/internal/tenant-tiers").then().statusCode(403).contentType("application/problem+json");
    }

    @Test
    void malformedAndOversizedRequestsAre400() {
        for (Object body : List.<Object>of(
                Map.of("service", "logs", "secret", SECRET, "tenantIds", List.of()),
                Map.of("service", "logs", "secret", SECRET, "tenantIds", List.of("not-a-uuid")),
                Map.of("service", "logs", "secret", SECRET, "tenantIds", Collections.nCopies(501, UUID.randomUUID().toString())),
                Map.of("service", "logs", "secret", SECRET),
                "[1,2]")) {
            internal().contentType(ContentType.JSON).body(body).post("/internal/tenant-tiers").then().statusCode(400)
                    .contentType("application/problem+json");
        }
    }
}
