package io.weft.credentials.resolve;

import io.weft.testsupport.TestTopics;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import io.weft.testsupport.InternalTokens;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Resolution for the executor, and for inference-service of chat-model credentials only, audited on real Kafka; stored data that was tampered with or
 * moved is an integrity error, never other plaintext.
 */
@QuarkusTest
class ResolutionTest {
    private static final Duration WITHIN = Duration.ofSeconds(20);

    @Inject
    Pool pool;

    private final UUID tenant = UUID.randomUUID();
    private final String editor = InternalTokens.user(tenant, "editor-1", "editor");
    private final String executor = InternalTokens.service(tenant, "executor", "credentials:resolve", "credentials:read");
    private final String token = "tok-" + UUID.randomUUID();
    private KafkaConsumer<String, String> audit;

    @BeforeEach
    void tapTheAuditTopic() {
        Properties properties = new Properties();
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:9092");
        properties.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        properties.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        audit = new KafkaConsumer<>(properties);
        List<TopicPartition> partitions = audit.partitionsFor(TestTopics.AUDIT, Duration.ofSeconds(10)).stream()
                .map(info -> new TopicPartition(info.topic(), info.partition())).toList();
        audit.assign(partitions);
        audit.seekToEnd(partitions);
        partitions.forEach(audit::position);
    }

    @AfterEach
    void close() throws Exception {
        audit.close();
        Path log = Path.of("target/credentials-test.log");
        if (Files.exists(log)) {
            assertThat(Files.readString(log, StandardCharsets.UTF_8)).doesNotContain(token);
        }
    }

    private String bearer() {
        return given().auth().oauth2(editor).contentType(ContentType.JSON)
                .body("{\"name\":\"API\",\"type\":\"httpBearerAuth\",\"data\":{\"token\":\"" + token + "\"}}")
                .post("/api/credentials").then().statusCode(201).extract().path("id");
    }

    private io.restassured.response.ValidatableResponse resolve(String as, String id) {
        return given().auth().oauth2(as).contentType(ContentType.JSON).body("{\"executionId\":\"exec-1\",\"nodeId\":\"http\"}")
                .post("/internal/credentials/" + id + "/resolve").then();
    }

    /** The audit events of this tenant published from now until {@code count} arrived (or time ran out). */
    private List<String> auditEvents(int count) {
        List<String> seen = new ArrayList<>();
        long deadline = System.nanoTime() + WITHIN.toNanos();
        while (seen.size() < count && System.nanoTime() < deadline) {
            for (ConsumerRecord<String, String> record : audit.poll(Duration.ofMillis(200))) {
                if (tenant.toString().equals(record.key())) {
                    seen.add(record.value());
                }
            }
        }
        return seen;
    }

    @Test
    void theExecutorGetsTheDecryptedDataAndEveryResolutionIsAudited() {
        String id = bearer();
        resolve(executor, id).statusCode(200).header("Cache-Control", "no-store")
                .body("data.token", equalTo(token)).body("type", equalTo("httpBearerAuth")).body("revision", equalTo(1));

        List<String> events = auditEvents(2);
        assertThat(events).anySatisfy(event -> assertThat(event).contains("credential.create"));
        assertThat(events).anySatisfy(event -> assertThat(event).contains("credential.resolve").contains("exec-1")
                .contains("service:executor").contains(id));
        assertThat(String.join("\n", events)).doesNotContain(token);
    }

    @Test
    void nobodyButTheExecutorResolves() {
        String id = bearer();
        resolve(editor, id).statusCode(403).contentType("application/problem+json");
        resolve(InternalTokens.user(tenant, "owner-1", "owner"), id).statusCode(403);
        resolve(InternalTokens.apiKey(tenant, "key-1", "credentials:read", "credentials:resolve"), id).statusCode(403);
        resolve(InternalTokens.service(tenant, "workflow", "credentials:resolve"), id).statusCode(403);
        resolve(InternalTokens.service(tenant, "executor", "credentials:read"), id).statusCode(403);
        resolve(InternalTokens.service(UUID.randomUUID(), "executor", "credentials:resolve"), id).statusCode(404);
        given().contentType(ContentType.JSON).body("{\"executionId\":\"e\",\"nodeId\":\"n\"}").post("/internal/credentials/" + id + "/resolve")
                .then().statusCode(401);
        resolve(executor, UUID.randomUUID().toString()).statusCode(404);
        resolve(executor, "not-an-id").statusCode(404);
        given().auth().oauth2(executor).contentType(ContentType.JSON).body("{\"executionId\":\"e\"}")
                .post("/internal/credentials/" + id + "/resolve").then().statusCode(400);
        given().auth().oauth2(executor).contentType(ContentType.JSON).body("{\"executionId\":\"e\\n\",\"nodeId\":\"" + "n".repeat(200) + "\"}")
                .post("/internal/credentials/" + id + "/resolve").then().statusCode(400);
    }

    @Test
    void updatedSecretsResolveToTheNewValueAndLeftOutOnesToTheOld() {
        String id = bearer();
        given().auth().oauth2(editor).contentType(ContentType.JSON).body("{\"name\":\"Renamed\",\"data\":{}}").put("/api/credentials/" + id)
                .then().statusCode(200);
        resolve(executor, id).statusCode(200).body("data.token", equalTo(token)).body("revision", equalTo(2));
        given().auth().oauth2(editor).contentType(ContentType.JSON).body("{\"data\":{\"token\":\"" + token + "-new\"}}")
                .put("/api/credentials/" + id).then().statusCode(200);
        resolve(executor, id).statusCode(200).body("data.token", equalTo(token + "-new"));
    }

    @Test
    void tamperedOrMovedCiphertextIsAnIntegrityErrorNeverOtherData() {
        String id = bearer();
        String other = bearer();
        pool.preparedQuery("UPDATE credentials SET ciphertext = overlay(ciphertext placing '\\x00'::bytea from 3 for 1) WHERE id = $1")
                .execute(Tuple.of(UUID.fromString(id))).await().atMost(WITHIN);
        resolve(executor, id).statusCode(500).contentType("application/problem+json").body("type", org.hamcrest.Matchers.endsWith("data-integrity"));

        // The other credential's ciphertext copied under a new revision: it is bound to its own id and revision.
        pool.preparedQuery("UPDATE credentials SET revision = revision + 1 WHERE id = $1").execute(Tuple.of(UUID.fromString(other)))
                .await().atMost(WITHIN);
        resolve(executor, other).statusCode(500).body("type", org.hamcrest.Matchers.endsWith("data-integrity"));
        given().auth().oauth2(editor).get("/api/credentials/" + other).then().statusCode(200);
    }

    @Test
    void rawRowsHoldNoPlaintextAndTheDataKeyIsWrapped() {
        bearer();
        List<Map<String, Object>> dump = new ArrayList<>();
        pool.preparedQuery("SELECT c.ciphertext, c.public_data::text AS p, k.wrapped FROM credentials c JOIN data_keys k"
                        + " ON k.tenant_id = c.tenant_id AND k.version = c.data_key_version WHERE c.tenant_id = $1")
                .execute(Tuple.of(tenant)).await().atMost(WITHIN).forEach(row -> dump.add(Map.of(
                        "c", new String(row.getBuffer("ciphertext").getBytes(), StandardCharsets.ISO_8859_1),
                        "p", row.getString("p"),
                        "k", new String(row.getBuffer("wrapped").getBytes(), StandardCharsets.ISO_8859_1))));
        assertThat(dump).hasSize(1);
        assertThat(dump.toString()).doesNotContain(token).doesNotContain(token.substring(4, 20));
    }

    @Test
    void servicesLookUpTypesOfTheTenantsCredentialsOnly() {
        String id = bearer();
        String compiler = InternalTokens.service(tenant, "compiler", "credentials:read");
        String body = "{\"ids\":[\"" + id + "\",\"" + UUID.randomUUID() + "\",\"junk\"]}";
        given().auth().oauth2(compiler).contentType(ContentType.JSON).body(body).post("/internal/credentials/lookup").then().statusCode(200)
                .body("credentials.size()", equalTo(1)).body("credentials[0].id", equalTo(id))
                .body("credentials[0].type", equalTo("httpBearerAuth"));
        given().auth().oauth2(InternalTokens.service(UUID.randomUUID(), "compiler", "credentials:read")).contentType(ContentType.JSON)
                .body(body).post("/internal/credentials/lookup").then().statusCode(200).body("credentials.size()", equalTo(0));
        given().auth().oauth2(editor).contentType(ContentType.JSON).body(body).post("/internal/credentials/lookup").then().statusCode(403);
        given().auth().oauth2(InternalTokens.service(tenant, "compiler")).contentType(ContentType.JSON).body(body)
                .post("/internal/credentials/lookup").then().statusCode(403);
        given().auth().oauth2(compiler).contentType(ContentType.JSON).body("{}").post("/internal/credentials/lookup").then().statusCode(400);
        String tooMany = "{\"ids\":[" + "\"x\",".repeat(1000) + "\"x\"]}";
        given().auth().oauth2(compiler).contentType(ContentType.JSON).body(tooMany).post("/internal/credentials/lookup").then().statusCode(400);
    }

    private io.restassured.response.ValidatableResponse resolve(String as, String id, String body) {
        return given().auth().oauth2(as).contentType(ContentType.JSON).body(body).post("/internal/credentials/" + id + "/resolve").then();
    }

    @Test
    void inferenceServiceResolvesChatModelCredentialsOnlyAndEveryTryIsAudited() {
        String llm = given().auth().oauth2(editor).contentType(ContentType.JSON)
                .body("{\"name\":\"LLM\",\"type\":\"openAiApi\",\"data\":{\"apiKey\":\"" + token + "\"}}")
                .post("/api/credentials").then().statusCode(201).extract().<String>path("id");
        String bearer = bearer();
        String inference = InternalTokens.service(tenant, "inference", "credentials:resolve");
        String purpose = "{\"purpose\":\"ask:kb-1\"}";

        resolve(inference, llm, purpose).statusCode(200).header("Cache-Control", "no-store")
                .body("type", equalTo("openAiApi")).body("data.apiKey", equalTo(token));
        resolve(inference, bearer, purpose).statusCode(403).contentType("application/problem+json")
                .body("detail", org.hamcrest.Matchers.containsString("only the credentials of chat-model providers"))
                .body("detail", org.hamcrest.Matchers.not(org.hamcrest.Matchers.containsString(token)));
        resolve(inference, llm, "{\"executionId\":\"e\",\"nodeId\":\"n\"}").statusCode(400);
        resolve(inference, llm, "{\"purpose\":\"ask\\n\"}").statusCode(400);
        resolve(InternalTokens.service(tenant, "inference", "credentials:read"), llm, purpose).statusCode(403);
        resolve(InternalTokens.service(UUID.randomUUID(), "inference", "credentials:resolve"), llm, purpose).statusCode(404);
        resolve(executor, bearer, purpose).statusCode(400);

        List<String> events = auditEvents(4);
        assertThat(events).anySatisfy(event -> assertThat(event).contains("credential.resolve").contains("SUCCESS").contains("ask:kb-1")
                .contains("service:inference").contains(llm));
        assertThat(events).anySatisfy(event -> assertThat(event).contains("credential.resolve").contains("DENIED").contains(bearer)
                .contains("httpBearerAuth"));
        assertThat(String.join("\n", events)).doesNotContain(token);
    }
}
