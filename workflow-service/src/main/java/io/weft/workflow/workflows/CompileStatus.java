package io.weft.workflow.workflows;

import com.fasterxml.jackson.annotation.JsonProperty;

/** What the compiler said about a version when it was saved. */
public enum CompileStatus {
    @JsonProperty("compiled")
    COMPILED,
    @JsonProperty("failed")
    FAILED,
    /** compiler-service could not be asked; the version is kept and is checked again on activation. */
    @JsonProperty("unchecked")
    UNCHECKED;

    String column() {
        return name().toLowerCase();
    }

    static CompileStatus fromColumn(String value) {
        return valueOf(value.toUpperCase());
    }
}
