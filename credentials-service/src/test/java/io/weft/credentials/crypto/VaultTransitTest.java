package io.weft.credentials.crypto;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import io.weft.testsupport.InternalTokens;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The Vault transit provider through quarkus-vault, against a local stub of Vault's transit API. */
@QuarkusTest
@TestProfile(VaultTransitTest.WithVault.class)
class VaultTransitTest {
    private static final Duration WITHIN = Duration.ofSeconds(20);

    public static class WithVault implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(VaultTransitStub.class));
        }
    }

    @Inject
    Pool pool;

    @Inject
    KeyEncryptionKey kek;

    private final UUID tenant = UUID.randomUUID();

    @Test
    void dataKeysAreWrappedByVaultAndCredentialsReadBack() {
        String id = given().auth().oauth2(InternalTokens.user(tenant, "editor-1", "editor")).contentType(ContentType.JSON)
                .body("{\"name\":\"API\",\"type\":\"httpBearerAuth\",\"data\":{\"token\":\"vault-guarded\"}}")
                .post("/api/credentials").then().statusCode(201).extract().path("id");
        given().auth().oauth2(InternalTokens.service(tenant, "executor", "credentials:resolve")).contentType(ContentType.JSON)
                .body("{\"executionId\":\"e\",\"nodeId\":\"n\"}").post("/internal/credentials/" + id + "/resolve")
                .then().statusCode(200).body("data.token", equalTo("vault-guarded"));

        Row key = pool.preparedQuery("SELECT kek_id, wrapped FROM data_keys WHERE tenant_id = $1").execute(Tuple.of(tenant))
                .await().atMost(WITHIN).iterator().next();
        assertThat(key.getString("kek_id")).isEqualTo("vault:weft-credentials");
        String wrapped = new String(key.getBuffer("wrapped").getBytes(), StandardCharsets.US_ASCII);
        assertThat(wrapped).startsWith("vault:v1:");
        assertThat(VaultTransitStub.CALLS).contains("POST /v1/transit/encrypt/weft-credentials");

        byte[] dataKey = kek.unwrap(tenant, "vault:weft-credentials", key.getBuffer("wrapped").getBytes()).await().atMost(WITHIN);
        assertThat(dataKey).hasSize(32);
        assertThat(VaultTransitStub.CALLS).contains("POST /v1/transit/decrypt/weft-credentials");
        UUID other = UUID.randomUUID();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> kek.unwrap(other, "vault:weft-credentials",
                        key.getBuffer("wrapped").getBytes()).await().atMost(WITHIN))
                .as("a data key moved to another tenant does not open").isInstanceOf(Aead.Unreadable.class);
    }
}
