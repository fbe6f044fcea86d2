package io.weft.contracts.expressions;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ExpressionsTest {

    @Test
    void findsEveryExpressionAndTheNodesItReads() {
        Expressions.Scan scan = Expressions.scan("Hi {{ $json.name }}, total {{ $node[\"Order total\"].json.sum }} and {{ $('It\\'s').first() }}");

        assertThat(scan.syntaxError()).isNull();
        assertThat(scan.expressions()).hasSize(3);
        assertThat(scan.referencedNodes()).containsExactly("Order total", "It's");
        assertThat(scan.unknownVariables()).isEmpty();
    }

    @Test
    void bracesAndQuotesInsideAnExpressionDoNotEndIt() {
        Expressions.Scan scan = Expressions.scan("{{ ({a: {b: '}}'}}).a.b + \"{{\" + `}}` }} tail");

        assertThat(scan.syntaxError()).isNull();
        assertThat(scan.expressions()).containsExactly("({a: {b: '}}'}}).a.b + \"{{\" + `}}`");
        assertThat(scan.spans().get(0).start()).isZero();
        assertThat(scan.spans().get(0).end()).isEqualTo(scan.spans().get(0).source().length() + 6);
    }

    @Test
    void dollarSignsInStringsAndMemberNamesAreNotVariables() {
        Expressions.Scan scan = Expressions.scan("{{ '$price: ' + $json.$meta + price$ + $now.toISO() }}");

        assertThat(scan.unknownVariables()).isEmpty();
    }

    @Test
    void reportsWhatIsBroken() {
        assertThat(Expressions.scan("{{ $json.a").syntaxError()).contains("never closed");
        assertThat(Expressions.scan("{{ $json.a( }}").syntaxError()).contains("unbalanced");
        assertThat(Expressions.scan("{{ 'open }}").syntaxError()).contains("unterminated string");
        assertThat(Expressions.scan("{{ [1, 2 }}").syntaxError()).contains("unbalanced");
        assertThat(Expressions.scan("{{}}").syntaxError()).contains("empty");
        assertThat(Expressions.scan("{{ $secrets.key }}").unknownVariables()).containsExactly("$secrets");
    }

    @Test
    void textWithoutExpressionsIsLeftAlone() {
        assertThat(Expressions.mayHoldExpression("plain } and }} text")).isFalse();
        assertThat(Expressions.scan("a }} b").expressions()).isEmpty();
    }
}
