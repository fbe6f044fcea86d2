package io.weft.executor.expressions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.weft.contracts.json.WeftJson;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ExpressionEvaluatorTest {
    private final ExpressionEvaluator evaluator = new ExpressionEvaluator();

    static JsonNode json(String text) {
        try {
            return WeftJson.mapper().readTree(text);
        } catch (Exception e) {
            throw new IllegalArgumentException(text, e);
        }
    }

    static ExpressionScope scope(String item, Map<String, String> nodes) {
        return new ExpressionScope() {
            public JsonNode json() { return ExpressionEvaluatorTest.json(item); }
            public JsonNode firstInput() { return ExpressionEvaluatorTest.json(item); }
            public Optional<JsonNode> nodeJson(String name) { return Optional.ofNullable(nodes.get(name)).map(ExpressionEvaluatorTest::json); }
            public String executionId() { return "exec-1"; }
            public String workflowId() { return "wf-1"; }
            public JsonNode vars() { return ExpressionEvaluatorTest.json("{\"region\":\"eu\"}"); }
            public Instant now() { return Instant.parse("2026-11-26T10:00:00Z"); }
        };
    }

    private JsonNode resolve(String value, String item) {
        return evaluator.resolve(json(value), scope(item, Map.of("Fetch", "{\"status\":200,\"body\":{\"ids\":[4,5]}}")));
    }

    @Test
    void pathsKeepTheirJsonType() {
        String item = "{\"a\":{\"b\":[10,{\"c\":true}]},\"first name\":\"Ada\",\"n\":null}";
        assertThat(resolve("\"{{ $json.a.b[0] }}\"", item)).isEqualTo(json("10"));
        assertThat(resolve("\"{{ $json.a.b[1].c }}\"", item)).isEqualTo(json("true"));
        assertThat(resolve("\"{{ $json['first name'] }}\"", item)).isEqualTo(json("\"Ada\""));
        assertThat(resolve("\"{{ $json.a }}\"", item)).isEqualTo(json("{\"b\":[10,{\"c\":true}]}"));
        assertThat(resolve("\"{{ $json.zzz.yyy }}\"", item)).isEqualTo(json("null"));
        assertThat(resolve("\"{{ $node[\\\"Fetch\\\"].json.body.ids[1] }}\"", item)).isEqualTo(json("5"));
        assertThat(resolve("\"{{ $('Fetch').first().json.status }}\"", item)).isEqualTo(json("200"));
        assertThat(resolve("\"{{$workflow.id}}\"", item)).isEqualTo(json("\"wf-1\""));
    }

    @Test
    void textAroundExpressionsMakesText() {
        assertThat(resolve("\"id {{ $json.a.b[0] }} / {{ $json.n }} / {{ $json.a.b }} in {{ $vars.region }}\"", "{\"a\":{\"b\":[1]},\"n\":null}"))
                .isEqualTo(json("\"id 1 /  / [1] in eu\""));
    }

    @Test
    void objectsAndArraysAreResolvedInside() {
        JsonNode parameters = json("{\"url\":\"https://x/{{ $json.id }}\",\"headers\":{\"X-Run\":\"{{ $execution.id }}\"},\"plain\":[1,\"two\"]}");
        JsonNode resolved = evaluator.resolve(parameters, scope("{\"id\":9}", Map.of()));
        assertThat(resolved).isEqualTo(json("{\"url\":\"https://x/9\",\"headers\":{\"X-Run\":\"exec-1\"},\"plain\":[1,\"two\"]}"));
        assertThat(parameters.get("url").asText()).contains("{{");
        JsonNode untouched = json("{\"a\":[1,{\"b\":\"c\"}]}");
        assertThat(evaluator.resolve(untouched, scope("{}", Map.of()))).isSameAs(untouched);
    }

    @Test
    void whatIsNotAPathIsRefusedWithTheExpression() {
        for (String script : new String[] {"$json.a + 1", "$json.name.toUpperCase()", "$now.toISO()", "$jsonx", "Math.max(1,2)",
                "$node[\"Fetch\"].json.a[$json.i]"}) {
            assertThatThrownBy(() -> resolve("\"{{ " + script.replace("\"", "\\\"") + " }}\"", "{}"))
                    .isInstanceOf(ExpressionException.class).hasMessageContaining("more than a property path");
        }
        assertThatThrownBy(() -> resolve("\"{{ $node['Nobody'].json.x }}\"", "{}")).hasMessageContaining("\"Nobody\" has no output");
        assertThatThrownBy(() -> resolve("\"{{ $json.a \"", "{}")).hasMessageContaining("never closed");
    }
}
