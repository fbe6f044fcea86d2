package io.weft.executor.engine;

import static io.weft.executor.engine.PlanRunnerTest.CLOCK;
import static io.weft.executor.engine.PlanRunnerTest.item;
import static io.weft.executor.engine.PlanRunnerTest.json;
import static io.weft.executor.engine.TestPlans.plan;
import static org.assertj.core.api.Assertions.assertThat;

import io.weft.contracts.events.ConsoleLine;
import io.weft.contracts.events.ErrorKind;
import io.weft.contracts.json.WeftJson;
import io.weft.executor.expressions.ExpressionEvaluator;
import io.weft.executor.nodes.CoreNodeTypes;
import io.weft.executor.nodes.NodeCatalog;
import io.weft.executor.sandbox.Sandbox;
import io.weft.executor.sandbox.SandboxLimits;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** The Code node and script expressions, through the runner with a real sandbox. */
class ScriptNodesTest {
    static final Sandbox SANDBOX = new Sandbox(SandboxLimits.defaults().withStatements(50_000_000));
    static final PlanRunner RUNNER = new PlanRunner(new NodeCatalog(CoreNodeTypes.ALL), new ExpressionEvaluator(), SANDBOX);

    @AfterAll
    static void close() {
        SANDBOX.close();
    }

    static ExecutionOutcome run(TestPlans plan, Item... items) {
        return RUNNER.run(plan.build(), new RunInput("tenant-1", "exec-1", "wf-1", null, List.of(items),
                WeftJson.mapper().createObjectNode().put("region", "eu"), CLOCK));
    }

    @Test
    void codeRunsOverAllItemsAndItsConsoleIsKept() {
        ExecutionOutcome outcome = run(plan()
                .node("start", "trigger.manual", "{}")
                .node("code", "core.code", """
                        {"code":"console.log('items', $input.all().length);\\nreturn $input.all().map(i => ({ total: i.json.price * i.json.qty, from: $node['Start'].json.price }));"}""")
                .connect("start", "main", "code", "main"),
                item("{\"price\":2,\"qty\":3}"), item("{\"price\":5,\"qty\":1}"));

        assertThat(outcome.succeeded()).isTrue();
        assertThat(json(outcome, "code", "main")).containsExactly("{\"total\":6,\"from\":2}", "{\"total\":5,\"from\":2}");
        assertThat(outcome.node("code").console()).containsExactly(new ConsoleLine("log", "items 2"));
    }

    @Test
    void codeRunsOncePerItem() {
        ExecutionOutcome outcome = run(plan()
                .node("start", "trigger.manual", "{}")
                .node("code", "core.code", """
                        {"mode":"runOnceForEachItem","code":"return { name: $json.name.toUpperCase(), run: $execution.id };"}""")
                .connect("start", "main", "code", "main"),
                item("{\"name\":\"ada\"}"), item("{\"name\":\"bo\"}"));

        assertThat(json(outcome, "code", "main")).containsExactly("{\"name\":\"ADA\",\"run\":\"exec-1\"}",
                "{\"name\":\"BO\",\"run\":\"exec-1\"}");
    }

    @Test
    void aThrowingScriptFailsTheNodeWithItsLineAndCanBeRoutedToTheErrorOutput() {
        ExecutionOutcome outcome = run(plan()
                .node("start", "trigger.manual", "{}")
                .node("code", "core.code", "{\"code\":\"const x = 1;\\nthrow new Error('no stock for ' + $json.sku);\"}",
                        io.weft.contracts.workflow.OnError.ROUTE_TO_ERROR_OUTPUT, false)
                .connect("start", "main", "code", "main"), item("{\"sku\":\"A-1\"}"));

        assertThat(outcome.succeeded()).isTrue();
        NodeFailure error = outcome.node("code").error();
        assertThat(error.kind()).isEqualTo(ErrorKind.SCRIPT);
        assertThat(error.getMessage()).isEqualTo("node \"Code\": Error: no stock for A-1 (line 2)");
        assertThat(outcome.node("code").output().port("error")).hasSize(1);
    }

    @Test
    void aSlowScriptIsStoppedByTheNodeTimeout() {
        long started = System.nanoTime();
        ExecutionOutcome outcome = run(plan()
                .node("start", "trigger.manual", "{}")
                .node("code", "core.code", "{\"code\":\"while (true) {}\"}")
                .withPolicy("code", "timeout:300")
                .connect("start", "main", "code", "main"));

        assertThat(outcome.succeeded()).isFalse();
        assertThat(outcome.node("code").error().kind()).isEqualTo(ErrorKind.TIMEOUT);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
        assertThat(run(plan().node("start", "trigger.manual", "{}").node("code", "core.code", "{\"code\":\"return [{ok: true}];\"}")
                .connect("start", "main", "code", "main")).succeeded()).isTrue();
    }

    @Test
    void scriptExpressionsRunInTheSandboxAndPathsStayOnTheFastPath() {
        ExecutionOutcome outcome = run(plan()
                .node("start", "trigger.manual", "{}")
                .node("shape", "core.set", """
                        {"fields":[{"name":"total","value":"{{ $json.price * $json.qty }}"},
                                   {"name":"label","value":"{{ $json.name.toUpperCase() }} ({{ $vars.region }})"},
                                   {"name":"count","value":"{{ $input.all().length }}"},
                                   {"name":"first","value":"{{ $node['Start'].json.name }}"}]}""")
                .connect("start", "main", "shape", "main"),
                item("{\"name\":\"ada\",\"price\":2,\"qty\":3}"), item("{\"name\":\"bo\",\"price\":1,\"qty\":1}"));

        assertThat(outcome.succeeded()).isTrue();
        assertThat(json(outcome, "shape", "main")).containsExactly(
                "{\"name\":\"ada\",\"price\":2,\"qty\":3,\"total\":6,\"label\":\"ADA (eu)\",\"count\":2,\"first\":\"ada\"}",
                "{\"name\":\"bo\",\"price\":1,\"qty\":1,\"total\":1,\"label\":\"BO (eu)\",\"count\":2,\"first\":\"bo\"}");
    }

    @Test
    void aFailingScriptExpressionNamesTheNodeAndTheParameter() {
        ExecutionOutcome outcome = run(plan()
                .node("start", "trigger.manual", "{}")
                .node("shape", "core.set", "{\"fields\":[{\"name\":\"x\",\"value\":\"{{ $json.customer.name.first }}x{{ $json.a.b() }}\"}]}")
                .connect("start", "main", "shape", "main"), item("{\"a\":{}}"));

        NodeFailure error = outcome.node("shape").error();
        assertThat(error.kind()).isEqualTo(ErrorKind.EXPRESSION);
        assertThat(error.getMessage()).startsWith("node \"Shape\": parameter \"fields[0].value\": TypeError");
    }
}
