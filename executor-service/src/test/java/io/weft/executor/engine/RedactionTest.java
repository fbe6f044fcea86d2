package io.weft.executor.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.weft.contracts.json.WeftJson;
import java.util.List;
import org.junit.jupiter.api.Test;

class RedactionTest {
    private static JsonNode json(String text) throws Exception {
        return WeftJson.mapper().readTree(text);
    }

    @Test
    void secretFieldsAreReplacedAndTheRestIsLeft() throws Exception {
        Redaction redaction = Redaction.of(List.of(
                json("{\"name\":\"X-Api-Key\",\"value\":\"header-secret-1\"}"),
                json("{\"clientId\":\"client-123456\",\"clientSecret\":\"cs-abcdef\",\"accessTokenUrl\":\"https://example.com/token\","
                        + "\"tokens\":{\"accessToken\":\"ya29.access\",\"refreshToken\":\"1//refresh\",\"tokenType\":\"Bearer\"}}"),
                json("{\"password\":\"short\"}")));

        assertThat(redaction.apply("X-Api-Key: header-secret-1, Bearer ya29.access from client-123456 at https://example.com/token"))
                .isEqualTo("X-Api-Key: [redacted], Bearer [redacted] from client-123456 at https://example.com/token");
        assertThat(redaction.apply("short cs-abcdef 1//refresh")).isEqualTo("short [redacted] [redacted]");
        assertThat(redaction.apply(json("{\"list\":[\"ya29.access\",1],\"ya29.access\":{\"kept\":\"plain\"}}")).toString())
                .isEqualTo("{\"list\":[\"[redacted]\",1],\"[redacted]\":{\"kept\":\"plain\"}}");
        assertThat(Redaction.of(List.of(json("{\"user\":\"someone\"}"))).isEmpty()).isTrue();
    }
}
