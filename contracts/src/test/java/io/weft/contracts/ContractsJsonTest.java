package io.weft.contracts;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.weft.contracts.json.WeftJson;
import io.weft.contracts.nodes.NodeFamily;
import io.weft.contracts.nodes.NodeTypeDescriptor;
import io.weft.contracts.nodes.PortDescriptor;
import io.weft.contracts.nodes.PortType;
import io.weft.contracts.problems.ProblemType;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class ContractsJsonTest {

    @Test
    void nodeTypeDescriptorRoundTrips() throws Exception {
        JsonNode schema = WeftJson.mapper().readTree("""
                {"type":"object","required":["url"],"properties":{"url":{"type":"string"},
                 "method":{"enum":["GET","POST"],"default":"GET"}}}""");
        NodeTypeDescriptor descriptor = new NodeTypeDescriptor("core.httpRequest", 1, "HTTP Request",
                "Calls an HTTP API", NodeFamily.CORE, false, schema,
                List.of(new PortDescriptor("main", PortType.MAIN, "Input", true)),
                List.of(new PortDescriptor("main", PortType.MAIN, "Response", false),
                        new PortDescriptor("error", PortType.MAIN, "Error", false)),
                List.of("httpBasic", "httpBearer", "oAuth2"));

        String json = WeftJson.mapper().writeValueAsString(descriptor);

        assertThat(WeftJson.mapper().readValue(json, NodeTypeDescriptor.class)).isEqualTo(descriptor);
        assertThat(WeftJson.mapper().readTree(json).at("/inputs/0/type").asText()).isEqualTo("main");
        assertThat(WeftJson.mapper().readTree(json).at("/family").asText()).isEqualTo("core");
    }

    @Test
    void aiPortTypesUseTheirWireNames() throws Exception {
        assertThat(WeftJson.mapper().writeValueAsString(PortType.AI_LANGUAGE_MODEL)).isEqualTo("\"ai_languageModel\"");
        assertThat(WeftJson.mapper().readValue("\"ai_tool\"", PortType.class)).isEqualTo(PortType.AI_TOOL);
    }

    @Test
    void triggersCannotHaveInputs() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new NodeTypeDescriptor("trigger.manual", 1, "Manual",
                        "", NodeFamily.TRIGGER, true, null,
                        List.of(new PortDescriptor("main", PortType.MAIN, "In", false)), List.of(), List.of()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void problemTypeUrisAreUniqueAndStable() {
        assertThat(Arrays.stream(ProblemType.values()).map(ProblemType::uri).distinct()).hasSize(ProblemType.values().length);
        assertThat(ProblemType.NOT_FOUND.uri()).hasToString("https://weft.dev/problems/not-found");
        assertThat(ProblemType.forStatus(404)).isEqualTo(ProblemType.NOT_FOUND);
        assertThat(ProblemType.forStatus(400)).isEqualTo(ProblemType.MALFORMED_REQUEST);
        assertThat(ProblemType.forStatus(418)).isEqualTo(ProblemType.MALFORMED_REQUEST);
        assertThat(ProblemType.forStatus(599)).isEqualTo(ProblemType.INTERNAL);
    }
}
