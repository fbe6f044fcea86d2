package io.weft.compiler;

import com.fasterxml.jackson.core.type.TypeReference;
import io.weft.compiler.catalog.NodeTypes;
import io.weft.contracts.json.WeftJson;
import io.weft.contracts.nodes.NodeFamily;
import io.weft.contracts.nodes.NodeTypeDescriptor;
import io.weft.contracts.nodes.PortDescriptor;
import io.weft.contracts.nodes.PortType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The catalog the compiler is tested against: executor-service's published catalog
 * (docs/node-catalog.json, kept equal to the code by executor-service's NodeCatalogTest), plus
 * AI-shaped types that exercise port types other than {@code main}: an agent (a root), a chat model
 * and a memory (sub-nodes only), and an action node that may also be attached as a tool.
 */
public final class TestCatalog {
    public static final Path PUBLISHED = Path.of("../docs/node-catalog.json");

    private TestCatalog() {
    }

    public static List<NodeTypeDescriptor> published() {
        try {
            return WeftJson.mapper().readValue(PUBLISHED.toFile(), new TypeReference<>() {
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static NodeTypes withAiTypes() {
        List<NodeTypeDescriptor> all = new ArrayList<>(published());
        var noParameters = WeftJson.mapper().createObjectNode().put("type", "object");
        all.add(new NodeTypeDescriptor("test.agent", 1, "Agent", "test", NodeFamily.LLM, false, noParameters,
                List.of(new PortDescriptor("main", PortType.MAIN, "Input", true),
                        new PortDescriptor("model", PortType.AI_LANGUAGE_MODEL, "Model", false),
                        new PortDescriptor("ai_tool", PortType.AI_TOOL, "Tools", false),
                        new PortDescriptor("ai_memory", PortType.AI_MEMORY, "Memory", false)),
                List.of(new PortDescriptor("main", PortType.MAIN, "Output", false)), List.of()));
        all.add(new NodeTypeDescriptor("test.chatModel", 1, "Chat model", "test", NodeFamily.LLM, false, noParameters,
                List.of(), List.of(new PortDescriptor("model", PortType.AI_LANGUAGE_MODEL, "Model", false)), List.of()));
        all.add(new NodeTypeDescriptor("test.memory", 1, "Memory", "test", NodeFamily.LLM, false, noParameters,
                List.of(), List.of(new PortDescriptor("ai_memory", PortType.AI_MEMORY, "Memory", false)), List.of()));
        // an action node that can also be a tool: items in and out on main, or attached through ai_tool
        all.add(new NodeTypeDescriptor("test.tool", 1, "Tool", "test", NodeFamily.CORE, false,
                WeftJson.mapper().createObjectNode().put("type", "object").set("properties",
                        WeftJson.mapper().createObjectNode().set("query", WeftJson.mapper().createObjectNode().put("type", "string"))),
                List.of(new PortDescriptor("main", PortType.MAIN, "Input", true)),
                List.of(new PortDescriptor("main", PortType.MAIN, "Output", false),
                        new PortDescriptor("ai_tool", PortType.AI_TOOL, "Tool", false)), List.of()));
        return NodeTypes.of(all);
    }
}
