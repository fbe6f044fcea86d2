package io.weft.credentials.crypto;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.vertx.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import io.weft.testsupport.InternalTokens;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Rotating the key-encryption key: a data key wrapped under the old key opens while the new key is
 * current, is re-wrapped under the new one, and then opens without the old key; the credential
 * stays readable throughout.
 */
@QuarkusTest
@TestProfile(KeyRotationTest.Rotated.class)
class KeyRotationTest {
    static final String OLD_KEY = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";
    static final String NEW_KEY = "ICEiIyQlJicoKSorLC0uLzAxMjM0NTY3ODk6Ozw9Pj8=";
    private static final Duration WITHIN = Duration.ofSeconds(20);

    /** The new key is current, the old one kept for unwrapping; no scheduled rotation (the test runs it). */
    public static class Rotated implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("weft.credentials.kek.local.key", NEW_KEY, "weft.credentials.kek.local.previous-keys", OLD_KEY,
                    "weft.credentials.rotation.every", "off");
        }
    }

    @Inject
    KeyRotation rotation;

    @Inject
    Pool pool;

    private final UUID tenant = UUID.randomUUID();

    private Row dataKey() {
        return pool.preparedQuery("SELECT kek_id, wrapped FROM data_keys WHERE tenant_id = $1 AND version = 1").execute(Tuple.of(tenant))
                .await().atMost(WITHIN).iterator().next();
    }

    private void resolvesTo(String id, String token) {
        given().auth().oauth2(InternalTokens.service(tenant, "executor", "credentials:resolve")).contentType(ContentType.JSON)
                .body("{\"executionId\":\"e\",\"nodeId\":\"n\"}").post("/internal/credentials/" + id + "/resolve")
                .then().statusCode(200).body("data.token", equalTo(token));
    }

    @Test
    void dataKeysWrappedUnderTheOldKeyStayReadableAndAreReWrappedUnderTheNewOne() {
        LocalKeyEncryptionKey old = new LocalKeyEncryptionKey(OLD_KEY, List.of());
        byte[] key = Aead.newKey();
        byte[] wrapped = old.wrap(tenant, key).await().atMost(WITHIN);
        pool.preparedQuery("INSERT INTO data_keys (tenant_id, version, kek_id, wrapped) VALUES ($1, 1, $2, $3)")
                .execute(Tuple.of(tenant, old.currentId(), Buffer.buffer(wrapped))).await().atMost(WITHIN);
        String id = given().auth().oauth2(InternalTokens.user(tenant, "editor-1", "editor")).contentType(ContentType.JSON)
                .body("{\"name\":\"API\",\"type\":\"httpBearerAuth\",\"data\":{\"token\":\"before-rotation\"}}")
                .post("/api/credentials").then().statusCode(201).extract().path("id");
        resolvesTo(id, "before-rotation");
        UUID stranger = UUID.randomUUID();
        pool.preparedQuery("INSERT INTO data_keys (tenant_id, version, kek_id, wrapped) VALUES ($1, 1, 'local:0000000000000000', $2)")
                .execute(Tuple.of(stranger, Buffer.buffer(new byte[60]))).await().atMost(WITHIN);

        int rewrapped = rotation.rewrapAll().await().atMost(WITHIN);

        assertThat(rewrapped).isGreaterThanOrEqualTo(1);
        LocalKeyEncryptionKey current = new LocalKeyEncryptionKey(NEW_KEY, List.of());
        Row after = dataKey();
        assertThat(after.getString("kek_id")).isEqualTo(current.currentId());
        assertThat(current.unwrap(tenant, after.getString("kek_id"), after.getBuffer("wrapped").getBytes()).await().atMost(WITHIN))
                .as("the new key alone opens it, and it is the same data key").isEqualTo(key);
        resolvesTo(id, "before-rotation");
        assertThat(rotation.rewrapAll().await().atMost(WITHIN)).as("nothing left under the old key").isZero();
        assertThat(pool.preparedQuery("SELECT kek_id FROM data_keys WHERE tenant_id = $1").execute(Tuple.of(stranger)).await().atMost(WITHIN)
                .iterator().next().getString("kek_id")).as("a key no configured key opens is passed over, not lost").isEqualTo("local:0000000000000000");
    }
}
