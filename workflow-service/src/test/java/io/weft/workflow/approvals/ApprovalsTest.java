package io.weft.workflow.approvals;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.weft.contracts.events.ExecutionControl;
import io.weft.testsupport.InternalTokens;
import io.weft.workflow.FakeCompiler;
import io.weft.workflow.executions.ExecutionsKafka;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Approvals against real PostgreSQL, the executors' side played by service tokens, the commands read from real Kafka. */
@QuarkusTest
@QuarkusTestResource(value = FakeCompiler.class, restrictToAnnotatedClass = false)
class ApprovalsTest {
    private static final String APPROVALS = "/api/orchestrator/approvals";
    private static final Duration WITHIN = Duration.ofSeconds(10);

    @jakarta.inject.Inject
    io.vertx.mutiny.sqlclient.Pool pool;

    private final UUID tenant = UUID.randomUUID();
    private final String starter = InternalTokens.user(tenant, "starter", "editor");
    private final String executor = InternalTokens.service(tenant, "executor", "executions:run");
    private ExecutionsKafka kafka;

    @BeforeEach
    void connect() {
        kafka = new ExecutionsKafka();
    }

    @AfterEach
    void disconnect() {
        kafka.close();
    }

    private String user(String id, String role) {
        return InternalTokens.user(tenant, id, role);
    }

    /** A run the starter started (so the read model knows who did), waiting at an approval the executor opens. */
    private String open(String approvers, int required, String form, Instant expiresAt) {
        String definition = "{\"name\":\"Refunds\",\"nodes\":[{\"id\":\"start\",\"name\":\"Start\",\"type\":\"trigger.manual\",\"typeVersion\":1}],"
                + "\"connections\":[]}";
        String workflow = given().auth().oauth2(starter).contentType(ContentType.JSON).body("{\"definition\":" + definition + "}")
                .post("/api/orchestrator/workflows").then().statusCode(201).extract().path("id");
        given().auth().oauth2(starter).post("/api/orchestrator/workflows/" + workflow + "/activate").then().statusCode(200);
        String execution = given().auth().oauth2(starter).contentType(ContentType.JSON).body("{\"triggerNodeId\":\"start\"}")
                .post("/api/orchestrator/workflows/" + workflow + "/run").then().statusCode(202).extract().path("executionId");
        String body = "{\"executionId\":\"" + execution + "\",\"workflowId\":\"" + workflow + "\",\"nodeId\":\"gate\",\"nodeName\":\"Gate\","
                + "\"message\":\"Refund 120 EUR?\",\"approvers\":" + approvers + ",\"requiredApprovals\":" + required
                + ",\"allowSelfApproval\":false,\"form\":" + form + ",\"expiresAt\":\"" + expiresAt + "\"}";
        String id = given().auth().oauth2(executor).contentType(ContentType.JSON).body(body).post("/internal/approvals")
                .then().statusCode(200).body("status", equalTo("pending")).body("requestedBy", equalTo("starter")).extract().path("id");
        given().auth().oauth2(executor).contentType(ContentType.JSON).body(body).post("/internal/approvals")
                .then().statusCode(200).body("id", equalTo(id));
        return id;
    }

    private String later() {
        return Instant.now().plusSeconds(3600).toString();
    }

    private io.restassured.response.ValidatableResponse decide(String token, String id, String decision, String rest) {
        return given().auth().oauth2(token).contentType(ContentType.JSON).body("{\"decision\":\"" + decision + "\"" + rest + "}")
                .post(APPROVALS + "/" + id + "/decision").then();
    }

    @Test
    void twoOfThreeApprovalsWinOverOneRejectionAndTheRunIsTold() {
        String id = open("{\"users\":[\"ana\",\"ben\",\"cy\"]}", 2, "[]", Instant.parse(later()));
        String cy = user("cy", "viewer");
        given().auth().oauth2(cy).queryParam("status", "pending").queryParam("mine", true).get(APPROVALS).then().statusCode(200)
                .body("items.id", hasItem(id));
        given().auth().oauth2(user("dan", "admin")).queryParam("mine", true).get(APPROVALS).then().statusCode(200)
                .body("items.id", not(hasItem(id)));

        decide(user("ana", "editor"), id, "approve", ",\"comment\":\"fine\"").statusCode(200).body("status", equalTo("pending"));
        decide(user("ben", "editor"), id, "reject", ",\"comment\":\"too much\"").statusCode(200).body("status", equalTo("pending"));
        decide(user("ben", "editor"), id, "approve", "").statusCode(409).contentType("application/problem+json");
        decide(user("dan", "owner"), id, "approve", "").statusCode(403);
        String execution = decide(cy, id, "approve", "").statusCode(200).body("status", equalTo("approved"))
                .body("decisions.decidedBy", equalTo(java.util.List.of("ana", "ben", "cy")))
                .body("decisions[1].comment", equalTo("too much")).extract().path("executionId");

        ExecutionControl.ApprovalDecided told = kafka.first(ExecutionControl.ApprovalDecided.class, execution, WITHIN);
        assertThat(told.approvalId()).isEqualTo(id);
        assertThat(told.nodeId()).isEqualTo("gate");
        assertThat(told.decision()).isEqualTo(ExecutionControl.Decision.APPROVED);
        decide(user("ana", "editor"), id, "reject", "").statusCode(409).body("detail", containsString("approved"));
        given().auth().oauth2(cy).queryParam("mine", true).get(APPROVALS).then().statusCode(200).body("items.id", not(hasItem(id)));
        given().auth().oauth2(executor).contentType(ContentType.JSON).body("{\"executionId\":\"" + execution + "\",\"nodeId\":\"gate\"}")
                .post("/internal/approvals/settle").then().statusCode(200).body("status", equalTo("approved"));
    }

    @Test
    void tooFewNamedApproversLeftIsARejectionAndWithoutNamesOneRejects() {
        String named = open("{\"users\":[\"ana\",\"ben\"]}", 2, "[]", Instant.parse(later()));
        decide(user("ana", "editor"), named, "reject", "").statusCode(200).body("status", equalTo("rejected"));
        String anyone = open("{}", 2, "[]", Instant.parse(later()));
        decide(user("ana", "editor"), anyone, "approve", "").statusCode(200).body("status", equalTo("pending"));
        decide(user("ben", "admin"), anyone, "reject", "").statusCode(200).body("status", equalTo("rejected"));
        decide(user("vic", "viewer"), open("{}", 1, "[]", Instant.parse(later())), "approve", "").statusCode(403);
    }

    @Test
    void whoStartedTheRunMayNotApproveIt() {
        String id = open("{}", 1, "[]", Instant.parse(later()));
        decide(starter, id, "approve", "").statusCode(403).body("detail", containsString("started the run"));
        given().auth().oauth2(starter).queryParam("mine", true).get(APPROVALS).then().statusCode(200).body("items.id", not(hasItem(id)));
        decide(user("ana", "editor"), id, "approve", "").statusCode(200).body("status", equalTo("approved"));
    }

    @Test
    void anotherOrganisationsApprovalIsNotFound() {
        String id = open("{}", 1, "[]", Instant.parse(later()));
        String stranger = InternalTokens.user(UUID.randomUUID(), "ana", "owner");
        given().auth().oauth2(stranger).get(APPROVALS + "/" + id).then().statusCode(404).contentType("application/problem+json");
        decide(stranger, id, "approve", "").statusCode(404);
        given().auth().oauth2(stranger).get(APPROVALS).then().statusCode(200).body("items", hasSize(0));
        given().auth().oauth2(user("ana", "viewer")).get(APPROVALS + "/" + id).then().statusCode(200).body("message", equalTo("Refund 120 EUR?"));
    }

    @Test
    void theTimeLimitWinsOverALateDecision() {
        String id = open("{}", 1, "[]", Instant.now().plusMillis(1500));
        String execution = given().auth().oauth2(starter).get(APPROVALS + "/" + id).then().extract().path("executionId");
        try {
            Thread.sleep(1600);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        given().auth().oauth2(starter).get(APPROVALS + "/" + id).then().body("status", equalTo("timed_out"));
        decide(user("ana", "editor"), id, "approve", "").statusCode(409).body("detail", containsString("timed out"));
        given().auth().oauth2(executor).contentType(ContentType.JSON).body("{\"executionId\":\"" + execution + "\",\"nodeId\":\"gate\"}")
                .post("/internal/approvals/settle").then().statusCode(200).body("status", equalTo("timed_out"));
        given().auth().oauth2(starter).queryParam("status", "timed_out").get(APPROVALS).then().body("items.id", hasItem(id));
    }

    @Test
    void theFormIsFilledAsItSays() {
        String id = open("{}", 1, "[{\"name\":\"amount\",\"type\":\"number\",\"required\":true},{\"name\":\"note\"}]", Instant.parse(later()));
        String ana = user("ana", "editor");
        decide(ana, id, "approve", "").statusCode(400).body("violations.field", hasItem("formValues.amount"));
        decide(ana, id, "approve", ",\"formValues\":{\"amount\":\"12\"}").statusCode(400);
        decide(ana, id, "approve", ",\"formValues\":{\"amount\":12,\"evil\":1}").statusCode(400).body("violations.field", hasItem("formValues.evil"));
        decide(ana, id, "approve", ",\"formValues\":[1]").statusCode(400);
        decide(ana, id, "approve", ",\"formValues\":{\"amount\":12,\"note\":\"ok\"}").statusCode(200)
                .body("status", equalTo("approved")).body("decisions[0].formValues.amount", equalTo(12));
    }

    @Test
    void badRequestsAreProblemsAndOnlyTheExecutorOpensApprovals() {
        String id = open("{}", 1, "[]", Instant.parse(later()));
        String ana = user("ana", "editor");
        decide(ana, id, "maybe", "").statusCode(400);
        given().auth().oauth2(ana).contentType(ContentType.JSON).body("{").post(APPROVALS + "/" + id + "/decision").then().statusCode(400);
        given().auth().oauth2(ana).contentType(ContentType.JSON).body("{\"decision\":\"approve\"}").post(APPROVALS + "/not-a-uuid/decision")
                .then().statusCode(404);
        decide(ana, id, "approve", ",\"comment\":\"" + "x".repeat(2001) + "\"").statusCode(400);
        given().auth().oauth2(ana).queryParam("status", "<script>").get(APPROVALS).then().statusCode(400);
        given().auth().oauth2(ana).contentType(ContentType.JSON).body("{}").post("/internal/approvals").then().statusCode(403);
        given().auth().oauth2(InternalTokens.service(tenant, "inference", "executions:run")).contentType(ContentType.JSON).body("{}")
                .post("/internal/approvals").then().statusCode(403);
        given().auth().oauth2(executor).contentType(ContentType.JSON).body("{\"executionId\":\"x\"}").post("/internal/approvals").then().statusCode(400);
        given().auth().oauth2(executor).contentType(ContentType.JSON).body("{}").post("/internal/approvals/settle").then().statusCode(400);
        given().auth().oauth2(executor).contentType(ContentType.JSON).body("{\"executionId\":\"none\",\"nodeId\":\"gate\"}")
                .post("/internal/approvals/settle").then().statusCode(404);
    }

    @Test
    void anApprovalWhoseRunEndedIsCancelledAndNothingCanBeDecided() {
        String id = open("{}", 1, "[]", Instant.parse(later()));
        String execution = given().auth().oauth2(starter).get(APPROVALS + "/" + id).then().extract().path("executionId");
        pool.preparedQuery("UPDATE executions SET status = 'cancelled' WHERE id = $1").execute(io.vertx.mutiny.sqlclient.Tuple.of(execution))
                .await().atMost(WITHIN); // as the executor's ExecutionCancelled makes it in the read model

        given().auth().oauth2(starter).get(APPROVALS + "/" + id).then().body("status", equalTo("cancelled"));
        decide(user("ana", "editor"), id, "approve", "").statusCode(409).body("detail", containsString("cancelled"));
        given().auth().oauth2(user("ana", "editor")).queryParam("mine", true).get(APPROVALS).then().body("items.id", not(hasItem(id)));
        given().auth().oauth2(executor).contentType(ContentType.JSON).body("{\"executionId\":\"" + execution + "\",\"nodeId\":\"gate\"}")
                .post("/internal/approvals/settle").then().statusCode(200).body("status", equalTo("cancelled"));
    }
}

