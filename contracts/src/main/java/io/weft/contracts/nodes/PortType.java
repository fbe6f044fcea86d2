package io.weft.contracts.nodes;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * What flows through a port. Only ports of the same type connect: {@code main} carries items
 * between nodes; the {@code ai_*} types attach sub-nodes (a model, tools, memory, an output parser,
 * embeddings) to a root node, which calls them while it runs (a sub-node never runs on its own).
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
    AI_EMBEDDING,
    @JsonProperty("ai_outputParser")
    AI_OUTPUT_PARSER;

    /** Whether a connection of this type attaches a sub-node to its root rather than carrying items. */
    public boolean attachesSubNode() {
        return this != MAIN;
    }

    /** Whether a root may have several sub-nodes on one port of this type (tools), or at most one (a model, a memory, …). */
    public boolean takesMany() {
        return this == AI_TOOL;
    }
}
