package io.weft.workflow.workflows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

/** The compiler's verdict on a definition, as stored with a version. */
public record CompileCheck(CompileStatus status, JsonNode diagnostics) {

    static CompileCheck unchecked() {
        return new CompileCheck(CompileStatus.UNCHECKED, JsonNodeFactory.instance.arrayNode());
    }
}
