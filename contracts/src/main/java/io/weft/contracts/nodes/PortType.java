package io.weft.contracts.nodes;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * What flows through a port. Only ports of the same type connect: {@code main} carries items
 * between nodes; the {@code ai_*} types attach sub-nodes (a model, tools, memory) to an AI node.
 */
public enum PortType {
    @JsonProperty("main")
    MAIN,
    @JsonProperty("ai_languageModel")
    AI_LANGUAGE_MODEL,
    @JsonProperty("ai_tool")
    AI_TOOL,
    @JsonProperty("ai_memory")
    AI_MEMORY,
    @JsonProperty("ai_embedding")
    AI_EMBEDDING
}
