package io.weft.executor.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.weft.contracts.json.WeftJson;
import io.weft.contracts.nodes.NodeFamily;
import io.weft.contracts.nodes.NodeTypeDescriptor;
import io.weft.contracts.nodes.PortDescriptor;
import io.weft.contracts.nodes.PortType;
import io.weft.contracts.plan.ExecutionPlan;
import io.weft.executor.engine.ExecutionOutcome;
import io.weft.executor.engine.Item;
import io.weft.executor.engine.PlanRunner;
import io.weft.executor.engine.RunInput;
import io.weft.executor.engine.TestPlans;
import io.weft.executor.expressions.ExpressionEvaluator;
import io.weft.executor.nodes.CoreNodeTypes;
import io.weft.executor.nodes.NodeCatalog;
import io.weft.executor.nodes.NodeType;
import io.weft.executor.nodes.custom.CustomNodeType;
import io.weft.executor.outbound.OutboundHttp;
import io.weft.executor.sandbox.Sandbox;
import io.weft.executor.sandbox.SandboxLimits;
import io.weft.executor.sandbox.ScriptData;
import io.weft.executor.sandbox.ScriptSession;
import io.weft.platform.net.OutboundAddresses;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
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
 * {@code EngineBenchmark.fastPathExpression}. A tenant's custom node doing the Code node's work,
 * over 1 and over 100 items (the Code node too), gives each one's cost per item. Run with
 * {@code ./weft bench executor Script}.
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
    private ExecutionPlan customPlan;
    private RunInput hundredItems;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        // No statement limit: the open session serves millions of calls, and a limit counts per context.
        sandbox = new Sandbox(SandboxLimits.defaults().withStatements(Long.MAX_VALUE / 2));
        List<NodeType> types = new ArrayList<>(CoreNodeTypes.ALL);
        types.add(new CustomNodeType(new NodeTypeDescriptor("custom.double", 1, "Double",
                null, NodeFamily.CUSTOM, false, WeftJson.mapper().createObjectNode().put("type", "object"),
                List.of(new PortDescriptor("main", PortType.MAIN, "Input", true)),
                List.of(new PortDescriptor("main", PortType.MAIN, "Output", false)), List.of()),
                "function execute(items) { return items.map(i => ({ total: i.json.total * 2 })); }",
                new OutboundHttp(OutboundAddresses.publicOnly())));
        runner = new PlanRunner(new NodeCatalog(types), new ExpressionEvaluator(), sandbox);
        customPlan = TestPlans.plan()
                .node("start", "trigger.manual", "{}")
                .node("custom", "custom.double", "{}")
                .connect("start", "main", "custom", "main")
                .build();
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
        hundredItems = new RunInput("t", "e", "w", null, Collections.nCopies(100, Item.of(json)), WeftJson.mapper().createObjectNode(),
                Clock.systemUTC());
        if (!runner.run(customPlan, hundredItems).succeeded()) {
            throw new IllegalStateException("the custom node does not run");
        }
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
    public ExecutionOutcome codeNodeHundredItems() {
        return runner.run(codePlan, hundredItems);
    }

    @Benchmark
    public ExecutionOutcome customNode() {
        return runner.run(customPlan, input);
    }

    @Benchmark
    public ExecutionOutcome customNodeHundredItems() {
        return runner.run(customPlan, hundredItems);
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
