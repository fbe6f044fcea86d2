package io.weft.executor.nodes.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.weft.contracts.json.WeftJson;
import io.weft.executor.engine.NodeFailure;
import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class ConditionsTest {

    static Condition condition(String left, String operator, String right) throws Exception {
        return bound(WeftJson.mapper().readTree("{\"left\":" + left + ",\"operator\":\"" + operator + "\",\"right\":" + right + "}"));
    }

    /** As If binds it: with the descriptor's defaults. */
    static Condition bound(JsonNode condition) {
        return new IfNode().bind("test", WeftJson.mapper().createObjectNode().set("conditions",
                WeftJson.mapper().createArrayNode().add(condition))).conditions().get(0);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "10         | gt          | 9         | true",
            "\"10\"     | gt          | 9         | true",
            "\"abc\"    | gt          | \"abd\"   | false",
            "\"2026-01-02T00:00:00Z\" | gt | \"2026-01-01T23:59:59Z\" | true",
            "1.0        | equals      | 1         | true",
            "\"Ada\"    | equals      | \"ada\"   | false",
            "[1,2,3]    | contains    | 2         | true",
            "\"hello\"  | contains    | \"ell\"   | true",
            "\"hello\"  | notContains | \"xyz\"   | true",
            "\"\"       | isEmpty     | null      | true",
            "{}         | isEmpty     | null      | true",
            "[0]        | isNotEmpty  | null      | true",
            "null       | exists      | null      | false",
            "true       | isTrue      | null      | true",
            "\"false\"  | isFalse     | null      | true",
            "\"a-123\"  | matchesRegex | \"^a-\\\\d+$\" | true"})
    void evaluates(String left, String operator, String right, boolean expected) throws Exception {
        assertThat(Conditions.holds(condition(left, operator, right))).isEqualTo(expected);
    }

    @Test
    void caseCanBeIgnored() throws Exception {
        JsonNode condition = WeftJson.mapper().readTree("{\"left\":\"Ada\",\"operator\":\"equals\",\"right\":\"ADA\",\"caseSensitive\":false}");
        assertThat(Conditions.holds(bound(condition))).isTrue();
    }

    @Test
    void aMissingValueDoesNotExist() throws Exception {
        JsonNode condition = WeftJson.mapper().readTree("{\"operator\":\"notExists\"}");
        assertThat(Conditions.holds(bound(condition))).isTrue();
    }

    @Test
    void catastrophicBacktrackingIsStoppedQuickly() throws Exception {
        Condition evil = condition("\"" + "a".repeat(5000) + "!\"", "matchesRegex", "\"^(a+)+$\"");
        long started = System.nanoTime();
        assertThatThrownBy(() -> Conditions.holds(evil)).isInstanceOf(NodeFailure.class).hasMessageContaining("takes too long");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
    }

    @Test
    void badRegularExpressionsAndComparisonsAreClearErrors() throws Exception {
        assertThatThrownBy(() -> Conditions.holds(condition("\"x\"", "matchesRegex", "\"(\""))).hasMessageContaining("not a regular expression");
        assertThatThrownBy(() -> Conditions.holds(condition("null", "gt", "1"))).hasMessageContaining("cannot compare null");
    }
}
