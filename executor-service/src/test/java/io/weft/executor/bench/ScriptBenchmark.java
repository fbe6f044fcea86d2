package io.weft.executor.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.weft.contracts.json.WeftJson;
import io.weft.contracts.plan.ExecutionPlan;
import io.weft.executor.engine.ExecutionOutcome;
import io.weft.executor.engine.Item;
import io.weft.executor.engine.PlanRunner;
import io.weft.executor.engine.RunInput;
import io.weft.executor.engine.TestPlans;
import io.weft.executor.expressions.ExpressionEvaluator;
import io.weft.executor.nodes.CoreNodeTypes;
import io.weft.executor.nodes.NodeCatalog;
import io.weft.executor.sandbox.Sandbox;
import io.weft.executor.sandbox.SandboxLimits;
import io.weft.executor.sandbox.ScriptData;
import io.weft.executor.sandbox.ScriptSession;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What the JavaScript sandbox costs: a Code node run (fresh context, data in, code, result out),
 * a Set node whose one parameter is a script expression (the same, for an expression), and one
 * more script expression in a session already open (the cost per further item). Compare with
 * {@code EngineBenchmark.fastPathExpression}. Run with {@code ./weft bench executor Script}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(1)
public class ScriptBenchmark {
    private Sandbox sandbox;
    private PlanRunner runner;
    private ExecutionPlan codePlan;
    private ExecutionPlan expressionPlan;
    private RunInput input;
    private ScriptSession session;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        // No statement limit: the open session serves millions of calls, and a limit counts per context.
        sandbox = new Sandbox(SandboxLimits.defaults().withStatements(Long.MAX_VALUE / 2));
        runner = new PlanRunner(new NodeCatalog(CoreNodeTypes.ALL), new ExpressionEvaluator(), sandbox);
        codePlan = TestPlans.plan()
                .node("start", "trigger.manual", "{}")
                .node("code", "core.code", "{\"code\":\"return $input.all().map(i => ({ total: i.json.total * 2 }));\"}")
                .connect("start", "main", "code", "main")
                .build();
        expressionPlan = TestPlans.plan()
                .node("start", "trigger.manual", "{}")
                .node("set", "core.set", "{\"fields\":[{\"name\":\"double\",\"value\":\"{{ $json.total * 2 }}\"}]}")
                .connect("start", "main", "set", "main")
                .build();
        ObjectNode json = (ObjectNode) WeftJson.mapper().readTree("{\"customer\":{\"email\":\"ada@example.com\"},\"total\":42}");
        input = new RunInput("t", "e", "w", null, List.of(Item.of(json)), WeftJson.mapper().createObjectNode(), Clock.systemUTC());
        session = sandbox.open("bench", new ScriptData(List.<JsonNode>of(json), Map.of(), json, "e", "w", Instant.EPOCH), Duration.ofHours(1));
        if (!runner.run(codePlan, input).succeeded() || !runner.run(expressionPlan, input).succeeded()) {
            throw new IllegalStateException("benchmark plans do not run");
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        session.close();
        sandbox.close();
    }

    @Benchmark
    public ExecutionOutcome codeNode() {
        return runner.run(codePlan, input);
    }

    @Benchmark
    public ExecutionOutcome setNodeWithScriptExpression() {
        return runner.run(expressionPlan, input);
    }

    @Benchmark
    public JsonNode scriptExpressionInOpenSession() {
        return session.expression("$json.total * 2", 0);
    }
}
