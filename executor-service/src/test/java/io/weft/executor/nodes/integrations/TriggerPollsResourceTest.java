package io.weft.executor.nodes.integrations;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.greaterThan;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.weft.testsupport.InternalTokens;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The internal endpoint workflow-service asks for polling triggers' looks: for it alone, and only for polling triggers. */
@QuarkusTest
class TriggerPollsResourceTest {
    private static final String LOOK = "{\"workflowId\":\"w1\",\"nodeId\":\"mail\",\"type\":\"trigger.gmail\",\"typeVersion\":1,"
            + "\"parameters\":{},\"credentialId\":null,\"state\":null}";
    private final UUID tenant = UUID.randomUUID();
    private final String workflow = InternalTokens.service(tenant, "workflow", "executions:run");

    @Test
    void aFirstLookStartsTheClock() {
        given().auth().oauth2(workflow).contentType(ContentType.JSON).body(LOOK).post("/internal/trigger-polls")
                .then().statusCode(200).body("items", empty()).body("state.after", greaterThan(0));
    }

    @Test
    void onlyWorkflowServiceAsksAndOnlyForPollingTriggers() {
        given().auth().oauth2(InternalTokens.user(tenant, "owner-1", "owner")).contentType(ContentType.JSON).body(LOOK)
                .post("/internal/trigger-polls").then().statusCode(403);
        given().auth().oauth2(InternalTokens.service(tenant, "inference", "executions:run")).contentType(ContentType.JSON).body(LOOK)
                .post("/internal/trigger-polls").then().statusCode(403);
        given().contentType(ContentType.JSON).body(LOOK).post("/internal/trigger-polls").then().statusCode(401);
        given().auth().oauth2(workflow).contentType(ContentType.JSON).body(LOOK.replace("trigger.gmail", "core.httpRequest"))
                .post("/internal/trigger-polls").then().statusCode(400).contentType("application/problem+json")
                .body("detail", containsString("is not a polling trigger"));
        for (String bad : new String[] {"{}", "[]", "{", "{\"workflowId\":7}"}) {
            given().auth().oauth2(workflow).contentType(ContentType.JSON).body(bad).post("/internal/trigger-polls")
                    .then().statusCode(400).contentType("application/problem+json");
        }
        given().auth().oauth2(workflow).contentType(ContentType.JSON).body(LOOK.replace("\"state\":null", "\"state\":{\"after\":1}"))
                .post("/internal/trigger-polls").then().statusCode(409).body("detail", containsString("CREDENTIALS"));
    }
}
