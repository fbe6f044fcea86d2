package io.weft.executor.nodes.custom;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import io.weft.contracts.nodes.NodeFamily;
import io.weft.contracts.nodes.NodeTypeDescriptor;
import io.weft.contracts.nodes.PortDescriptor;
import io.weft.contracts.nodes.PortType;
import io.weft.contracts.problems.ProblemType;
import io.weft.platform.problems.Problem;
import io.weft.platform.problems.ProblemException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What a tenant sends to register a version of its own node type, checked field by field: the
 * descriptor's fields (as {@code /api/nodes} shows them) and {@code code}. A custom type is never a
 * trigger and has one main input and up to {@value #MOST_OUTPUTS} main outputs; its parameter schema
 * is JSON Schema 2020-12 that refers only to itself (a {@code $ref} elsewhere would make the executor
 * and the compiler fetch a URL the tenant chose).
 */
record CustomNodeRegistration(NodeTypeDescriptor descriptor, String code) {
    static final int MOST_CODE_CHARS = 256 * 1024;
    static final int MOST_SCHEMA_CHARS = 64 * 1024;
    static final int MOST_OUTPUTS = 10;
    static final int MOST_CREDENTIAL_TYPES = 5;
    private static final int DEEPEST_SCHEMA = 32;
    private static final Pattern TYPE = Pattern.compile("custom\\.[a-zA-Z][a-zA-Z0-9_-]{0,39}(\\.[a-zA-Z][a-zA-Z0-9_-]{0,39}){0,3}");
    private static final Pattern PORT = Pattern.compile("[a-zA-Z][a-zA-Z0-9_]{0,31}");
    private static final Pattern CREDENTIAL_TYPE = Pattern.compile("[a-zA-Z][a-zA-Z0-9]{0,63}");
    private static final Set<String> FIELDS = Set.of("type", "version", "displayName", "description", "family", "trigger",
            "parametersSchema", "inputs", "outputs", "credentialTypes", "code");
    private static final Set<String> SCHEMA_KEYWORDS_REFUSED = Set.of("$id", "$dynamicRef", "$recursiveRef", "$dynamicAnchor", "$recursiveAnchor");

    static CustomNodeRegistration read(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw new ProblemException(ProblemType.MALFORMED_REQUEST, "the body must be a JSON object: the node type's descriptor and its code");
        }
        List<Problem.Violation> violations = new ArrayList<>();
        body.fieldNames().forEachRemaining(name -> {
            if (!FIELDS.contains(name)) {
                violations.add(new Problem.Violation(name, "is not a field of a custom node type (" + String.join(", ", FIELDS.stream().sorted().toList()) + ")"));
            }
        });
        String type = text(body, "type", violations);
        if (type != null && !TYPE.matcher(type).matches()) {
            violations.add(new Problem.Violation("type", "must be custom.<name> (letters, digits, _ or -, starting with a letter; up to "
                    + "four dotted names), e.g. custom.enrichLead"));
        }
        JsonNode version = body.path("version");
        if (!version.isIntegralNumber() || version.asLong() < 1 || version.asLong() > 1_000_000) {
            violations.add(new Problem.Violation("version", "must be a whole number from 1 to 1000000"));
        }
        String displayName = text(body, "displayName", violations);
        if (displayName != null && (displayName.isBlank() || displayName.length() > 100)) {
            violations.add(new Problem.Violation("displayName", "must be 1 to 100 characters"));
        }
        JsonNode description = body.path("description");
        if (!description.isMissingNode() && !description.isNull() && (!description.isTextual() || description.asText().length() > 2000)) {
            violations.add(new Problem.Violation("description", "must be text of at most 2000 characters"));
        }
        if (body.has("family") && !"custom".equals(body.path("family").asText())) {
            violations.add(new Problem.Violation("family", "a tenant's node type is of the family custom"));
        }
        if (body.path("trigger").asBoolean(false)) {
            violations.add(new Problem.Violation("trigger", "custom node types cannot be triggers"));
        }
        JsonNode schema = body.has("parametersSchema") ? body.get("parametersSchema")
                : JsonNodeFactory.instance.objectNode().put("type", "object");
        schema(schema, violations);
        List<PortDescriptor> inputs = ports(body, "inputs", new PortDescriptor("main", PortType.MAIN, "Input", true), violations);
        if (inputs.size() != 1) {
            violations.add(new Problem.Violation("inputs", "a custom node type has exactly one input"));
        }
        List<PortDescriptor> outputs = ports(body, "outputs", new PortDescriptor("main", PortType.MAIN, "Output", false), violations);
        if (outputs.isEmpty() || outputs.size() > MOST_OUTPUTS) {
            violations.add(new Problem.Violation("outputs", "a custom node type has 1 to " + MOST_OUTPUTS + " outputs"));
        }
        List<String> credentialTypes = credentialTypes(body.path("credentialTypes"), violations);
        String code = text(body, "code", violations);
        if (code != null && (code.isBlank() || code.length() > MOST_CODE_CHARS)) {
            violations.add(new Problem.Violation("code", "must be JavaScript of 1 to " + MOST_CODE_CHARS + " characters"));
        } else if (code != null && code.indexOf('\0') >= 0) {
            violations.add(new Problem.Violation("code", "must not contain the character U+0000"));
        }
        if (!violations.isEmpty()) {
            throw new ProblemException(ProblemType.VALIDATION_FAILED, 400, "the custom node type is not valid", violations);
        }
        NodeTypeDescriptor descriptor = new NodeTypeDescriptor(type, version.asInt(), displayName,
                description.isTextual() ? description.asText() : null, NodeFamily.CUSTOM, false, schema, inputs, outputs, credentialTypes);
        return new CustomNodeRegistration(descriptor, code);
    }

    private static String text(JsonNode body, String field, List<Problem.Violation> violations) {
        JsonNode value = body.path(field);
        if (!value.isTextual()) {
            violations.add(new Problem.Violation(field, "is required and must be text"));
            return null;
        }
        return value.asText();
    }

    private static void schema(JsonNode schema, List<Problem.Violation> violations) {
        if (!schema.isObject()) {
            violations.add(new Problem.Violation("parametersSchema", "must be a JSON Schema object"));
            return;
        }
        if (schema.toString().length() > MOST_SCHEMA_CHARS) {
            violations.add(new Problem.Violation("parametersSchema", "must be at most " + MOST_SCHEMA_CHARS + " characters of JSON"));
            return;
        }
        if (schema.has("type") && !"object".equals(schema.path("type").asText())) {
            violations.add(new Problem.Violation("parametersSchema.type", "parameters are an object: the type must be \"object\""));
        }
        String refused = refusedKeyword(schema, 0);
        if (refused != null) {
            violations.add(new Problem.Violation("parametersSchema", refused));
            return;
        }
        try {
            SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12).getSchema(schema);
        } catch (RuntimeException e) {
            violations.add(new Problem.Violation("parametersSchema", "does not load as JSON Schema 2020-12: " + e.getMessage()));
        }
    }

    /** What in the schema may not be there: references out of it, or nesting too deep to check. */
    private static String refusedKeyword(JsonNode schema, int depth) {
        if (depth > DEEPEST_SCHEMA) {
            return "is nested deeper than " + DEEPEST_SCHEMA + " levels";
        }
        if (schema.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> fields = schema.fields(); fields.hasNext(); ) {
                Map.Entry<String, JsonNode> field = fields.next();
                if (SCHEMA_KEYWORDS_REFUSED.contains(field.getKey())) {
                    return "may not use " + field.getKey() + ": a custom node's schema stands on its own";
                }
                if (("$ref".equals(field.getKey()) || "$schema".equals(field.getKey())) && field.getValue().isTextual()
                        && !field.getValue().asText().startsWith("#")
                        && !("$schema".equals(field.getKey()) && field.getValue().asText().equals("https://json-schema.org/draft/2020-12/schema"))) {
                    return "may refer only to its own parts (\"#/$defs/…\"), not to " + field.getValue().asText();
                }
                String inner = refusedKeyword(field.getValue(), depth + 1);
                if (inner != null) {
                    return inner;
                }
            }
        } else if (schema.isArray()) {
            for (JsonNode element : schema) {
                String inner = refusedKeyword(element, depth + 1);
                if (inner != null) {
                    return inner;
                }
            }
        }
        return null;
    }

    private static List<PortDescriptor> ports(JsonNode body, String field, PortDescriptor byDefault, List<Problem.Violation> violations) {
        JsonNode given = body.path(field);
        if (given.isMissingNode() || given.isNull()) {
            return List.of(byDefault);
        }
        if (!given.isArray() || given.size() > MOST_OUTPUTS) {
            violations.add(new Problem.Violation(field, "must be a list of at most " + MOST_OUTPUTS + " ports"));
            return List.of();
        }
        List<PortDescriptor> ports = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (int i = 0; i < given.size(); i++) {
            JsonNode port = given.get(i);
            String name = port.path("name").asText("");
            if (!port.isObject() || !PORT.matcher(name).matches() || !names.add(name)) {
                violations.add(new Problem.Violation(field + "[" + i + "].name", "must be a distinct name of letters, digits or _ (up to 32)"));
                continue;
            }
            if (port.has("type") && !"main".equals(port.path("type").asText())) {
                violations.add(new Problem.Violation(field + "[" + i + "].type", "the ports of a custom node type carry items: \"main\""));
                continue;
            }
            String displayName = port.path("displayName").asText(name);
            ports.add(new PortDescriptor(name, PortType.MAIN, displayName.length() > 100 ? displayName.substring(0, 100) : displayName,
                    port.path("required").asBoolean(byDefault.required())));
        }
        return ports;
    }

    private static List<String> credentialTypes(JsonNode given, List<Problem.Violation> violations) {
        if (given.isMissingNode() || given.isNull()) {
            return List.of();
        }
        if (!given.isArray() || given.size() > MOST_CREDENTIAL_TYPES) {
            violations.add(new Problem.Violation("credentialTypes", "must be a list of at most " + MOST_CREDENTIAL_TYPES + " credential types"));
            return List.of();
        }
        List<String> types = new ArrayList<>();
        for (JsonNode type : given) {
            if (!type.isTextual() || !CREDENTIAL_TYPE.matcher(type.asText()).matches() || types.contains(type.asText())) {
                violations.add(new Problem.Violation("credentialTypes", "must be distinct credential type names such as httpHeaderAuth"));
                return List.of();
            }
            types.add(type.asText());
        }
        return types;
    }
}
