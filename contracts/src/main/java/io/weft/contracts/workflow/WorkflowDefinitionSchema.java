package io.weft.contracts.workflow;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;
import com.networknt.schema.path.PathType;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Comparator;
import java.util.List;

/** The JSON Schema (draft 2020-12) of a workflow definition, and validation against it. */
public final class WorkflowDefinitionSchema {
    public static final String RESOURCE = "/schemas/workflow-definition.schema.json";

    private static final Schema SCHEMA = load();

    private WorkflowDefinitionSchema() {
    }

    /** Violations ordered by pointer; empty when the document is a valid workflow definition. */
    public static List<SchemaViolation> validate(JsonNode document) {
        return SCHEMA.validate(document).stream()
                .map(WorkflowDefinitionSchema::toViolation)
                .sorted(Comparator.comparing(SchemaViolation::pointer).thenComparing(SchemaViolation::keyword))
                .toList();
    }

    private static SchemaViolation toViolation(Error error) {
        String pointer = error.getInstanceLocation().toString();
        if ("required".equals(error.getKeyword()) && error.getProperty() != null) {
            pointer = pointer + "/" + error.getProperty();
        }
        return new SchemaViolation(pointer, error.getKeyword(), error.getMessage());
    }

    private static Schema load() {
        SchemaRegistryConfig config = SchemaRegistryConfig.builder().pathType(PathType.JSON_POINTER).build();
        SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12,
                builder -> builder.schemaRegistryConfig(config));
        try (InputStream in = WorkflowDefinitionSchema.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + RESOURCE);
            }
            return registry.getSchema(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
