package io.weft.workflow.webhooks;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.vertx.core.json.JsonObject;
import io.weft.contracts.events.ExecutionRequested;
import io.weft.workflow.FakeCompiler;
import io.weft.workflow.executions.KafkaApiTest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Authenticated webhooks: credentials-service (stood in for) says whether the call's credentials
 * match; the secret header never reaches the execution, and an HMAC signature is accepted once
 * (real Redis, real Kafka).
 */
@QuarkusTest
@QuarkusTestResource(value = FakeCompiler.class, restrictToAnnotatedClass = false)
class WebhookAuthenticationTest extends KafkaApiTest {
    private static final String WORKFLOWS = "/api/orchestrator/workflows";

    private final String credential = UUID.randomUUID().toString();

    private String address(String authentication, String slot) {
        String hook = "{\"id\":\"hook\",\"name\":\"Hook\",\"type\":\"trigger.webhook\",\"typeVersion\":1,\"parameters\":{\"method\":\"POST\","
                + "\"path\":\"in\",\"respond\":\"immediately\",\"authentication\":\"" + authentication + "\"},"
                + "\"credentials\":{\"" + slot + "\":{\"id\":\"" + credential + "\"}}}";
        String definition = "{\"name\":\"Guarded\",\"nodes\":[{\"id\":\"manual\",\"name\":\"Manual\",\"type\":\"trigger.manual\",\"typeVersion\":1},"
                + hook + "],\"connections\":[]}";
        String id = given().auth().oauth2(editor).contentType(ContentType.JSON).body("{\"definition\":" + definition + "}")
                .post(WORKFLOWS).then().statusCode(201).extract().path("id");
        given().auth().oauth2(editor).post(WORKFLOWS + "/" + id + "/activate").then().statusCode(200);
        List<Map<String, Object>> hooks = given().auth().oauth2(editor).get(WORKFLOWS + "/" + id + "/webhooks").then().statusCode(200)
                .extract().path("webhooks");
        return (String) hooks.get(0).get("url");
    }

    private JsonObject lastVerification() {
        return FakeCompiler.VERIFICATIONS.stream().filter(asked -> credential.equals(asked.getString("credentialId")))
                .reduce((first, second) -> second).orElseThrow();
    }

    @Test
    void aCallWithTheRightHeaderTokenRunsWithoutItAndAWrongOneIsRefused() throws Exception {
        String url = address("headerToken", "httpHeaderAuth");
        FakeCompiler.VERDICTS.put(credential, "{\"valid\":true,\"header\":\"x-hook-token\"}");
        String execution = given().header("X-Hook-Token", "hook-secret").contentType(ContentType.JSON).body("{\"a\":1}").post(url)
                .then().statusCode(202).extract().path("executionId");
        ExecutionRequested request = kafka.requestFor(execution, WITHIN);
        assertThat(request.triggerData().path("headers").has("x-hook-token")).as("the secret header stays out").isFalse();
        assertThat(request.triggerData().toString()).doesNotContain("hook-secret");
        assertThat(lastVerification().getJsonObject("headers").getString("x-hook-token")).isEqualTo("hook-secret");
        assertThat(lastVerification().getString("bodySha256")).isEqualTo(HexFormat.of().formatHex(
                MessageDigest.getInstance("SHA-256").digest("{\"a\":1}".getBytes(StandardCharsets.UTF_8))));

        FakeCompiler.VERDICTS.put(credential, "{\"valid\":false,\"reason\":\"the X-Hook-Token header is missing or wrong\",\"header\":\"x-hook-token\"}");
        given().header("X-Hook-Token", "guess").contentType(ContentType.JSON).body("{}").post(url).then().statusCode(401)
                .contentType("application/problem+json").body("detail", containsString("X-Hook-Token"));
    }

    @Test
    void aBasicCallThroughTheGatewayIsCheckedWithTheCallersAuthorizationAndRunsWithoutIt() {
        String url = address("basic", "httpBasicAuth");
        FakeCompiler.VERDICTS.put(credential, "{\"valid\":true,\"header\":\"authorization\"}");
        // The gateway hands on the caller's Authorization as X-Forwarded-Authorization.
        String execution = given().header("X-Forwarded-Authorization", "Basic aG9vazpzZWNyZXQ=").contentType(ContentType.JSON)
                .body("{\"a\":1}").post(url).then().statusCode(202).extract().path("executionId");
        assertThat(lastVerification().getJsonObject("headers").getString("authorization")).isEqualTo("Basic aG9vazpzZWNyZXQ=");
        assertThat(lastVerification().getJsonObject("headers").containsKey("x-forwarded-authorization")).isFalse();
        ExecutionRequested request = kafka.requestFor(execution, WITHIN);
        assertThat(request.triggerData().toString()).doesNotContain("aG9vazpzZWNyZXQ=");
    }

    @Test
    void aWrongBasicCallIsAskedForCredentials() {
        String url = address("basic", "httpBasicAuth");
        FakeCompiler.VERDICTS.put(credential, "{\"valid\":false,\"reason\":\"basic credentials are missing or wrong\"}");
        given().contentType(ContentType.JSON).body("{}").post(url).then().statusCode(401)
                .header("WWW-Authenticate", containsString("Basic"));
    }

    @Test
    void anHmacSignatureIsAcceptedOnceAndAReplayIsRefused() {
        String url = address("hmac", "hmacSecret");
        FakeCompiler.VERDICTS.put(credential, "{\"valid\":true}");
        String signature = "v1=" + UUID.randomUUID().toString().replace("-", "");
        given().header("X-Weft-Timestamp", "1").header("X-Weft-Signature", signature).contentType(ContentType.JSON).body("{}").post(url)
                .then().statusCode(202);
        given().header("X-Weft-Timestamp", "1").header("X-Weft-Signature", signature).contentType(ContentType.JSON).body("{}").post(url)
                .then().statusCode(401).body("detail", containsString("replay"));
        given().header("X-Weft-Timestamp", "1").header("X-Weft-Signature", signature + "0").contentType(ContentType.JSON).body("{}").post(url)
                .then().statusCode(202);
    }

    @Test
    void aCredentialThatIsGoneOrUncheckableRefusesTheCall() {
        String url = address("headerToken", "httpHeaderAuth");
        FakeCompiler.VERDICTS.remove(credential);
        given().contentType(ContentType.JSON).body("{}").post(url).then().statusCode(503).contentType("application/problem+json");
    }
}
