package io.weft.executor.engine;

import static io.weft.executor.engine.TestPlans.plan;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.weft.contracts.events.ErrorKind;
import io.weft.contracts.json.WeftJson;
import io.weft.contracts.workflow.OnError;
import io.weft.executor.expressions.ExpressionEvaluator;
import io.weft.executor.nodes.NodeCatalog;
import io.weft.executor.nodes.CoreNodeTypes;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class PlanRunnerTest {
    static final PlanRunner RUNNER = new PlanRunner(new NodeCatalog(CoreNodeTypes.ALL), new ExpressionEvaluator());
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-26T10:00:00Z"), ZoneOffset.UTC);

    static Item item(String json) {
        try {
            return Item.of((ObjectNode) WeftJson.mapper().readTree(json));
        } catch (Exception e) {
            throw new IllegalArgumentException(json, e);
        }
    }

    static ExecutionOutcome run(TestPlans plan, Item... items) {
        return RUNNER.run(plan.build(), new RunInput("tenant-1", "exec-1", "wf-1", null, List.of(items),
                WeftJson.mapper().createObjectNode().put("region", "eu"), CLOCK));
    }

    static List<String> json(ExecutionOutcome outcome, String node, String port) {
        return outcome.node(node).output().port(port).stream().map(i -> i.json().toString()).toList();
    }

    @Test
    void setShapesEveryItemWithExpressions() {
        ExecutionOutcome outcome = run(plan()
                .node("start", "trigger.manual", "{}")
                .node("shape", "core.set", """
                        {"fields":[{"name":"customer.email","value":"{{ $json.email }}"},
                                   {"name":"greeting","value":"Hello {{ $json.name }} from {{ $vars.region }}"},
                                   {"name":"run","value":"{{ $execution.id }}"},
                                   {"name":"count","value":"{{ $json.n }}"},
                                   {"name":"missing","value":"{{ $json.nope.deeper }}"}],
                         "remove":["email"]}""")
                .connect("start", "main", "shape", "main"),
                item("{\"name\":\"Ada\",\"email\":\"ada@example.com\",\"n\":3}"), item("{\"name\":\"Bo\",\"n\":4}"));

        assertThat(outcome.succeeded()).isTrue();
        assertThat(json(outcome, "shape", "main")).containsExactly(
                "{\"name\":\"Ada\",\"n\":3,\"customer\":{\"email\":\"ada@example.com\"},\"greeting\":\"Hello Ada from eu\",\"run\":\"exec-1\",\"count\":3,\"missing\":null}",
                "{\"name\":\"Bo\",\"n\":4,\"customer\":{\"email\":null},\"greeting\":\"Hello Bo from eu\",\"run\":\"exec-1\",\"count\":4,\"missing\":null}");
    }

    @Test
    void ifSplitsItemsAndTheBranchesMeetAgain() {
        TestPlans plan = plan()
                .node("start", "trigger.manual", "{}")
                .node("big", "core.if", "{\"conditions\":[{\"left\":\"{{ $json.total }}\",\"operator\":\"gt\",\"right\":100}]}")
                .node("vip", "core.set", "{\"fields\":[{\"name\":\"tier\",\"value\":\"vip\"}]}")
                .node("normal", "core.set", "{\"fields\":[{\"name\":\"tier\",\"value\":\"normal\"}]}")
                .node("after", "core.noOp", "{}")
                .connect("start", "main", "big", "main")
                .connect("big", "true", "vip", "main")
                .connect("big", "false", "normal", "main")
                .connect("vip", "main", "after", "main")
                .connect("normal", "main", "after", "main");

        ExecutionOutcome mixed = run(plan, item("{\"total\":150}"), item("{\"total\":\"20\"}"), item("{\"total\":101.5}"));
        assertThat(json(mixed, "big", "true")).hasSize(2);
        assertThat(json(mixed, "after", "main")).containsExactly(
                "{\"total\":150,\"tier\":\"vip\"}", "{\"total\":101.5,\"tier\":\"vip\"}", "{\"total\":\"20\",\"tier\":\"normal\"}");

        ExecutionOutcome small = run(plan, item("{\"total\":1}"));
        assertThat(small.node("vip").status()).isEqualTo(NodeOutcome.Status.SKIPPED);
        assertThat(small.node("after").status()).isEqualTo(NodeOutcome.Status.SUCCEEDED);
    }

    @Test
    void switchRoutesByTheFirstMatchingRuleOrFallsBack() {
        ExecutionOutcome outcome = run(plan()
                .node("start", "trigger.manual", "{}")
                .node("route", "core.switch", """
                        {"rules":[{"conditions":[{"left":"{{ $json.country }}","operator":"equals","right":"de","caseSensitive":false}]},
                                  {"conditions":[{"left":"{{ $json.country }}","operator":"startsWith","right":"F"}]}]}""")
                .connect("start", "main", "route", "main"),
                item("{\"country\":\"DE\"}"), item("{\"country\":\"FR\"}"), item("{\"country\":\"IT\"}"));

        assertThat(json(outcome, "route", "case0")).containsExactly("{\"country\":\"DE\"}");
        assertThat(json(outcome, "route", "case1")).containsExactly("{\"country\":\"FR\"}");
        assertThat(json(outcome, "route", "fallback")).containsExactly("{\"country\":\"IT\"}");
    }

    @Test
    void mergeAppendsOrJoinsByKey() {
        String orders = "{\"fields\":[{\"name\":\"kind\",\"value\":\"order\"}]}";
        for (String join : List.of("inner", "left", "outer")) {
            ExecutionOutcome outcome = run(plan()
                    .node("start", "trigger.manual", "{}")
                    .node("left", "core.noOp", "{}")
                    .node("right", "core.set", "{\"mode\":\"json\",\"keepInputFields\":false,\"json\":{\"id\":\"{{ $json.id }}\",\"paid\":true}}")
                    .node("merge", "core.merge", "{\"mode\":\"combineByKey\",\"key1\":\"id\",\"key2\":\"id\",\"join\":\"" + join + "\"}")
                    .connect("start", "main", "left", "main")
                    .connect("start", "main", "right", "main")
                    .connect("left", "main", "merge", "input1")
                    .connect("right", "main", "merge", "input2"),
                    item("{\"id\":1}"), item("{\"id\":2}"));
            assertThat(json(outcome, "merge", "main")).as(join)
                    .containsExactly("{\"id\":1,\"paid\":true}", "{\"id\":2,\"paid\":true}");
        }
        ExecutionOutcome appended = run(plan()
                .node("start", "trigger.manual", "{}")
                .node("a", "core.set", orders)
                .node("b", "core.noOp", "{}")
                .node("merge", "core.merge", "{}")
                .connect("start", "main", "a", "main")
                .connect("start", "main", "b", "main")
                .connect("a", "main", "merge", "input1")
                .connect("b", "main", "merge", "input2"),
                item("{\"id\":1}"));
        assertThat(json(appended, "merge", "main")).containsExactly("{\"id\":1,\"kind\":\"order\"}", "{\"id\":1}");
    }

    @Test
    void expressionsReadEarlierNodesByName() {
        ExecutionOutcome outcome = run(plan()
                .node("start", "trigger.manual", "{}")
                .node("first", "core.set", "{\"fields\":[{\"name\":\"code\",\"value\":\"A-{{ $json.n }}\"}]}")
                .node("second", "core.set", "{\"keepInputFields\":false,\"fields\":[{\"name\":\"copy\",\"value\":\"{{ $node[\\\"Start\\\"].json.n }}\"},"
                        + "{\"name\":\"code\",\"value\":\"{{ $('First').item.json.code }}\"},{\"name\":\"all\",\"value\":\"{{ $json }}\"}]}")
                .connect("start", "main", "first", "main")
                .connect("first", "main", "second", "main"),
                item("{\"n\":7}"));

        assertThat(json(outcome, "second", "main")).containsExactly("{\"copy\":7,\"code\":\"A-7\",\"all\":{\"n\":7,\"code\":\"A-7\"}}");
    }

    @Test
    void aRunnerWithoutASandboxSaysThatScriptExpressionsNeedOne() {
        ExecutionOutcome outcome = run(plan()
                .node("start", "trigger.manual", "{}")
                .node("calc", "core.set", "{\"fields\":[{\"name\":\"x\",\"value\":\"{{ $json.n * 2 }}\"}]}")
                .connect("start", "main", "calc", "main"),
                item("{\"n\":7}"));

        assertThat(outcome.succeeded()).isFalse();
        assertThat(outcome.failedNode()).isEqualTo("calc");
        NodeFailure error = outcome.node("calc").error();
        assertThat(error.kind()).isEqualTo(ErrorKind.INTERNAL);
        assertThat(error.getMessage()).isEqualTo("node \"Calc\": parameter \"fields[0].value\": "
                + "the JavaScript sandbox is not available in this executor");
    }

    @Test
    void onErrorDecidesWhatAFailureDoes() {
        String stop = "{\"message\":\"no stock for {{ $json.sku }}\"}";
        ExecutionOutcome failed = run(plan()
                .node("start", "trigger.manual", "{}")
                .node("stop", "core.stopAndError", stop)
                .node("after", "core.noOp", "{}")
                .connect("start", "main", "stop", "main")
                .connect("stop", "main", "after", "main"), item("{\"sku\":\"A1\"}"));
        assertThat(failed.succeeded()).isFalse();
        assertThat(failed.node("stop").error().kind()).isEqualTo(ErrorKind.USER_ERROR);
        assertThat(failed.node("stop").error().getMessage()).isEqualTo("no stock for A1");
        assertThat(failed.node("after")).isNull();

        ExecutionOutcome continued = run(plan()
                .node("start", "trigger.manual", "{}")
                .node("stop", "core.stopAndError", stop, OnError.CONTINUE, false)
                .node("after", "core.noOp", "{}")
                .connect("start", "main", "stop", "main")
                .connect("stop", "main", "after", "main"), item("{\"sku\":\"A1\"}"));
        assertThat(continued.succeeded()).isTrue();
        assertThat(continued.node("stop").status()).isEqualTo(NodeOutcome.Status.FAILED_HANDLED);
        assertThat(json(continued, "after", "main")).containsExactly("{\"sku\":\"A1\"}");

        ExecutionOutcome routed = run(plan()
                .node("start", "trigger.manual", "{}")
                .node("stop", "core.stopAndError", stop, OnError.ROUTE_TO_ERROR_OUTPUT, false)
                .node("happy", "core.noOp", "{}")
                .node("alarm", "core.noOp", "{}")
                .connect("start", "main", "stop", "main")
                .connect("stop", "main", "happy", "main")
                .connect("stop", "error", "alarm", "main"), item("{\"sku\":\"A1\"}"));
        assertThat(routed.succeeded()).isTrue();
        assertThat(routed.node("happy").status()).isEqualTo(NodeOutcome.Status.SKIPPED);
        assertThat(json(routed, "alarm", "main")).containsExactly(
                "{\"sku\":\"A1\",\"error\":{\"kind\":\"USER_ERROR\",\"retryable\":false,\"message\":\"no stock for A1\"}}");
    }

    @Test
    void aDisabledNodePassesItsItemsOn() {
        ExecutionOutcome outcome = run(plan()
                .node("start", "trigger.manual", "{}")
                .node("stop", "core.stopAndError", "{\"message\":\"never\"}", OnError.FAIL_EXECUTION, true)
                .node("after", "core.noOp", "{}")
                .connect("start", "main", "stop", "main")
                .connect("stop", "main", "after", "main"), item("{\"a\":1}"));

        assertThat(outcome.succeeded()).isTrue();
        assertThat(outcome.node("stop").status()).isEqualTo(NodeOutcome.Status.PASSED_THROUGH);
        assertThat(json(outcome, "after", "main")).containsExactly("{\"a\":1}");
    }

    @Test
    void aManualRunWithoutInputStartsWithOneEmptyItem() {
        ExecutionOutcome outcome = run(plan()
                .node("start", "trigger.manual", "{}")
                .node("other", "trigger.webhook", "{}")
                .node("set", "core.set", "{\"fields\":[{\"name\":\"at\",\"value\":\"{{ $now }}\"}]}")
                .connect("start", "main", "set", "main")
                .connect("other", "main", "set", "main"));

        assertThat(outcome.node("other").status()).isEqualTo(NodeOutcome.Status.SKIPPED);
        assertThat(json(outcome, "set", "main")).containsExactly("{\"at\":\"2026-11-26T10:00:00Z\"}");
    }
}
