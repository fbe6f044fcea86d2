package io.weft.executor.nodes.ai;

import com.fasterxml.jackson.databind.JsonNode;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import io.weft.contracts.expressions.FromAi;
import io.weft.contracts.nodes.PortType;
import io.weft.executor.engine.NodeRun;
import io.weft.executor.engine.SubNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The tools of an agent: each node attached through {@code ai_tool}, named for the model after the
 * node (letters, digits, _ and -, unique), described by its {@code toolDescription}, and taking as
 * input what its {@code $fromAI(...)} calls ask for ({@link io.weft.executor.nodes.NodeType#toolInputs}).
 */
final class AgentTools {
    private static final int MAX_NAME = 64;

    private final Map<String, SubNode> byName = new LinkedHashMap<>();
    private final List<ToolSpecification> specifications = new ArrayList<>();

    private AgentTools() {
    }

    static AgentTools of(NodeRun run) {
        AgentTools tools = new AgentTools();
        for (SubNode tool : run.subNodes(PortType.AI_TOOL)) {
            String name = tools.uniqueName(tool.node().name());
            tools.byName.put(name, tool);
            tools.specifications.add(ToolSpecification.builder()
                    .name(name)
                    .description(description(tool))
                    .parameters(inputSchema(tool.type().toolInputs(tool.node().parameters())))
                    .build());
        }
        return tools;
    }

    List<ToolSpecification> specifications() {
        return specifications;
    }

    Optional<SubNode> named(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    private static JsonObjectSchema inputSchema(Map<String, FromAi> inputs) {
        JsonObjectSchema.Builder schema = JsonObjectSchema.builder();
        List<String> required = new ArrayList<>();
        inputs.forEach((key, call) -> {
            String description = call.description().isBlank() ? null : call.description();
            switch (call.type()) {
                case "number" -> schema.addNumberProperty(key, description);
                case "integer" -> schema.addIntegerProperty(key, description);
                case "boolean" -> schema.addBooleanProperty(key, description);
                case "json" -> schema.addProperty(key, JsonObjectSchema.builder().description(description).additionalProperties(true).build());
                default -> schema.addStringProperty(key, description);
            }
            if (!call.optional()) {
                required.add(key);
            }
        });
        return schema.required(required).build();
    }

    private static String description(SubNode tool) {
        String given = tool.node().parameters() == null ? "" : tool.node().parameters().path("toolDescription").asText("");
        return given.isBlank() ? "Runs the node \"" + tool.node().name() + "\" (" + tool.node().type() + ")" : given;
    }

    private String uniqueName(String nodeName) {
        String base = nodeName.replaceAll("[^A-Za-z0-9_-]+", "_").replaceAll("^_+|_+$", "");
        if (base.isEmpty()) {
            base = "tool";
        }
        base = base.length() > MAX_NAME - 4 ? base.substring(0, MAX_NAME - 4) : base;
        String name = base;
        for (int n = 2; byName.containsKey(name); n++) {
            name = base + "_" + n;
        }
        return name;
    }
}
