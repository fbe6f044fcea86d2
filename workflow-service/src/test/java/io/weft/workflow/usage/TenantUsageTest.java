package io.weft.workflow.usage;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import io.weft.testsupport.InternalTokens;
import io.weft.workflow.FakeCompiler;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** What the gateway's operators see of a tenant's workflows and runs (issue 19). */
@QuarkusTest
@QuarkusTestResource(value = FakeCompiler.class, restrictToAnnotatedClass = false)
class TenantUsageTest {
    private static final String USAGE = "/internal/tenant-usage";
    private final UUID tenant = UUID.randomUUID();
    private final String gateway = InternalTokens.service(null, "gateway", "tenants:usage");

    @Inject
    Pool pool;

    private void execution(String status, OffsetDateTime createdAt, boolean deleted) {
        pool.preparedQuery("INSERT INTO executions (tenant_id, id, workflow_id, status, created_at, deleted_at) VALUES ($1, $2, 'wf', $3, $4, $5)")
                .execute(Tuple.of(tenant, UUID.randomUUID().toString(), status, createdAt, deleted ? createdAt : null))
                .await().atMost(Duration.ofSeconds(10));
    }

    private String workflow(String editor) {
        String definition = "{\"name\":\"w\",\"nodes\":[{\"id\":\"start\",\"name\":\"Start\",\"type\":\"trigger.manual\",\"typeVersion\":1}],\"connections\":[]}";
        return given().auth().oauth2(editor).contentType(ContentType.JSON).body("{\"definition\":" + definition + "}")
                .post("/api/orchestrator/workflows").then().statusCode(201).extract().path("id");
    }

    @Test
    void countsWorkflowsRunsOfTheLastThirtyDaysAndRunsInFlight() {
        String editor = InternalTokens.user(tenant, "editor-1", "editor");
        String active = workflow(editor);
        workflow(editor);
        given().auth().oauth2(editor).post("/api/orchestrator/workflows/" + active + "/activate").then().statusCode(200);
        OffsetDateTime now = OffsetDateTime.now();
        execution("succeeded", now.minusDays(1), false);
        execution("failed", now.minusDays(2), true);
        execution("running", now.minusMinutes(1), false);
        execution("waiting", now.minusDays(40), false);
        execution("succeeded", now.minusDays(45), false);
        UUID empty = UUID.randomUUID();

        given().auth().oauth2(gateway).contentType(ContentType.JSON).body(Map.of("tenantIds", List.of(tenant, empty, tenant)))
                .post(USAGE).then().statusCode(200)
                .body("tenants." + tenant + ".workflows", equalTo(2))
                .body("tenants." + tenant + ".activeWorkflows", equalTo(1))
                .body("tenants." + tenant + ".executionsLast30Days", equalTo(3))
                .body("tenants." + tenant + ".executionsInFlight", equalTo(2))
                .body("tenants." + empty + ".workflows", equalTo(0))
                .body("tenants." + empty + ".executionsInFlight", equalTo(0));
    }

    @Test
    void onlyTheGatewayAsksAndBadRequestsAre400() {
        String body = "{\"tenantIds\":[\"" + tenant + "\"]}";
        for (String other : List.of(InternalTokens.service(null, "credentials", "tenants:usage"), InternalTokens.service(null, "gateway"),
                InternalTokens.user(tenant, "owner-1", "owner"))) {
            given().auth().oauth2(other).contentType(ContentType.JSON).body(body).post(USAGE).then().statusCode(403)
                    .contentType("application/problem+json");
        }
        given().contentType(ContentType.JSON).body(body).post(USAGE).then().statusCode(401);
        for (String bad : List.of("{\"tenantIds\":[]}", "{\"tenantIds\":[\"not-a-uuid\"]}", "{\"tenantIds\":[null]}", "{}", "[]", "{",
                "{\"tenantIds\":[\"" + tenant + "\"],\"tenantIds\":[]}")) {
            given().auth().oauth2(gateway).contentType(ContentType.JSON).body(bad).post(USAGE).then().statusCode(400)
                    .contentType("application/problem+json");
        }
        String tooMany = "{\"tenantIds\":[" + String.join(",", java.util.Collections.nCopies(501, "\"" + tenant + "\"")) + "]}";
        given().auth().oauth2(gateway).contentType(ContentType.JSON).body(tooMany).post(USAGE).then().statusCode(400);
    }
}
