package io.weft.compiler;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.weft.testsupport.DependencyDownContractTest;
import io.weft.testsupport.InternalTokens;
import io.weft.testsupport.RedisDownProfile;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** compiler-service owns no database; Redis (the compiled-plan cache) is what it cannot work without. */
@QuarkusTest
@TestProfile(RedisDownProfile.class)
class CompilerRedisDownTest extends DependencyDownContractTest {
    private static final String VALID = """
            {"name":"Hello","nodes":[{"id":"start","name":"Start","type":"trigger.manual","typeVersion":1}],"connections":[]}""";

    @Override
    protected String unreachableDependency() {
        return "redis";
    }

    @Test
    void validationWorksButCompilingAnswers503() {
        String editor = InternalTokens.user(UUID.randomUUID(), "editor-1", "editor");
        given().auth().oauth2(editor).contentType(ContentType.JSON).body(VALID).post("/api/compile/validate")
                .then().statusCode(200).body("valid", equalTo(true));
        given().auth().oauth2(editor).contentType(ContentType.JSON).body(VALID).post("/api/compile")
                .then().statusCode(503).contentType("application/problem+json").header("Retry-After", "5")
                .body("type", equalTo("https://weft.dev/problems/dependency-unavailable"));
        given().auth().oauth2(editor).get("/api/compile/plans/" + "a".repeat(64)).then().statusCode(503);
    }
}
