package io.weft.contracts.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.weft.contracts.json.WeftJson;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class WorkflowDefinitionSchemaTest {

    static JsonNode resource(String path) throws IOException {
        try (InputStream in = WorkflowDefinitionSchemaTest.class.getResourceAsStream(path)) {
            return WeftJson.mapper().readTree(in);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"order-sync", "minimal", "ai-agent"})
    void acceptsGoodSamples(String name) throws IOException {
        assertThat(WorkflowDefinitionSchema.validate(resource("/workflows/valid/" + name + ".json"))).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"order-sync", "minimal", "ai-agent"})
    void goodSamplesRoundTripThroughTheRecords(String name) throws IOException {
        JsonNode original = resource("/workflows/valid/" + name + ".json");

        WorkflowDefinition definition = WeftJson.mapper().treeToValue(original, WorkflowDefinition.class);
        JsonNode written = WeftJson.mapper().valueToTree(definition);

        assertThat(WeftJson.mapper().treeToValue(written, WorkflowDefinition.class)).isEqualTo(definition);
        assertThat(WorkflowDefinitionSchema.validate(written)).isEmpty();
        assertThat(definition.nodes()).hasSize(original.get("nodes").size());
    }

    /** Each row edits the order-sync sample at one place and names where the error must point. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            missing name              | /name               | remove  |                         | /name                      | required
            empty name                | /name               | set     | ""                      | /name                      | minLength
            nodes not an array        | /nodes              | set     | {}                      | /nodes                     | type
            node without type         | /nodes/1/type       | remove  |                         | /nodes/1/type              | required
            bad node id               | /nodes/0/id         | set     | "has spaces"            | /nodes/0/id                | pattern
            typeVersion zero          | /nodes/2/typeVersion| set     | 0                       | /nodes/2/typeVersion       | minimum
            type with spaces          | /nodes/2/type       | set     | "core.if else"          | /nodes/2/type              | pattern
            unknown node field        | /nodes/0/colour     | set     | "red"                   | /nodes/0                   | additionalProperties
            bad onError               | /nodes/1/onError    | set     | "ignore"                | /nodes/1/onError           | enum
            unknown retry kind        | /nodes/1/retry/retryOn | set  | ["SOMETIMES"]           | /nodes/1/retry/retryOn/0   | enum
            negative timeout          | /nodes/1/timeoutMs  | set     | -5                      | /nodes/1/timeoutMs         | minimum
            credential without id     | /nodes/1/credentials/auth | set | {"name":"x"}          | /nodes/1/credentials/auth/id | required
            connection without port   | /connections/0/to/port | remove |                       | /connections/0/to/port     | required
            bad port name             | /connections/2/from/port | set | "1st"                  | /connections/2/from/port   | pattern
            settings limit zero       | /settings/concurrencyLimit | set | 0                    | /settings/concurrencyLimit | minimum
            bad overflow policy       | /settings/whenLimitReached | set | "drop"               | /settings/whenLimitReached | enum
            """)
    void rejectsBadDocumentsWithAPathToTheProblem(String caseName, String at, String op, String value,
                                                  String expectedPointer, String expectedKeyword) throws IOException {
        JsonNode document = resource("/workflows/valid/order-sync.json");
        edit(document, at, op, value);

        List<SchemaViolation> violations = WorkflowDefinitionSchema.validate(document);

        assertThat(violations).as(caseName).isNotEmpty();
        assertThat(violations).as(caseName)
                .anySatisfy(v -> {
                    assertThat(v.pointer()).isEqualTo(expectedPointer);
                    assertThat(v.keyword()).isEqualTo(expectedKeyword);
                    assertThat(v.message()).isNotBlank();
                });
    }

    private static void edit(JsonNode document, String at, String op, String value) throws IOException {
        int cut = at.lastIndexOf('/');
        JsonNode parent = document.at(at.substring(0, cut));
        String field = at.substring(cut + 1);
        ObjectNode object = (ObjectNode) parent;
        if (op.equals("remove")) {
            object.remove(field);
        } else {
            object.set(field, WeftJson.mapper().readTree(value));
        }
    }
}
