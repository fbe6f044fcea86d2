package io.weft.workflow.workflows;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.weft.contracts.json.WeftJson;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class JsonPatchDiffTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{\"a\":1}                               | {\"a\":1}                                 | 0",
            "{\"a\":1,\"b\":2}                       | {\"b\":3,\"c\":4}                         | 3",
            "{\"n\":[1,2,3]}                          | {\"n\":[1,9,2,3]}                         | 1",
            "{\"n\":[1,2,3,4]}                        | {\"n\":[1,4]}                             | 2",
            "{\"n\":[{\"id\":\"a\"},{\"id\":\"b\"}]}  | {\"n\":[{\"id\":\"a\",\"x\":1},{\"id\":\"b\"}]} | 1",
            "{\"a/b\":{\"c~d\":1}}                    | {\"a/b\":{\"c~d\":2}}                      | 1",
            "[1,2]                                    | {\"a\":1}                                 | 1",
            "{\"n\":[]}                               | {\"n\":[1,2,3]}                           | 3",
            "{\"n\":[1,2,3]}                          | {\"n\":[]}                                | 3",
            "{\"n\":[1,2,3,4,5]}                      | {\"n\":[1,7,8,5]}                         | 3"})
    void thePatchTurnsOneDocumentIntoTheOther(String from, String to, int operations) throws Exception {
        JsonNode source = WeftJson.mapper().readTree(from);
        JsonNode target = WeftJson.mapper().readTree(to);

        ArrayNode patch = JsonPatchDiff.between(source, target);

        assertThat(patch).hasSize(operations);
        assertThat(apply(source, patch)).isEqualTo(target);
    }

    /** A minimal RFC 6902 applier for add, remove and replace, to check the patches independently. */
    private static JsonNode apply(JsonNode document, ArrayNode patch) {
        JsonNode root = document.deepCopy();
        for (JsonNode operation : patch) {
            String path = operation.get("path").asText();
            if (path.isEmpty()) {
                root = operation.get("value").deepCopy();
                continue;
            }
            int cut = path.lastIndexOf('/');
            JsonNode parent = root.at(path.substring(0, cut));
            String key = path.substring(cut + 1).replace("~1", "/").replace("~0", "~");
            String op = operation.get("op").asText();
            if (parent instanceof ObjectNode object) {
                if (op.equals("remove")) {
                    object.remove(key);
                } else {
                    object.set(key, operation.get("value").deepCopy());
                }
            } else if (parent instanceof ArrayNode array) {
                int index = Integer.parseInt(key);
                switch (op) {
                    case "remove" -> array.remove(index);
                    case "add" -> array.insert(index, operation.get("value").deepCopy());
                    default -> array.set(index, operation.get("value").deepCopy());
                }
            }
        }
        return root;
    }
}
