package io.weft.credentials.manage;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.weft.credentials.FakeWorkflowService;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import io.weft.testsupport.InternalTokens;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Credentials CRUD over real PostgreSQL: validation, masking, encryption at rest, tenancy, roles, hostile input. */
@QuarkusTest
@QuarkusTestResource(value = FakeWorkflowService.class, restrictToAnnotatedClass = false)
class CredentialsApiTest {
    static final String CREDENTIALS = "/api/credentials";
    static final Duration WITHIN = Duration.ofSeconds(20);

    @Inject
    Pool pool;

    final UUID tenant = UUID.randomUUID();
    final String editor = InternalTokens.user(tenant, "editor-1", "editor");
    final String viewer = InternalTokens.user(tenant, "viewer-1", "viewer");
    final String password = "pw-" + UUID.randomUUID();

    String basic(String name, String secret) {
        return "{\"name\":\"" + name + "\",\"type\":\"httpBasicAuth\",\"data\":{\"user\":\"alice\",\"password\":\"" + secret + "\"}}";
    }

    String create(String body) {
        return given().auth().oauth2(editor).contentType(ContentType.JSON).body(body).post(CREDENTIALS)
                .then().statusCode(201).extract().path("id");
    }

    Row row(String id) {
        return pool.preparedQuery("SELECT nonce, ciphertext, public_data::text AS public_data, secrets_set, revision FROM credentials"
                + " WHERE id = $1").execute(Tuple.of(UUID.fromString(id))).await().atMost(WITHIN).iterator().next();
    }

    /** Whatever a test did, the service never wrote a secret value to its log. */
    @AfterEach
    void noSecretInTheLog() throws Exception {
        Path log = Path.of("target/credentials-test.log");
        if (Files.exists(log)) {
            assertThat(Files.readString(log, StandardCharsets.UTF_8)).doesNotContain(password);
        }
    }

    @Test
    void theTypesAreServedWithTheirSchemasAndSecretFields() {
        given().auth().oauth2(viewer).get(CREDENTIALS + "/types").then().statusCode(200)
                .body("types", hasSize(13))
                .body("types.find { it.type == 'httpBasicAuth' }.secretFields", equalTo(java.util.List.of("password")))
                .body("types.find { it.type == 'openAiApi' }.schema.properties.apiKey.writeOnly", equalTo(true))
                .body("types.type", hasItem("googleServiceAccount"));
        given().auth().oauth2(viewer).get(CREDENTIALS + "/types/slackApi").then().statusCode(200).body("secretFields[0]", equalTo("botToken"));
        given().auth().oauth2(viewer).get(CREDENTIALS + "/types/nope").then().statusCode(404).contentType("application/problem+json");
        given().get(CREDENTIALS + "/types").then().statusCode(401);
    }

    @Test
    void aCredentialIsStoredEncryptedAndShownWithoutItsSecrets() {
        Response created = given().auth().oauth2(editor).contentType(ContentType.JSON).body(basic("Shop API", password)).post(CREDENTIALS);
        created.then().statusCode(201).header("Location", containsString("/api/credentials/"))
                .body("name", equalTo("Shop API")).body("type", equalTo("httpBasicAuth")).body("data.user", equalTo("alice"))
                .body("data.password", nullValue()).body("secretsSet", equalTo(java.util.List.of("password"))).body("revision", equalTo(1));
        assertThat(created.asString()).doesNotContain(password);
        String id = created.path("id");

        String shown = given().auth().oauth2(viewer).get(CREDENTIALS + "/" + id).then().statusCode(200).extract().asString();
        assertThat(shown).doesNotContain(password).contains("alice");
        String listed = given().auth().oauth2(viewer).get(CREDENTIALS).then().statusCode(200).body("items", hasSize(1)).extract().asString();
        assertThat(listed).doesNotContain(password);

        Row row = row(id);
        byte[] secret = password.getBytes(StandardCharsets.UTF_8);
        assertThat(new String(row.getBuffer("ciphertext").getBytes(), StandardCharsets.ISO_8859_1)).doesNotContain(password);
        assertThat(row.getString("public_data")).doesNotContain(password).contains("alice");
        assertThat(row.getBuffer("nonce").getBytes()).hasSize(12);
        assertThat(row.getBuffer("ciphertext").length()).isGreaterThan(secret.length);
        Row key = pool.preparedQuery("SELECT kek_id, wrapped FROM data_keys WHERE tenant_id = $1").execute(Tuple.of(tenant))
                .await().atMost(WITHIN).iterator().next();
        assertThat(key.getString("kek_id")).startsWith("local:");
        assertThat(key.getBuffer("wrapped").length()).as("nonce + 32-byte key + tag").isEqualTo(12 + 32 + 16);
    }

    @Test
    void twoWritesOfTheSameDataNeverShareANonceOrCiphertext() {
        String first = create(basic("One", password));
        String second = create(basic("Two", password));
        assertThat(row(first).getBuffer("nonce").getBytes()).isNotEqualTo(row(second).getBuffer("nonce").getBytes());
        assertThat(row(first).getBuffer("ciphertext").getBytes()).isNotEqualTo(row(second).getBuffer("ciphertext").getBytes());
    }

    @Test
    void viewersReadOnlyAndOtherTenantsSeeNothing() {
        String id = create(basic("Mine", password));
        given().auth().oauth2(viewer).contentType(ContentType.JSON).body(basic("Viewer's", "x")).post(CREDENTIALS).then().statusCode(403);
        given().auth().oauth2(viewer).contentType(ContentType.JSON).body("{\"name\":\"x\"}").put(CREDENTIALS + "/" + id).then().statusCode(403);
        given().auth().oauth2(viewer).delete(CREDENTIALS + "/" + id).then().statusCode(403);

        String stranger = InternalTokens.user(UUID.randomUUID(), "owner-2", "owner");
        given().auth().oauth2(stranger).get(CREDENTIALS + "/" + id).then().statusCode(404).contentType("application/problem+json");
        given().auth().oauth2(stranger).contentType(ContentType.JSON).body("{\"name\":\"x\"}").put(CREDENTIALS + "/" + id).then().statusCode(404);
        given().auth().oauth2(stranger).delete(CREDENTIALS + "/" + id).then().statusCode(404);
        given().auth().oauth2(stranger).get(CREDENTIALS).then().statusCode(200).body("items", hasSize(0));

        String readKey = InternalTokens.apiKey(tenant, "key-1", "credentials:read");
        given().auth().oauth2(readKey).get(CREDENTIALS + "/" + id).then().statusCode(200);
        given().auth().oauth2(readKey).delete(CREDENTIALS + "/" + id).then().statusCode(403);
        given().get(CREDENTIALS).then().statusCode(401);
    }

    @Test
    void badDataIsAClearProblemThatNeverEchoesTheSecret() {
        given().auth().oauth2(editor).contentType(ContentType.JSON)
                .body("{\"name\":\"x\",\"type\":\"httpBasicAuth\",\"data\":{\"user\":\"alice\"}}").post(CREDENTIALS)
                .then().statusCode(400).contentType("application/problem+json").body("violations.field", hasItem("data/password"));
        String extra = given().auth().oauth2(editor).contentType(ContentType.JSON)
                .body("{\"name\":\"x\",\"type\":\"httpBasicAuth\",\"data\":{\"user\":\"alice\",\"password\":\"" + password
                        + "\",\"other\":\"" + password + "\"}}").post(CREDENTIALS)
                .then().statusCode(400).extract().asString();
        assertThat(extra).doesNotContain(password);
        String tooLong = given().auth().oauth2(editor).contentType(ContentType.JSON)
                .body("{\"name\":\"x\",\"type\":\"httpHeaderAuth\",\"data\":{\"name\":\"" + password + " bad header\",\"value\":\"v\"}}")
                .post(CREDENTIALS).then().statusCode(400).extract().asString();
        assertThat(tooLong).doesNotContain(password);
        given().auth().oauth2(editor).contentType(ContentType.JSON).body("{\"name\":\"x\",\"type\":\"nope\",\"data\":{}}").post(CREDENTIALS)
                .then().statusCode(400).body("violations[0].field", equalTo("type"));
        given().auth().oauth2(editor).contentType(ContentType.JSON).body("{\"name\":\"x\",\"type\":\"httpBasicAuth\",\"data\":[1]}")
                .post(CREDENTIALS).then().statusCode(400);
        given().auth().oauth2(editor).contentType(ContentType.JSON).body("{\"name\":\"a\\u0000b\",\"type\":\"httpBasicAuth\",\"data\":{}}")
                .post(CREDENTIALS).then().statusCode(400).body("violations[0].field", equalTo("name"));
        given().auth().oauth2(editor).contentType(ContentType.JSON).body("{\"name\":\"" + "n".repeat(201) + "\",\"type\":\"httpBasicAuth\"}")
                .post(CREDENTIALS).then().statusCode(400);
        given().auth().oauth2(editor).contentType(ContentType.JSON).body("{\"name\":").post(CREDENTIALS)
                .then().statusCode(400).contentType("application/problem+json");
        given().auth().oauth2(editor).contentType(ContentType.JSON).body("null").post(CREDENTIALS).then().statusCode(400);
        given().auth().oauth2(editor).contentType(ContentType.JSON).body(basic("x", "p".repeat(70_000))).post(CREDENTIALS)
                .then().statusCode(413);
        given().auth().oauth2(editor).contentType(ContentType.TEXT).body("x").post(CREDENTIALS).then().statusCode(415);
        given().auth().oauth2(editor).get(CREDENTIALS + "/not-an-id").then().statusCode(404);
        given().auth().oauth2(editor).get(CREDENTIALS + "/';DROP-TABLE-credentials;--").then().statusCode(404);
        given().auth().oauth2(editor).queryParam("limit", "0").get(CREDENTIALS).then().statusCode(400);
        given().auth().oauth2(editor).queryParam("cursor", "garbage!").get(CREDENTIALS).then().statusCode(400);
        given().auth().oauth2(editor).queryParam("cursor", java.util.Base64.getUrlEncoder().encodeToString("123|not-a-uuid".getBytes()))
                .get(CREDENTIALS).then().statusCode(400);
        given().auth().oauth2(editor).queryParam("type", "nope").get(CREDENTIALS).then().statusCode(400);
    }

    @Test
    void listsArePagedNewestChangeFirstAndFilteredByType() {
        create(basic("A", password));
        create(basic("B", password));
        create("{\"name\":\"C\",\"type\":\"httpBearerAuth\",\"data\":{\"token\":\"" + password + "\"}}");
        String cursor = given().auth().oauth2(viewer).queryParam("limit", "2").get(CREDENTIALS).then().statusCode(200)
                .body("items.name", equalTo(java.util.List.of("C", "B"))).extract().path("nextCursor");
        given().auth().oauth2(viewer).queryParam("limit", "2").queryParam("cursor", cursor).get(CREDENTIALS).then().statusCode(200)
                .body("items.name", equalTo(java.util.List.of("A"))).body("nextCursor", nullValue());
        given().auth().oauth2(viewer).queryParam("type", "httpBearerAuth").get(CREDENTIALS).then().statusCode(200)
                .body("items", hasSize(1)).body("items[0].secretsSet[0]", equalTo("token"));
    }

    @Test
    void changesKeepSecretsLeftOutBumpTheRevisionAndDeleteIsFinal() {
        String id = create(basic("Before", password));
        given().auth().oauth2(editor).contentType(ContentType.JSON).body("{\"name\":\"After\"}").put(CREDENTIALS + "/" + id)
                .then().statusCode(200).body("name", equalTo("After")).body("revision", equalTo(2)).body("secretsSet[0]", equalTo("password"));
        given().auth().oauth2(editor).contentType(ContentType.JSON).body("{\"data\":{\"user\":\"bob\"}}").put(CREDENTIALS + "/" + id)
                .then().statusCode(200).body("data.user", equalTo("bob")).body("revision", equalTo(3)).body("secretsSet[0]", equalTo("password"));
        given().auth().oauth2(editor).contentType(ContentType.JSON).body("{}").put(CREDENTIALS + "/" + id).then().statusCode(400);
        given().auth().oauth2(editor).contentType(ContentType.JSON).body("{\"data\":{\"user\":\"\"}}").put(CREDENTIALS + "/" + id)
                .then().statusCode(400);
        // A key twice is refused, not read with the last one winning (issue 19).
        given().auth().oauth2(editor).contentType(ContentType.JSON).body("{\"name\":\"Shown\",\"name\":\"Renamed\"}")
                .put(CREDENTIALS + "/" + id).then().statusCode(400).contentType("application/problem+json")
                .body("detail", org.hamcrest.Matchers.containsString("'name' appears twice"));
        given().auth().oauth2(editor).contentType(ContentType.JSON).body("{\"data\":{\"user\":\"a\",\"user\":\"b\"}}")
                .put(CREDENTIALS + "/" + id).then().statusCode(400);
        assertThat(row(id).getInteger("revision")).isEqualTo(3);

        given().auth().oauth2(editor).delete(CREDENTIALS + "/" + id).then().statusCode(204);
        given().auth().oauth2(editor).get(CREDENTIALS + "/" + id).then().statusCode(404);
        given().auth().oauth2(editor).delete(CREDENTIALS + "/" + id).then().statusCode(404);
    }

    @Test
    void aCredentialInUseByAnActiveWorkflowIsNotDeleted() {
        String id = create(basic("Used", password));
        FakeWorkflowService.USES.put(id, new io.vertx.core.json.JsonArray().add(new io.vertx.core.json.JsonObject()
                .put("workflowId", "wf-1").put("name", "Billing sync").put("activeVersion", 3)));
        given().auth().oauth2(editor).delete(CREDENTIALS + "/" + id).then().statusCode(409).contentType("application/problem+json")
                .body("detail", containsString("Billing sync (wf-1, version 3)"));
        FakeWorkflowService.USES.remove(id);
        FakeWorkflowService.DOWN.add(id);
        given().auth().oauth2(editor).delete(CREDENTIALS + "/" + id).then().statusCode(503);
        given().auth().oauth2(editor).get(CREDENTIALS + "/" + id).then().statusCode(200);
        FakeWorkflowService.DOWN.remove(id);
        given().auth().oauth2(editor).delete(CREDENTIALS + "/" + id).then().statusCode(204);
    }
}
