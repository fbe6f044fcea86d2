package io.weft.compiler.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.weft.compiler.TestCatalog;
import io.weft.compiler.catalog.NodeTypes;
import io.weft.compiler.check.CompileOutcome;
import io.weft.compiler.check.LayeredWorkflows;
import io.weft.compiler.check.WorkflowCompiler;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Validate + compile of a parsed definition (schema check, graph checks, parameter schemas,
 * expression scan, plan and its SHA-256), for generated workflows of growing size. Parsing the
 * HTTP body is not included. Run with {@code ./weft bench compiler}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class CompilerBenchmark {

    @Param({"10", "100", "1000"})
    public int nodes;

    private JsonNode definition;
    private NodeTypes types;
    private WorkflowCompiler compiler;
    private Object plan;

    @Setup
    public void setUp() {
        definition = LayeredWorkflows.of(nodes);
        types = TestCatalog.withAiTypes();
        compiler = new WorkflowCompiler(Duration.ofMinutes(5));
        CompileOutcome outcome = compiler.compile(definition, types);
        plan = outcome.plan();
        if (!outcome.compiles()) {
            throw new IllegalStateException("the generated workflow does not compile: " + outcome.diagnostics());
        }
    }

    @Benchmark
    public Object schemaOnly() {
        return io.weft.contracts.workflow.WorkflowDefinitionSchema.validate(definition);
    }

    @Benchmark
    public Object hashOnly() {
        return io.weft.contracts.json.CanonicalJson.sha256(plan);
    }

    @Benchmark
    public CompileOutcome validateAndCompile() {
        return compiler.compile(definition, types);
    }
}
