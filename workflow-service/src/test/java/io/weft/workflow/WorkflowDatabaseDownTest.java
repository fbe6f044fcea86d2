package io.weft.workflow;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.weft.testsupport.DatabaseDownProfile;
import io.weft.testsupport.DependencyDownContractTest;
import io.weft.testsupport.InternalTokens;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@QuarkusTest
@TestProfile(WorkflowDatabaseDownTest.Profile.class)
class WorkflowDatabaseDownTest extends DependencyDownContractTest {

    /**
     * The read model keeps retrying a batch it cannot write; under a group of its own here, so that
     * what this instance polls (and never acknowledges) does not hold up the other tests' group.
     */
    public static class Profile extends DatabaseDownProfile {
        @Override
        public java.util.Map<String, String> getConfigOverrides() {
            java.util.Map<String, String> overrides = new java.util.HashMap<>(super.getConfigOverrides());
            overrides.put("mp.messaging.incoming.execution-events.group.id", "weft-workflow-executions-database-down");
            return overrides;
        }
    }

    @Override
    protected String unreachableDependency() {
        return "postgresql";
    }

    @Test
    void workflowRequestsAnswer503NotAnError() {
        String editor = InternalTokens.user(UUID.randomUUID(), "editor-1", "editor");
        given().auth().oauth2(editor).get("/api/orchestrator/workflows")
                .then().statusCode(503).contentType("application/problem+json").header("Retry-After", "5")
                .body("type", equalTo("https://weft.dev/problems/dependency-unavailable"));
        given().auth().oauth2(editor).contentType(ContentType.JSON)
                .body("{\"definition\":{\"name\":\"x\",\"nodes\":[],\"connections\":[]}}").post("/api/orchestrator/workflows")
                .then().statusCode(503);
    }
}
