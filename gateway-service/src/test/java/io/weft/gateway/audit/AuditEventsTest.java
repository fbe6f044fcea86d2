package io.weft.gateway.audit;

import io.weft.testsupport.TestTopics;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.weft.contracts.events.AuditEvent;
import io.weft.contracts.events.CloudEventCodec;
import io.weft.gateway.identity.TestAccounts;
import io.weft.platform.events.KafkaCloudEvents;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

/** Auth actions reach weft.audit on the real broker, as CloudEvents, without secrets or emails. */
@QuarkusTest
class AuditEventsTest {

    @Test
    void identityActionsAreAudited() {
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                "bootstrap.servers", System.getenv().getOrDefault("WEFT_KAFKA_BOOTSTRAP", "127.0.0.1:9092"),
                "group.id", "audit-test-" + UUID.randomUUID(), "enable.auto.commit", "false"),
                new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(TestTopics.AUDIT).stream()
                    .map(info -> new TopicPartition(info.topic(), info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToEnd(partitions);
            partitions.forEach(consumer::position);

            JsonPath owner = TestAccounts.signup("audited");
            String token = owner.getString("accessToken");
            String tenant = owner.getString("user.tenantId");
            String email = owner.getString("user.email");
            given().contentType(ContentType.JSON).body(Map.of("email", email, "password", "not the right one"))
                    .post("/api/auth/login").then().statusCode(401);
            TestAccounts.login(email, TestAccounts.PASSWORD);
            TestAccounts.addUser(token, "viewer");
            JsonPath key = given().auth().oauth2(token).contentType(ContentType.JSON)
                    .body(Map.of("name", "audited key", "scopes", List.of("logs:read"))).post("/api/api-keys")
                    .then().statusCode(201).extract().jsonPath();
            given().auth().oauth2(token).delete("/api/api-keys/" + key.getString("id")).then().statusCode(204);
            for (String change : List.of("suspend", "reactivate")) {
                given().auth().oauth2("test-operator-key").contentType(ContentType.JSON).body("{}")
                        .post("/api/operator/tenants/" + tenant + "/" + change).then().statusCode(200);
            }
            given().auth().oauth2("test-operator-key").contentType(ContentType.JSON).body(Map.of("tier", "pro"))
                    .put("/api/operator/tenants/" + tenant + "/tier").then().statusCode(200);
            String spent = owner.getString("refreshToken");
            for (int i = 0; i < 2; i++) {
                given().contentType(ContentType.JSON).body(Map.of("refreshToken", spent)).post("/api/auth/refresh");
            }

            KafkaCloudEvents events = new KafkaCloudEvents(new CloudEventCodec("/test"));
            List<AuditEvent> seen = new ArrayList<>();
            List<String> raw = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (System.nanoTime() < deadline && seen.stream().map(AuditEvent::action).distinct().count() < 9) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    if (events.fromRecord(record) instanceof AuditEvent audit && tenant.equals(audit.tenantId())) {
                        seen.add(audit);
                        raw.add(new String(record.value(), StandardCharsets.UTF_8));
                        assertThat(record.key()).isEqualTo(tenant);
                    }
                }
            }

            assertThat(seen).extracting(AuditEvent::action)
                    .contains("tenant.signup", "user.login", "user.create", "apikey.create", "apikey.revoke", "session.revoked");
            assertThat(seen).filteredOn(e -> e.action().startsWith("tenant.") && !e.action().equals("tenant.signup"))
                    .extracting(AuditEvent::action).containsExactlyInAnyOrder("tenant.suspend", "tenant.reactivate", "tenant.tier.change");
            assertThat(seen).filteredOn(e -> e.action().equals("tenant.tier.change")).singleElement().satisfies(change -> {
                assertThat(change.actor().type()).isEqualTo(AuditEvent.ActorType.OPERATOR);
                assertThat(change.actor().id()).isEqualTo("operator:ops");
                assertThat(change.details().toString()).contains("\"from\":\"free\"").contains("\"to\":\"pro\"");
            });
            assertThat(seen).filteredOn(e -> e.action().equals("user.login"))
                    .extracting(AuditEvent::outcome)
                    .contains(AuditEvent.Outcome.SUCCESS, AuditEvent.Outcome.FAILURE);
            assertThat(String.join("\n", raw)).doesNotContain(TestAccounts.PASSWORD).doesNotContain("not the right one")
                    .doesNotContain(email).doesNotContain(key.getString("key"));
        }
    }
}
