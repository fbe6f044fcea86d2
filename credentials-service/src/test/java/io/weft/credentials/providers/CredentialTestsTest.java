package io.weft.credentials.providers;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.weft.testsupport.InternalTokens;
import java.security.KeyPairGenerator;
import java.util.Base64;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Testing credentials against local stubs of their providers, through the real client code with configurable base URLs. */
@QuarkusTest
@QuarkusTestResource(value = ProviderStub.class, restrictToAnnotatedClass = true)
class CredentialTestsTest {
    private final UUID tenant = UUID.randomUUID();
    private final String editor = InternalTokens.user(tenant, "editor-1", "editor");

    private ValidatableResponse test(String type, String data) {
        String id = given().auth().oauth2(editor).contentType(ContentType.JSON)
                .body("{\"name\":\"Checked\",\"type\":\"" + type + "\",\"data\":" + data + "}")
                .post("/api/credentials").then().statusCode(201).extract().path("id");
        return given().auth().oauth2(editor).post("/api/credentials/" + id + "/test").then().statusCode(200);
    }

    @Test
    void aiProvidersAnswerWhetherTheKeyWorks() {
        String base = ProviderStub.address;
        test("openAiApi", "{\"apiKey\":\"sk-good\",\"baseUrl\":\"" + base + "/openai\"}").body("ok", equalTo(true)).body("tested", equalTo(true));
        test("openAiApi", "{\"apiKey\":\"sk-bad\",\"baseUrl\":\"" + base + "/openai\"}").body("ok", equalTo(false))
                .body("message", containsString("401"));
        test("googleGeminiApi", "{\"apiKey\":\"gm-good\",\"baseUrl\":\"" + base + "/gemini\"}").body("ok", equalTo(true));
        test("googleGeminiApi", "{\"apiKey\":\"gm-bad\",\"baseUrl\":\"" + base + "/gemini\"}").body("ok", equalTo(false));
        test("ollamaApi", "{\"baseUrl\":\"" + base + "/ollama\"}").body("ok", equalTo(true));
    }

    @Test
    void slackAndGoogleServiceAccountsAreAskedTheirWay() throws Exception {
        test("slackApi", "{\"botToken\":\"xoxb-good\"}").body("ok", equalTo(true)).body("message", containsString("Weft"));
        test("slackApi", "{\"botToken\":\"xoxb-bad\"}").body("ok", equalTo(false)).body("message", containsString("invalid_auth"));

        var generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        // The PEM as it sits in a service account's JSON key: lines joined by escaped newlines.
        String pem = "-----BEGIN PRIVATE KEY-----\\n" + Base64.getMimeEncoder(64, new byte[] {'\n'})
                .encodeToString(generator.generateKeyPair().getPrivate().getEncoded()).replace("\n", "\\n") + "\\n-----END PRIVATE KEY-----";
        test("googleServiceAccount", "{\"email\":\"robot@project.iam.gserviceaccount.com\",\"privateKey\":\"" + pem + "\",\"tokenUrl\":\""
                + ProviderStub.address + "/google/token\"}").body("ok", equalTo(true));
        test("googleServiceAccount", "{\"email\":\"robot@project.iam.gserviceaccount.com\",\"privateKey\":"
                + "\"-----BEGIN PRIVATE KEY-----\\nbm90IGEga2V5\\n-----END PRIVATE KEY-----\"}")
                .body("ok", equalTo(false)).body("message", containsString("cannot sign"));
    }

    @Test
    void typesWithoutAProviderSaySoAndInternalAddressesAreRefused() {
        test("httpBearerAuth", "{\"token\":\"t\"}").body("tested", equalTo(false));
        test("openAiApi", "{\"apiKey\":\"sk-good\",\"baseUrl\":\"http://169.254.169.254/latest\"}").body("ok", equalTo(false))
                .body("message", containsString("internal address"));
        String id = given().auth().oauth2(editor).contentType(ContentType.JSON)
                .body("{\"name\":\"X\",\"type\":\"httpBearerAuth\",\"data\":{\"token\":\"t\"}}").post("/api/credentials")
                .then().statusCode(201).extract().path("id");
        given().auth().oauth2(InternalTokens.user(tenant, "viewer-1", "viewer")).post("/api/credentials/" + id + "/test").then().statusCode(403);
        given().auth().oauth2(InternalTokens.user(UUID.randomUUID(), "owner-1", "owner")).post("/api/credentials/" + id + "/test")
                .then().statusCode(404);
    }
}
