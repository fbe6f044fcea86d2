package io.weft.contracts.expressions;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FromAiTest {

    @Test
    void readsKeyDescriptionTypeAndDefault() {
        FromAi call = FromAi.parse(" $fromAI('city', \"the city to look up, e.g. 'Paris'\", 'string', `Lyon`) ").orElseThrow();

        assertThat(call.key()).isEqualTo("city");
        assertThat(call.description()).isEqualTo("the city to look up, e.g. 'Paris'");
        assertThat(call.type()).isEqualTo("string");
        assertThat(call.defaultValue().asText()).isEqualTo("Lyon");
        assertThat(call.optional()).isTrue();
    }

    @Test
    void onlyTheKeyIsNeededAndTheTypeIsThenAString() {
        FromAi call = FromAi.parse("$fromAI('order_id')").orElseThrow();

        assertThat(call.type()).isEqualTo("string");
        assertThat(call.description()).isEmpty();
        assertThat(call.optional()).isFalse();
        assertThat(FromAi.parse("$fromAI('limit', 'how many', 'integer', 10)").orElseThrow().defaultValue().asInt()).isEqualTo(10);
        assertThat(FromAi.parse("$fromAI('urgent', 'is it', 'boolean', false)").orElseThrow().defaultValue().asBoolean()).isFalse();
    }

    @Test
    void anythingElseIsNotACall() {
        assertThat(FromAi.parse("$fromAI()")).isEmpty();
        assertThat(FromAi.parse("$fromAI('has space')")).isEmpty();
        assertThat(FromAi.parse("$fromAI($json.key)")).isEmpty();
        assertThat(FromAi.parse("$fromAI('a', 'b', 'date')")).isEmpty();
        assertThat(FromAi.parse("$fromAI('a', 'b', 'string', 1, 2)")).isEmpty();
        assertThat(FromAi.parse("$fromAI('a') + 1")).isEmpty();
        assertThat(FromAi.parse("$fromAI('a'")).isEmpty();
        assertThat(FromAi.parse("$json.a")).isEmpty();
        assertThat(FromAi.usedIn("'x' + $fromAI('a')")).isTrue();
        assertThat(Expressions.scan("{{ $fromAI('a') }}").unknownVariables()).isEmpty();
    }

    @Test
    void aScriptsCallsWithLiteralArgumentsAreItsInputs() {
        var calls = FromAi.inSource("const total = $fromAI('a', 'the first number (a, b)', 'number') + $fromAI ( \"b\", 'the second', 'number', 0);\n"
                + "const note = $fromAI(`note`) + $fromAI('a', 'again');   // a repeated key keeps its first call\n"
                + "const computed = $fromAI(key);                          // not a literal: no input\n"
                + "return [{ json: { total, note, broken: $fromAI('open' } }];");

        assertThat(calls.keySet()).containsExactly("a", "b", "note");
        assertThat(calls.get("a").description()).isEqualTo("the first number (a, b)");
        assertThat(calls.get("b").optional()).isTrue();
        assertThat(FromAi.inSource("return $input.all();")).isEmpty();
        assertThat(FromAi.inParameters(com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode()
                .put("url", "https://x.test/{{ $fromAI('city') }}").put("raw", "$fromAI('not-an-expression')")).keySet())
                .containsExactly("city");
    }
}
