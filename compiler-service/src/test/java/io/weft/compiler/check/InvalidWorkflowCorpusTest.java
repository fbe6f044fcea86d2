package io.weft.compiler.check;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.weft.compiler.TestCatalog;
import io.weft.compiler.catalog.NodeTypes;
import io.weft.contracts.compile.Diagnostic;
import io.weft.contracts.compile.Severity;
import io.weft.contracts.json.WeftJson;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each file in corpus/invalid is a workflow with one thing wrong and the exact errors the compiler
 * must report for it: code, node id and JSON pointer, no more and no fewer.
 */
class InvalidWorkflowCorpusTest {
    private static final Path CORPUS = Path.of("src/test/resources/corpus/invalid");
    private static final NodeTypes TYPES = TestCatalog.withAiTypes();
    private static final WorkflowCompiler COMPILER = new WorkflowCompiler(Duration.ofMinutes(5));

    record Expected(String code, String nodeId, String pointer) {
    }

    static Stream<Path> corpus() throws IOException {
        List<Path> files = new ArrayList<>();
        try (Stream<Path> listing = Files.list(CORPUS)) {
            listing.filter(path -> path.toString().endsWith(".json")).sorted().forEach(files::add);
        }
        assertThat(files).hasSizeGreaterThanOrEqualTo(30);
        return files.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void reportsExactlyTheExpectedErrors(Path file) throws IOException {
        JsonNode testCase = WeftJson.mapper().readTree(file.toFile());

        CompileOutcome outcome = COMPILER.compile(testCase.get("workflow"), TYPES);

        List<Expected> errors = outcome.diagnostics().stream()
                .filter(diagnostic -> diagnostic.severity() == Severity.ERROR)
                .map(diagnostic -> new Expected(diagnostic.code().name(), diagnostic.nodeId(), diagnostic.pointer()))
                .toList();
        List<Expected> expected = new ArrayList<>();
        testCase.get("expect").forEach(e -> expected.add(new Expected(e.get("code").asText(),
                e.get("nodeId").isNull() ? null : e.get("nodeId").asText(), e.get("pointer").asText())));
        assertThat(errors).as(testCase.get("description").asText() + "; got " + outcome.diagnostics())
                .containsExactlyInAnyOrderElementsOf(expected);
        assertThat(outcome.plan()).isNull();
        assertThat(outcome.diagnostics()).allSatisfy(InvalidWorkflowCorpusTest::readable);
    }

    private static void readable(Diagnostic diagnostic) {
        assertThat(diagnostic.message()).isNotBlank().doesNotContain("null");
        assertThat(diagnostic.pointer()).satisfiesAnyOf(p -> assertThat(p).isEmpty(), p -> assertThat(p).startsWith("/"));
    }
}
