package io.weft.executor.nodes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import io.weft.contracts.json.WeftJson;
import io.weft.contracts.nodes.NodeFamily;
import io.weft.contracts.nodes.NodeTypeDescriptor;
import io.weft.contracts.nodes.PortDescriptor;
import io.weft.contracts.nodes.PortType;
import io.weft.executor.nodes.core.SetNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class NodeCatalogTest {
    /** Published for users and read by compiler-service's tests as the catalog they compile against. */
    private static final Path PUBLISHED = Path.of("../docs/node-catalog.json");

    static final List<NodeType> CORE = CoreNodeTypes.ALL;

    private final NodeCatalog catalog = new NodeCatalog(CORE);

    @Test
    void listsTheCoreTypesOnce() {
        assertThat(catalog.latest(Optional.empty())).extracting(NodeTypeDescriptor::type).containsExactly(
                "ai.agent", "ai.chatModel.gemini", "ai.chatModel.ollama", "ai.chatModel.openAi", "ai.informationExtractor", "ai.llmChain", "ai.memory.postgres", "ai.qaChain", "ai.textClassifier", "ai.tool.vectorStore", "ai.tool.workflow", "ai.vectorStore.insert", "ai.vectorStore.retrieve",
                "core.approval", "core.code", "core.httpRequest", "core.if", "core.merge", "core.noOp", "core.respondToWebhook", "core.set",
                "core.stopAndError", "core.switch", "core.wait", "integration.gmail", "integration.googleSheets", "integration.slack", "trigger.gmail", "trigger.manual", "trigger.schedule", "trigger.webhook");
        assertThat(catalog.latest(Optional.of(NodeFamily.TRIGGER))).allMatch(NodeTypeDescriptor::trigger).hasSize(4);
    }

    @Test
    void everyDefaultIsValidForItsOwnProperty() {
        for (NodeTypeDescriptor descriptor : catalog.all()) {
            JsonNode properties = descriptor.parametersSchema().path("properties");
            for (Iterator<Map.Entry<String, JsonNode>> it = properties.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> property = it.next();
                if (property.getValue().has("default")) {
                    Schema schema = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12)
                            .getSchema(property.getValue());
                    assertThat(schema.validate(property.getValue().get("default")))
                            .as(descriptor.type() + " default of " + property.getKey()).isEmpty();
                }
            }
        }
    }

    @Test
    void everyNonTriggerTakesItemsOnMainPortsOrIsOnlyASubNode() {
        for (NodeTypeDescriptor descriptor : catalog.all()) {
            boolean subNodeOnly = !descriptor.outputs().isEmpty()
                    && descriptor.outputs().stream().allMatch(port -> port.type().attachesSubNode());
            if (subNodeOnly) {
                assertThat(descriptor.inputs()).as(descriptor.type() + ": a sub-node gets its items from its root's call")
                        .allMatch(port -> port.type().attachesSubNode());
            } else if (!descriptor.trigger()) {
                List<PortDescriptor> main = descriptor.inputs().stream().filter(port -> port.type() == PortType.MAIN).toList();
                assertThat(main).as(descriptor.type()).isNotEmpty().allMatch(PortDescriptor::required);
            }
            assertThat(descriptor.outputs()).noneMatch(port -> port.name().equals("error"))
                    .as("error is the implicit output of every node; a type must not declare it");
        }
    }

    @Test
    void refusesATypeRegisteredTwice() {
        NodeType set = new SetNode();
        assertThatThrownBy(() -> new NodeCatalog(List.of(set, set))).hasMessageContaining("registered twice");
    }

    @Test
    void theEtagFollowsTheContent() {
        NodeCatalog fewer = new NodeCatalog(List.of(new SetNode()));
        assertThat(fewer.etag()).isNotEqualTo(catalog.etag()).startsWith("\"").endsWith("\"");
        assertThat(new NodeCatalog(CORE.reversed()).etag()).isEqualTo(catalog.etag());
    }

    @Test
    void publishedCatalogMatchesTheCode() throws IOException {
        ObjectMapper pretty = WeftJson.mapper().copy().enable(SerializationFeature.INDENT_OUTPUT);
        JsonNode expected = WeftJson.mapper().valueToTree(catalog.all());
        if (Boolean.getBoolean("weft.regenerate-docs") || !Files.exists(PUBLISHED)) {
            Files.writeString(PUBLISHED, pretty.writeValueAsString(expected) + "\n");
        }
        assertThat(WeftJson.mapper().readTree(PUBLISHED.toFile()).equals(expected))
                .as("docs/node-catalog.json is stale: run ./mvnw -pl executor-service test -Dtest=NodeCatalogTest -Dweft.regenerate-docs=true")
                .isTrue();
    }
}
