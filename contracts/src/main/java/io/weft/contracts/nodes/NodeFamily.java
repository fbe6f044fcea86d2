package io.weft.contracts.nodes;

import com.fasterxml.jackson.annotation.JsonProperty;

public enum NodeFamily {
    @JsonProperty("trigger")
    TRIGGER,
    @JsonProperty("core")
    CORE,
    @JsonProperty("llm")
    LLM,
    @JsonProperty("integration")
    INTEGRATION,
    @JsonProperty("rag")
    RAG,
    @JsonProperty("human")
    HUMAN,
    @JsonProperty("custom")
    CUSTOM
}
