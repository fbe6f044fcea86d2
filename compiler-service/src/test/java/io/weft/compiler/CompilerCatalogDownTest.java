package io.weft.compiler;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.weft.testsupport.DatabaseDownProfile;
import io.weft.testsupport.InternalTokens;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Without a catalog the compiler cannot check anything: it says so with a 503, never a guess. */
@QuarkusTest
@TestProfile(CompilerCatalogDownTest.ExecutorDown.class)
class CompilerCatalogDownTest {

    public static class ExecutorDown implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("weft.compiler.executor-url", "http://" + DatabaseDownProfile.UNREACHABLE);
        }
    }

    @Test
    void answers503WhenNoCatalogWasEverFetched() {
        String editor = InternalTokens.user(UUID.randomUUID(), "editor-1", "editor");
        given().auth().oauth2(editor).contentType(ContentType.JSON)
                .body("{\"name\":\"x\",\"nodes\":[],\"connections\":[]}").post("/api/compile/validate")
                .then().statusCode(503).contentType("application/problem+json")
                .body("type", equalTo("https://weft.dev/problems/dependency-unavailable"));
    }
}
