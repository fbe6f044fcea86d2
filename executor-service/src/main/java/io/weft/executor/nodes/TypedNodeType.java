package io.weft.executor.nodes;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import io.weft.contracts.events.ErrorKind;
import io.weft.contracts.json.WeftJson;
import io.weft.executor.engine.NodeFailure;
import io.weft.executor.engine.NodeRun;
import java.util.stream.Collectors;

/**
 * A node type whose parameters are a record {@code P}: the resolved parameters, with the defaults
 * of the descriptor filled in ({@link ParameterDefaults}), bound to {@code P}. A node reads
 * {@code parameters(run, item)} instead of walking JSON, and writes no default of its own; a
 * test over the catalog checks that every record agrees with its descriptor.
 */
public abstract class TypedNodeType<P extends Record> extends DescribedNodeType {
    private static final ObjectReader READER = WeftJson.mapper().reader()
            .with(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .with(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private final Class<P> parametersType;
    private final ParameterDefaults defaults;

    protected TypedNodeType(String type, int version, Class<P> parametersType) {
        super(type, version);
        this.parametersType = parametersType;
        this.defaults = new ParameterDefaults(descriptor().parametersSchema());
    }

    public Class<P> parametersType() {
        return parametersType;
    }

    /** The parameters with their expressions resolved against input item {@code item}. */
    protected P parameters(NodeRun run, int item) {
        return bind(run.node().name(), run.parameters(item));
    }

    /** The parameters resolved without an item (for nodes that run once, not per item). */
    protected P parameters(NodeRun run) {
        return bind(run.node().name(), run.parameters());
    }

    /** Binds resolved parameters; an invalid one is an {@code INVALID_PARAMETERS} failure that names it. */
    public P bind(String nodeName, JsonNode resolved) {
        JsonNode complete = defaults.fill(resolved);
        for (JsonNode required : descriptor().parametersSchema().path("required")) {
            JsonNode value = complete.get(required.asText());
            if (value == null || value.isNull()) {
                throw new NodeFailure(ErrorKind.INVALID_PARAMETERS, false, "node \"" + nodeName + "\": parameter '"
                        + required.asText() + "' is required");
            }
        }
        try {
            return READER.treeToValue(complete, parametersType);
        } catch (JsonMappingException e) {
            String where = e.getPath().stream().map(reference -> reference.getFieldName() != null ? reference.getFieldName()
                    : "[" + reference.getIndex() + "]").collect(Collectors.joining(".")).replace(".[", "[");
            throw new NodeFailure(ErrorKind.INVALID_PARAMETERS, false, "node \"" + nodeName + "\": parameter "
                    + (where.isEmpty() ? "" : "'" + where + "' ") + "has the wrong type or shape");
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new NodeFailure(ErrorKind.INVALID_PARAMETERS, false, "node \"" + nodeName + "\": the parameters cannot be read");
        }
    }
}
