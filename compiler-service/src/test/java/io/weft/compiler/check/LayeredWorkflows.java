package io.weft.compiler.check;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.weft.contracts.json.WeftJson;

/**
 * Generated workflows of any size, shaped like real ones: a trigger, then repeated blocks of
 * Set → If → (two HTTP calls) → Merge, each block reading a field of the one before by expression.
 * The last block is cut short to hit the size exactly.
 */
public final class LayeredWorkflows {
    private static final int BLOCK = 5;

    private LayeredWorkflows() {
    }

    public static ObjectNode of(int size) {
        ObjectNode root = WeftJson.mapper().createObjectNode().put("name", "Generated " + size);
        ArrayNode nodes = root.putArray("nodes");
        ArrayNode connections = root.putArray("connections");
        node(nodes, "n0", "trigger.manual").putObject("parameters");
        String last = "n0";
        int i = 1;
        while (i < size) {
            String set = "n" + i;
            node(nodes, set, "core.set").putObject("parameters").putArray("fields").addObject()
                    .put("name", "step").put("value", "{{ $node[\"" + name(last) + "\"].json.step }}");
            connect(connections, last, "main", set, "main");
            last = set;
            if (++i >= size) {
                break;
            }
            if (size - i < BLOCK - 1) {
                String noOp = "n" + i;
                node(nodes, noOp, "core.noOp").putObject("parameters");
                connect(connections, last, "main", noOp, "main");
                last = noOp;
                i++;
                continue;
            }
            String check = "n" + i++;
            String left = "n" + i++;
            String right = "n" + i++;
            String merge = "n" + i++;
            node(nodes, check, "core.if").putObject("parameters").putArray("conditions").addObject()
                    .put("left", "{{ $json.step }}").put("operator", "gt").put("right", 3);
            node(nodes, left, "core.httpRequest").putObject("parameters").put("url", "https://example.com/{{ $json.step }}");
            node(nodes, right, "core.httpRequest").putObject("parameters").put("url", "https://example.org/{{ $json.step }}");
            node(nodes, merge, "core.merge").putObject("parameters").put("mode", "append");
            connect(connections, last, "main", check, "main");
            connect(connections, check, "true", left, "main");
            connect(connections, check, "false", right, "main");
            connect(connections, left, "main", merge, "input1");
            connect(connections, right, "main", merge, "input2");
            last = merge;
        }
        return root;
    }

    /** How many Merge nodes {@link #of(int)} puts in a workflow of that size. */
    public static long merges(int size) {
        return of(size).get("nodes").findValuesAsText("type").stream().filter("core.merge"::equals).count();
    }

    private static ObjectNode node(ArrayNode nodes, String id, String type) {
        return nodes.addObject().put("id", id).put("name", name(id)).put("type", type).put("typeVersion", 1);
    }

    private static String name(String id) {
        return "Node " + id.substring(1);
    }

    private static void connect(ArrayNode connections, String from, String fromPort, String to, String toPort) {
        ObjectNode connection = connections.addObject();
        connection.putObject("from").put("node", from).put("port", fromPort);
        connection.putObject("to").put("node", to).put("port", toPort);
    }
}
