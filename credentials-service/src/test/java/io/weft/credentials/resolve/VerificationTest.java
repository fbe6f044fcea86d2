package io.weft.credentials.resolve;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.weft.contracts.json.WeftJson;
import io.weft.testsupport.InternalTokens;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Webhook credentials checked where the secret lives: header token, basic, HMAC with a timestamp. */
@QuarkusTest
class VerificationTest {
    private final UUID tenant = UUID.randomUUID();
    private final String editor = InternalTokens.user(tenant, "editor-1", "editor");
    private final String workflow = InternalTokens.service(tenant, "workflow", "credentials:verify");

    private String create(String type, String data) {
        return given().auth().oauth2(editor).contentType(ContentType.JSON)
                .body("{\"name\":\"Hook\",\"type\":\"" + type + "\",\"data\":" + data + "}")
                .post("/api/credentials").then().statusCode(201).extract().path("id");
    }

    private ValidatableResponse verify(String as, String id, Map<String, String> headers, String bodySha256) throws Exception {
        var body = WeftJson.mapper().createObjectNode();
        body.set("headers", WeftJson.mapper().valueToTree(headers));
        body.put("bodySha256", bodySha256);
        return given().auth().oauth2(as).contentType(ContentType.JSON).body(body.toString())
                .post("/internal/credentials/" + id + "/verify").then();
    }

    private static String sha256(String body) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void aHeaderTokenAndBasicCredentialsMatchOnlyWhenRight() throws Exception {
        String header = create("httpHeaderAuth", "{\"name\":\"X-Hook-Token\",\"value\":\"t0ken-value\"}");
        verify(workflow, header, Map.of("x-hook-token", "t0ken-value"), null).statusCode(200).body("valid", equalTo(true));
        verify(workflow, header, Map.of("x-hook-token", "t0ken-valuE"), null).statusCode(200).body("valid", equalTo(false))
                .body("reason", containsString("X-Hook-Token"));
        verify(workflow, header, Map.of(), null).statusCode(200).body("valid", equalTo(false));

        String basic = create("httpBasicAuth", "{\"user\":\"hook\",\"password\":\"pa:ss\"}");
        String right = "Basic " + Base64.getEncoder().encodeToString("hook:pa:ss".getBytes(StandardCharsets.UTF_8));
        verify(workflow, basic, Map.of("authorization", right), null).statusCode(200).body("valid", equalTo(true));
        for (String wrong : new String[] {"Basic " + Base64.getEncoder().encodeToString("hook:pass".getBytes(StandardCharsets.UTF_8)),
                "Basic !!!", "Bearer x", "Basic " + Base64.getEncoder().encodeToString("nocolon".getBytes(StandardCharsets.UTF_8))}) {
            verify(workflow, basic, Map.of("authorization", wrong), null).statusCode(200).body("valid", equalTo(false));
        }
    }

    @Test
    void anHmacSignatureMustCoverTheBodyAndARecentTimestamp() throws Exception {
        String id = create("hmacSecret", "{\"secret\":\"a-shared-secret-of-some-length\"}");
        String digest = sha256("{\"order\":1}");
        long now = Instant.now().getEpochSecond();
        String signature = "v1=" + HexFormat.of().formatHex(WebhookSignatures.mac("a-shared-secret-of-some-length", "sha256", now + "." + digest));

        verify(workflow, id, Map.of("x-weft-timestamp", String.valueOf(now), "x-weft-signature", signature), digest)
                .statusCode(200).body("valid", equalTo(true));
        verify(workflow, id, Map.of("x-weft-timestamp", String.valueOf(now), "x-weft-signature", signature), sha256("{\"order\":2}"))
                .statusCode(200).body("valid", equalTo(false)).body("reason", containsString("signature"));
        verify(workflow, id, Map.of("x-weft-timestamp", String.valueOf(now + 1), "x-weft-signature", signature), digest)
                .statusCode(200).body("valid", equalTo(false));
        long old = now - 600;
        String oldSignature = "v1=" + HexFormat.of().formatHex(WebhookSignatures.mac("a-shared-secret-of-some-length", "sha256", old + "." + digest));
        verify(workflow, id, Map.of("x-weft-timestamp", String.valueOf(old), "x-weft-signature", oldSignature), digest)
                .statusCode(200).body("valid", equalTo(false)).body("reason", containsString("5 minutes"));
        verify(workflow, id, Map.of("x-weft-timestamp", "yesterday", "x-weft-signature", signature), digest)
                .statusCode(200).body("valid", equalTo(false));
        verify(workflow, id, Map.of(), digest).statusCode(200).body("valid", equalTo(false));
    }

    @Test
    void onlyWorkflowServiceVerifiesAndOnlyWithinItsTenant() throws Exception {
        String id = create("httpHeaderAuth", "{\"name\":\"X-Hook-Token\",\"value\":\"t0ken-value\"}");
        verify(editor, id, Map.of(), null).statusCode(403);
        verify(InternalTokens.service(tenant, "executor", "credentials:verify"), id, Map.of(), null).statusCode(403);
        verify(InternalTokens.service(tenant, "workflow", "credentials:read"), id, Map.of(), null).statusCode(403);
        verify(InternalTokens.service(UUID.randomUUID(), "workflow", "credentials:verify"), id, Map.of(), null).statusCode(404);
        verify(workflow, "nope", Map.of(), null).statusCode(404);
        given().auth().oauth2(workflow).contentType(ContentType.JSON).body("{}").post("/internal/credentials/" + id + "/verify")
                .then().statusCode(400);
        String bearer = create("httpBearerAuth", "{\"token\":\"x\"}");
        verify(workflow, bearer, Map.of(), null).statusCode(409);
    }
}
