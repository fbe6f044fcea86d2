package io.weft.executor.sandbox;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/** What a Code node's script returned: the items' JSON, in order. */
public record CodeResult(List<ObjectNode> items) {
}
