package io.weft.contracts.json;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.weft.contracts.plan.ExecutionPlan;
import io.weft.contracts.plan.Join;
import io.weft.contracts.plan.NodePolicy;
import io.weft.contracts.plan.PlannedNode;
import io.weft.contracts.workflow.BackoffKind;
import io.weft.contracts.workflow.OnError;
import io.weft.contracts.workflow.RetryPolicy;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CanonicalJsonTest {

    @Test
    void sortsMembersAtEveryDepthWhateverTheirSource() throws Exception {
        JsonNode tree = WeftJson.mapper().readTree("{\"b\":1,\"a\":{\"z\":[{\"y\":1,\"x\":null}],\"c\":\"é\"}}");
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("zeta", 1);
        map.put("alpha", tree);

        assertThat(CanonicalJson.write(tree)).isEqualTo("{\"a\":{\"c\":\"é\",\"z\":[{\"x\":null,\"y\":1}]},\"b\":1}");
        assertThat(CanonicalJson.write(map)).startsWith("{\"alpha\":{\"a\":");
    }

    @Test
    void equalContentHashesEquallyAndOtherContentDoesNot() throws Exception {
        ExecutionPlan plan = plan("{\"url\":\"https://example.com\",\"method\":\"GET\"}");
        ExecutionPlan reordered = plan("{\"method\":\"GET\",\"url\":\"https://example.com\"}");
        ExecutionPlan changed = plan("{\"method\":\"POST\",\"url\":\"https://example.com\"}");

        assertThat(CanonicalJson.sha256(plan)).matches("[0-9a-f]{64}").isEqualTo(CanonicalJson.sha256(reordered))
                .isNotEqualTo(CanonicalJson.sha256(changed));
        assertThat(CanonicalJson.write(plan)).doesNotContain("\"hash\"").doesNotContain(" ");
    }

    @Test
    void matchesSortingTheWholeTree() throws Exception {
        ExecutionPlan plan = plan("{\"url\":\"https://example.com\",\"body\":{\"type\":\"json\",\"json\":{\"b\":[1,{\"d\":2,\"c\":3}],\"a\":true}}}");

        JsonNode reference = sortedCopy(WeftJson.mapper().valueToTree(plan));

        assertThat(CanonicalJson.write(plan)).isEqualTo(WeftJson.mapper().writeValueAsString(reference));
    }

    private static JsonNode sortedCopy(JsonNode node) {
        if (node.isObject()) {
            ObjectNode copy = WeftJson.mapper().createObjectNode();
            List<String> names = new java.util.ArrayList<>();
            node.fieldNames().forEachRemaining(names::add);
            names.stream().sorted().forEach(name -> copy.set(name, sortedCopy(node.get(name))));
            return copy;
        }
        if (node.isArray()) {
            var copy = WeftJson.mapper().createArrayNode();
            node.forEach(element -> copy.add(sortedCopy(element)));
            return copy;
        }
        return node;
    }

    @Test
    void aNodeThatIsNoSubNodeWritesNothingOfIt() throws Exception {
        // Plans compiled before sub-nodes existed keep their hash: the flag is written only when set.
        PlannedNode node = plan("{}").nodes().get(0);
        assertThat(WeftJson.mapper().writeValueAsString(node)).doesNotContain("subNode");
        PlannedNode attached = new PlannedNode(node.id(), node.name(), node.type(), 1, node.parameters(), Map.of(), node.policy(),
                node.join(), List.of(), List.of(), false, true);
        assertThat(WeftJson.mapper().writeValueAsString(attached)).contains("\"subNode\":true");
        assertThat(WeftJson.mapper().readValue(WeftJson.mapper().writeValueAsString(node), PlannedNode.class).subNode()).isFalse();
    }

    private static ExecutionPlan plan(String parameters) throws Exception {
        RetryPolicy retry = new RetryPolicy(1, BackoffKind.EXPONENTIAL, 1000L, 2.0, 60_000L, true, List.of());
        PlannedNode node = new PlannedNode("call", "Call", "core.httpRequest", 1, WeftJson.mapper().readTree(parameters),
                Map.of(), new NodePolicy(retry, 30_000, OnError.FAIL_EXECUTION), Join.ANY, List.of(), List.of(), false, false);
        return new ExecutionPlan(ExecutionPlan.FORMAT_VERSION, null, "Plan", List.of(), List.of(node), null);
    }
}
