package io.weft.executor.ai;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Schema;
import io.weft.contracts.json.WeftJson;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import java.util.stream.Stream;

/**
 * Answers as models really write them, read tolerantly and judged by the schema: what fits is taken
 * as it is, what is cut off or of the wrong type comes back with problems for a repair round.
 */
class StructuredAnswersTest {
    private static final Schema ORDER = StructuredAnswers.schema(json("""
            {"type":"object","required":["customer","total"],"additionalProperties":false,
             "properties":{"customer":{"type":"string"},"total":{"type":"number"},"items":{"type":"array","items":{"type":"string"}}}}"""));

    private static JsonNode json(String text) {
        try {
            return WeftJson.mapper().readTree(text);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    static Stream<Arguments> readable() {
        String value = "{\"customer\":\"Ada\",\"total\":42.5}";
        return Stream.of(
                Arguments.of("plain", value),
                Arguments.of("json fence", "```json\n" + value + "\n```"),
                Arguments.of("bare fence", "```\n" + value + "\n```"),
                Arguments.of("fence after prose", "Sure! Here is the extracted data:\n\n```json\n" + value + "\n```\nLet me know if you need more."),
                Arguments.of("prose around", "The order is " + value + " as requested."),
                Arguments.of("prose with braces first", "Fields {customer, total} are below:\n" + value),
                Arguments.of("trailing comma", "{\"customer\":\"Ada\",\"total\":42.5,}"),
                Arguments.of("single quotes", "{'customer':'Ada','total':42.5}"),
                Arguments.of("unquoted keys", "{customer: \"Ada\", total: 42.5}"),
                Arguments.of("comment", "{\"customer\":\"Ada\", // the buyer\n\"total\":42.5}"),
                Arguments.of("byte order mark", "\uFEFF" + value),
                Arguments.of("whitespace and newlines", "\n\n   " + value.replace(",", ",\n  ") + "   \n"),
                Arguments.of("braces inside strings", "Result: {\"customer\":\"Ada {the} [first]\",\"total\":42.5} done"),
                Arguments.of("escaped quote inside string", "{\"customer\":\"Ada \\\"A.\\\" L\",\"total\":42.5}"),
                Arguments.of("uppercase fence language", "```JSON\n" + value + "\n```"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("readable")
    void readsWhatModelsWrite(String name, String answer) {
        StructuredAnswers.Reading reading = StructuredAnswers.read(answer, ORDER);
        assertThat(reading.problems()).as(name).isEmpty();
        assertThat(reading.value().path("customer").asText()).startsWith("Ada");
        assertThat(reading.value().path("total").asDouble()).isEqualTo(42.5);
    }

    static Stream<Arguments> broken() {
        return Stream.of(
                Arguments.of("cut off", "{\"customer\":\"Ada\",\"total\":4", "cut off"),
                Arguments.of("cut off in a fence", "```json\n{\"customer\":\"Ada\",\"tot", "cut off"),
                Arguments.of("no JSON at all", "I could not find an order in this e-mail.", "no JSON value"),
                Arguments.of("empty", "", "no JSON value"),
                Arguments.of("number as text", "{\"customer\":\"Ada\",\"total\":\"42.5\"}", "total"),
                Arguments.of("missing required", "{\"customer\":\"Ada\"}", "total"),
                Arguments.of("extra property", "{\"customer\":\"Ada\",\"total\":1,\"note\":\"x\"}", "note"),
                Arguments.of("array of the wrong things", "{\"customer\":\"Ada\",\"total\":1,\"items\":[1,2]}", "items"),
                Arguments.of("an array, not an object", "[{\"customer\":\"Ada\",\"total\":1}]", "array"),
                Arguments.of("two values", "{\"customer\":\"Ada\",\"total\":1} {\"customer\":\"Bob\",\"total\":2}", ""));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("broken")
    void saysWhatIsWrong(String name, String answer, String mentioned) {
        StructuredAnswers.Reading reading = StructuredAnswers.read(answer, ORDER);
        if (name.equals("two values")) {
            // the first balanced value is taken: a model that answers twice meant the first
            assertThat(reading.fits()).isTrue();
            assertThat(reading.value().path("customer").asText()).isEqualTo("Ada");
            return;
        }
        assertThat(reading.fits()).as(name).isFalse();
        assertThat(String.join("; ", reading.problems())).as(name).containsIgnoringCase(mentioned);
    }

    @org.junit.jupiter.api.Test
    void topLevelArraysAndScalarsInFencesAreValuesToo() {
        Schema list = StructuredAnswers.schema(json("{\"type\":\"array\",\"items\":{\"type\":\"integer\"}}"));
        assertThat(StructuredAnswers.read("```json\n[1, 2, 3,]\n```", list).value().toString()).isEqualTo("[1,2,3]");
        assertThat(StructuredAnswers.parse("The answer is 42")).isEmpty();
        assertThat(List.of(StructuredAnswers.read(null, list).problems().get(0))).hasSize(1);
    }
}
