package io.weft.workflow.approvals;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
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

/** An approval's signed links: a GET shows, only a POST decides, once; a forged link decides nothing. */
@QuarkusTest
@QuarkusTestResource(value = FakeCompiler.class, restrictToAnnotatedClass = false)
class ApprovalLinksTest {
    private final UUID tenant = UUID.randomUUID();
    private final String executor = InternalTokens.service(tenant, "executor", "executions:run");
    private final String viewer = InternalTokens.user(tenant, "vic", "viewer");
    private ExecutionsKafka kafka;

    @BeforeEach
    void connect() {
        kafka = new ExecutionsKafka();
    }

    @AfterEach
    void disconnect() {
        kafka.close();
    }

    /** An approval opened with links, as Slack's or Gmail's send and wait opens it; answers the open answer. */
    private JsonPath open(String message) {
        String execution = "exec-" + UUID.randomUUID();
        String body = "{\"executionId\":\"" + execution + "\",\"workflowId\":\"" + UUID.randomUUID() + "\",\"nodeId\":\"ask\","
                + "\"nodeName\":\"Ask\",\"message\":" + io.weft.contracts.json.WeftJson.mapper().valueToTree(message) + ",\"approvers\":{},"
                + "\"requiredApprovals\":1,\"allowSelfApproval\":false,\"form\":[],\"expiresAt\":\"" + Instant.now().plusSeconds(3600)
                + "\",\"links\":true}";
        return given().auth().oauth2(executor).contentType(ContentType.JSON).body(body).post("/internal/approvals")
                .then().statusCode(200).extract().jsonPath();
    }

    private static String path(String link) {
        return link.substring(link.indexOf("/approvals/respond/"));
    }

    @Test
    void aGetOnlyShowsAndThePostDecidesOnce() {
        JsonPath opened = open("Publish the <b>post</b> & notify?");
        String approve = opened.getString("links.approve");
        assertThat(approve).startsWith("http://127.0.0.1:8080/approvals/respond/");
        assertThat(opened.getString("links.reject")).isNotEqualTo(approve);

        for (int i = 0; i < 3; i++) { // a mail scanner fetching the link, then the person opening it
            given().get(path(approve)).then().statusCode(200).contentType(containsString("text/html"))
                    .header("Content-Security-Policy", containsString("default-src 'none'"))
                    .body(containsString("Publish the &lt;b&gt;post&lt;/b&gt; &amp; notify?")).body(not(containsString("<b>post")))
                    .body(containsString("<form method=\"post\">"));
        }
        given().auth().oauth2(viewer).get("/api/orchestrator/approvals/" + opened.getString("id")).then().body("status", equalTo("pending"));

        given().post(path(approve)).then().statusCode(200).body(containsString("Approved"));
        given().auth().oauth2(viewer).get("/api/orchestrator/approvals/" + opened.getString("id")).then()
                .body("status", equalTo("approved")).body("decisions[0].decidedBy", equalTo("link"));
        ExecutionControl.ApprovalDecided told = kafka.first(ExecutionControl.ApprovalDecided.class, opened.getString("executionId"),
                Duration.ofSeconds(10));
        assertThat(told.decision()).isEqualTo(ExecutionControl.Decision.APPROVED);

        given().post(path(approve)).then().statusCode(409).body(containsString("approved"));
        given().post(path(opened.getString("links.reject"))).then().statusCode(409);
        given().get(path(opened.getString("links.reject"))).then().statusCode(409).body(containsString("approved already"));
    }

    @Test
    void theRejectLinkRejectsAndForgedLinksDecideNothing() {
        JsonPath opened = open("Refund?");
        String reject = path(opened.getString("links.reject"));
        String token = reject.substring("/approvals/respond/".length());
        String payload = token.substring(0, token.indexOf('.'));
        String signature = token.substring(token.indexOf('.') + 1);
        String asApprove = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(new String(java.util.Base64.getUrlDecoder()
                .decode(payload)).replace(" reject", " approve").getBytes());
        for (String forged : new String[] {asApprove + "." + signature, payload + ".AAAA", "nonsense", payload, "a.b.c", "x".repeat(500)}) {
            given().post("/approvals/respond/" + forged).then().statusCode(404).body(containsString("not valid"));
            given().get("/approvals/respond/" + forged).then().statusCode(404);
        }
        given().auth().oauth2(viewer).get("/api/orchestrator/approvals/" + opened.getString("id")).then().body("status", equalTo("pending"));

        given().post(reject).then().statusCode(200).body(containsString("Rejected"));
        given().auth().oauth2(viewer).get("/api/orchestrator/approvals/" + opened.getString("id")).then().body("status", equalTo("rejected"));
    }
}
