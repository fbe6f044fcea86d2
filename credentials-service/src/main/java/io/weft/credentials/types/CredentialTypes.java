package io.weft.credentials.types;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;
import com.networknt.schema.path.PathType;
import io.weft.contracts.json.WeftJson;
import io.weft.contracts.problems.ProblemType;
import io.weft.platform.problems.Problem;
import io.weft.platform.problems.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The credential types Weft knows ({@code credentials/types.json}), and validation of data against them. */
@ApplicationScoped
public class CredentialTypes {
    private static final String RESOURCE = "/credentials/types.json";

    private final Map<String, CredentialType> types = new LinkedHashMap<>();
    private final Map<String, Schema> schemas = new LinkedHashMap<>();

    CredentialTypes() {
        SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12,
                builder -> builder.schemaRegistryConfig(SchemaRegistryConfig.builder().pathType(PathType.JSON_POINTER).build()));
        for (JsonNode descriptor : load().path("types")) {
            CredentialType type = CredentialType.of(descriptor);
            types.put(type.type(), type);
            schemas.put(type.type(), registry.getSchema(type.schema()));
        }
    }

    public List<CredentialType> all() {
        return List.copyOf(types.values());
    }

    public Optional<CredentialType> find(String type) {
        return Optional.ofNullable(type == null ? null : types.get(type));
    }

    /** The type, or a 400 naming the known ones. */
    public CredentialType require(String type) {
        return find(type).orElseThrow(() -> new ProblemException(ProblemType.VALIDATION_FAILED, 400, "unknown credential type",
                List.of(new Problem.Violation("type", "must be one of " + String.join(", ", types.keySet())))));
    }

    /** Validates data against its type's schema: a 400 listing what is wrong (never the values). */
    public void validate(CredentialType type, JsonNode data) {
        List<Problem.Violation> violations = schemas.get(type.type()).validate(data).stream()
                .map(CredentialTypes::violation)
                .sorted(Comparator.comparing(Problem.Violation::field))
                .toList();
        if (!violations.isEmpty()) {
            throw new ProblemException(ProblemType.VALIDATION_FAILED, 400, "the data does not fit the " + type.type() + " type",
                    violations);
        }
    }

    private static Problem.Violation violation(Error error) {
        String pointer = error.getInstanceLocation().toString();
        if ("required".equals(error.getKeyword()) && error.getProperty() != null) {
            pointer = pointer + "/" + error.getProperty();
        }
        // The validator's message may quote the value; a secret's value must not come back, so only the rule is named.
        return new Problem.Violation("data" + pointer, "does not satisfy '" + error.getKeyword() + "'"
                + (error.getProperty() != null && "required".equals(error.getKeyword()) ? ": required" : ""));
    }

    private static JsonNode load() {
        try (InputStream in = CredentialTypes.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + RESOURCE);
            }
            return WeftJson.mapper().readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
