package io.weft.workflow.workflows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.ArrayList;
import java.util.List;

/**
 * The RFC 6902 JSON Patch that turns one JSON value into another, using add, remove and replace.
 * Objects are compared member by member; arrays keep their common start and end and patch the
 * middle, so that inserting one node into a workflow is one {@code add}, not a rewrite of the list.
 */
final class JsonPatchDiff {

    private JsonPatchDiff() {
    }

    static ArrayNode between(JsonNode from, JsonNode to) {
        ArrayNode operations = JsonNodeFactory.instance.arrayNode();
        diff(from, to, "", operations);
        return operations;
    }

    private static void diff(JsonNode from, JsonNode to, String path, ArrayNode operations) {
        if (from.equals(to)) {
            return;
        }
        if (from.isObject() && to.isObject()) {
            List<String> names = new ArrayList<>();
            from.fieldNames().forEachRemaining(names::add);
            for (String name : names) {
                if (!to.has(name)) {
                    operation(operations, "remove", path + "/" + escape(name), null);
                }
            }
            to.fieldNames().forEachRemaining(name -> {
                if (from.has(name)) {
                    diff(from.get(name), to.get(name), path + "/" + escape(name), operations);
                } else {
                    operation(operations, "add", path + "/" + escape(name), to.get(name));
                }
            });
        } else if (from.isArray() && to.isArray()) {
            int shorter = Math.min(from.size(), to.size());
            int prefix = 0;
            while (prefix < shorter && from.get(prefix).equals(to.get(prefix))) {
                prefix++;
            }
            int suffix = 0;
            while (suffix < shorter - prefix && from.get(from.size() - 1 - suffix).equals(to.get(to.size() - 1 - suffix))) {
                suffix++;
            }
            int fromMiddle = from.size() - prefix - suffix;
            int toMiddle = to.size() - prefix - suffix;
            int paired = Math.min(fromMiddle, toMiddle);
            for (int i = 0; i < paired; i++) {
                diff(from.get(prefix + i), to.get(prefix + i), path + "/" + (prefix + i), operations);
            }
            for (int i = paired; i < fromMiddle; i++) {
                operation(operations, "remove", path + "/" + (prefix + paired), null);
            }
            for (int i = paired; i < toMiddle; i++) {
                operation(operations, "add", path + "/" + (prefix + i), to.get(prefix + i));
            }
        } else {
            operation(operations, "replace", path, to);
        }
    }

    private static void operation(ArrayNode operations, String op, String path, JsonNode value) {
        var operation = operations.addObject().put("op", op).put("path", path);
        if (value != null) {
            operation.set("value", value.deepCopy());
        }
    }

    private static String escape(String name) {
        return name.replace("~", "~0").replace("/", "~1");
    }
}
