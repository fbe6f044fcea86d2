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
import io.weft.executor.nodes.NodeCatalog;
import io.weft.executor.nodes.CoreNodeTypes;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The engine's cost per node, in memory (no Kafka, no checkpoints): chains of 20 Set or If nodes
 * over one item, each reading the item through a fast-path expression; the score is per node. And
 * one fast-path expression on its own. Run with {@code ./weft bench executor}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class EngineBenchmark {
    private static final int CHAIN = 20;

    private PlanRunner runner;
    private ExpressionEvaluator evaluator;
    private ExecutionPlan setChain;
    private ExecutionPlan ifChain;
    private RunInput input;
    private JsonNode expression;
    private io.weft.executor.expressions.ExpressionScope scope;

    @Setup
    public void setUp() throws Exception {
        evaluator = new ExpressionEvaluator();
        runner = new PlanRunner(new NodeCatalog(CoreNodeTypes.ALL), evaluator);
        TestPlans sets = TestPlans.plan().node("start", "trigger.manual", "{}");
        TestPlans ifs = TestPlans.plan().node("start", "trigger.manual", "{}");
        String previousSet = "start";
        String previousIf = "start";
        String ifPort = "main";
        for (int i = 0; i < CHAIN; i++) {
            sets.node("s" + i, "core.set", "{\"fields\":[{\"name\":\"step" + i + "\",\"value\":\"{{ $json.customer.email }}\"}]}")
                    .connect(previousSet, "main", "s" + i, "main");
            ifs.node("i" + i, "core.if", "{\"conditions\":[{\"left\":\"{{ $json.total }}\",\"operator\":\"gt\",\"right\":10}]}")
                    .connect(previousIf, ifPort, "i" + i, "main");
            previousSet = "s" + i;
            previousIf = "i" + i;
            ifPort = "true";
        }
        setChain = sets.build();
        ifChain = ifs.build();
        ObjectNode json = (ObjectNode) WeftJson.mapper().readTree("{\"customer\":{\"email\":\"ada@example.com\"},\"total\":42}");
        input = new RunInput("t", "e", "w", null, List.of(Item.of(json)), WeftJson.mapper().createObjectNode(), Clock.systemUTC());
        expression = WeftJson.mapper().readTree("\"{{ $json.customer.email }}\"");
        scope = new io.weft.executor.expressions.ExpressionScope() {
            public JsonNode json() { return json; }
            public JsonNode firstInput() { return json; }
            public java.util.Optional<JsonNode> nodeJson(String name) { return java.util.Optional.empty(); }
            public String executionId() { return "e"; }
            public String workflowId() { return "w"; }
            public JsonNode vars() { return json; }
            public java.time.Instant now() { return java.time.Instant.EPOCH; }
        };
        if (!runner.run(setChain, input).succeeded() || !runner.run(ifChain, input).succeeded()) {
            throw new IllegalStateException("benchmark plans do not run");
        }
    }

    @Benchmark
    @OperationsPerInvocation(CHAIN)
    public ExecutionOutcome setNode() {
        return runner.run(setChain, input);
    }

    @Benchmark
    @OperationsPerInvocation(CHAIN)
    public ExecutionOutcome ifNode() {
        return runner.run(ifChain, input);
    }

    @Benchmark
    @OutputTimeUnit(TimeUnit.NANOSECONDS)
    public JsonNode fastPathExpression() {
        return evaluator.resolve(expression, scope);
    }
}
