package io.weft.executor.nodes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.weft.contracts.events.ErrorKind;
import io.weft.contracts.json.WeftJson;
import io.weft.executor.engine.NodeFailure;
import io.weft.executor.nodes.core.IfNode;
import io.weft.executor.nodes.core.SetNode;
import io.weft.executor.nodes.core.SwitchNode;
import io.weft.executor.nodes.core.WaitNode;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Every typed node's parameters record agrees with its descriptor: the same parameter names, a
 * default in the descriptor for every primitive (a record has no defaults of its own), and each
 * default bound as the descriptor writes it.
 */
class TypedParametersTest {

    private static Stream<TypedNodeType<?>> typed() {
        return CoreNodeTypes.ALL.stream().filter(TypedNodeType.class::isInstance).map(type -> (TypedNodeType<?>) type);
    }

    @TestFactory
    Stream<DynamicTest> eachRecordAgreesWithItsDescriptor() {
        return typed().map(type -> DynamicTest.dynamicTest(type.descriptor().type(), () -> {
            JsonNode properties = type.descriptor().parametersSchema().path("properties");
            Set<String> described = new TreeSet<>();
            properties.fieldNames().forEachRemaining(described::add);
            RecordComponent[] components = type.parametersType().getRecordComponents();
            assertThat(Arrays.stream(components).map(RecordComponent::getName).toList())
                    .as("the record's components are the descriptor's parameters").containsExactlyInAnyOrderElementsOf(described);

            List<String> primitivesWithoutDefault = new ArrayList<>();
            for (RecordComponent component : components) {
                if (component.getType().isPrimitive() && !properties.path(component.getName()).has("default")) {
                    primitivesWithoutDefault.add(component.getName());
                }
            }
            assertThat(primitivesWithoutDefault).as("primitives need a default in the descriptor").isEmpty();

            ObjectNode requiredOnly = WeftJson.mapper().createObjectNode();
            type.descriptor().parametersSchema().path("required")
                    .forEach(name -> requiredOnly.set(name.asText(), sample(properties.path(name.asText()))));
            Object bound = type.bind("test", requiredOnly);
            JsonNode asBound = WeftJson.mapper().valueToTree(bound);
            properties.fields().forEachRemaining(property -> {
                JsonNode byDefault = property.getValue().get("default");
                JsonNode value = asBound.get(property.getKey());
                if (byDefault != null && byDefault.isNumber()) {
                    assertThat(value.decimalValue()).as(property.getKey()).isEqualByComparingTo(byDefault.decimalValue());
                } else if (byDefault != null) {
                    assertThat(value).as(property.getKey()).isEqualTo(byDefault);
                }
            });
        }));
    }

    /** A value of the property's JSON type, for required parameters that have no default. */
    private static JsonNode sample(JsonNode property) {
        if (property.has("enum")) {
            return property.get("enum").get(0);
        }
        return switch (property.path("type").asText()) {
            case "array" -> WeftJson.mapper().createArrayNode();
            case "string" -> TextNode.valueOf("x");
            case "integer", "number" -> IntNode.valueOf(0);
            case "boolean" -> BooleanNode.FALSE;
            default -> WeftJson.mapper().createObjectNode();
        };
    }

    @Test
    void nestedDefaultsAreFilledThroughArraysAndReferences() throws Exception {
        SwitchNode.Parameters parameters = new SwitchNode().bind("Route", WeftJson.mapper().readTree("""
                {"rules": [{"conditions": [{"left": 1, "operator": "equals", "right": 1}]}]}"""));
        assertThat(parameters.fallback()).isEqualTo("output");
        assertThat(parameters.allMatchingRules()).isFalse();
        assertThat(parameters.rules().get(0).combine()).isEqualTo("and");
        assertThat(parameters.rules().get(0).conditions().get(0).caseSensitive()).isTrue();
    }

    @Test
    void aNullParameterTakesItsDefaultAndAMissingConditionSideStaysMissing() throws Exception {
        IfNode.Parameters parameters = new IfNode().bind("Check", WeftJson.mapper().readTree("""
                {"conditions": [{"left": null, "operator": "exists"}], "combine": null}"""));
        assertThat(parameters.combine()).isEqualTo("and");
        assertThat(parameters.conditions().get(0).left().isNull()).as("an explicit null stays null").isTrue();
        assertThat(parameters.conditions().get(0).right().isMissingNode()).isTrue();
        SetNode.Parameters set = new SetNode().bind("Shape", WeftJson.mapper().readTree("{\"fields\": [{\"name\": \"a\"}]}"));
        assertThat(set.keepInputFields()).isTrue();
        assertThat(set.fields().get(0).value()).isNull();
        assertThat(set.remove()).isEmpty();
    }

    @Test
    void aParameterOfTheWrongShapeIsAnInvalidParametersFailureThatNamesIt() throws Exception {
        assertThatThrownBy(() -> new WaitNode().bind("Nap", WeftJson.mapper().readTree("{\"durationMs\": \"soon\"}")))
                .isInstanceOfSatisfying(NodeFailure.class, failure -> {
                    assertThat(failure.kind()).isEqualTo(ErrorKind.INVALID_PARAMETERS);
                    assertThat(failure.retryable()).isFalse();
                    assertThat(failure.getMessage()).contains("Nap").contains("'durationMs'");
                });
        assertThat(new WaitNode().bind("Nap", WeftJson.mapper().readTree("{\"durationMs\": \"1500\"}")).durationMs())
                .as("a number an expression produced as text").isEqualTo(1500);
        assertThatThrownBy(() -> new SetNode().bind("Shape", WeftJson.mapper().readTree("{\"fields\": [{\"name\": \"a\", \"extra\": 1}]}")))
                .isInstanceOf(NodeFailure.class).hasMessageContaining("fields[0]");
        assertThatThrownBy(() -> new IfNode().bind("Check", WeftJson.mapper().readTree("{\"conditions\": null}")))
                .isInstanceOf(NodeFailure.class).hasMessageContaining("'conditions' is required");
    }
}
