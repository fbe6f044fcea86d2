package io.weft.inference.retrieval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.weft.platform.api.Paging;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * A search's filter on chunks' metadata: {@code {"team":"hr"}} keeps chunks whose document has
 * team = hr; {@code {"year":[2025,2026]}} keeps either year; several keys must all hold. Each value
 * becomes a jsonb containment {@code metadata @> $n} (ORed within a key) with the value as a
 * parameter: nothing of the filter is ever written into the SQL, and the GIN index of (knowledge
 * base, metadata) serves every condition.
 */
final class MetadataFilter {
    static final int MAX_KEYS = 20;
    static final int MAX_VALUES = 100;

    /** One JSON object per allowed value of one key, as text: the chunk's metadata must contain one of them. */
    private final List<String[]> keys;

    private MetadataFilter(List<String[]> keys) {
        this.keys = keys;
    }

    static MetadataFilter none() {
        return new MetadataFilter(List.of());
    }

    static MetadataFilter of(JsonNode filter) {
        if (filter == null || filter.isNull()) {
            return none();
        }
        if (!filter.isObject()) {
            throw Paging.invalid("filter", "must be a JSON object of metadata keys and the value (or values) they must have");
        }
        if (filter.size() > MAX_KEYS) {
            throw Paging.invalid("filter", "may name at most " + MAX_KEYS + " keys");
        }
        List<String[]> keys = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> fields = filter.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            List<JsonNode> values = new ArrayList<>();
            if (field.getValue().isArray()) {
                field.getValue().forEach(values::add);
                if (values.isEmpty() || values.size() > MAX_VALUES) {
                    throw Paging.invalid("filter." + field.getKey(), "must list 1 to " + MAX_VALUES + " values");
                }
            } else {
                values.add(field.getValue());
            }
            String[] contained = new String[values.size()];
            for (int i = 0; i < values.size(); i++) {
                JsonNode value = values.get(i);
                if (!value.isTextual() && !value.isNumber() && !value.isBoolean()) {
                    throw Paging.invalid("filter." + field.getKey(), "must be a string, a number, a boolean or a list of them");
                }
                ObjectNode one = JsonNodeFactory.instance.objectNode();
                one.set(field.getKey(), value);
                contained[i] = io.weft.contracts.json.WeftJson.jsonb(one);
            }
            keys.add(contained);
        }
        return new MetadataFilter(keys);
    }

    /** The conditions, numbering their parameters from {@code firstParameter}; empty when there is no filter. */
    String sql(int firstParameter) {
        StringBuilder sql = new StringBuilder();
        int parameter = firstParameter;
        for (String[] values : keys) {
            sql.append(" AND (");
            for (int i = 0; i < values.length; i++) {
                sql.append(i == 0 ? "" : " OR ").append("metadata @> $").append(parameter++).append("::text::jsonb");
            }
            sql.append(')');
        }
        return sql.toString();
    }

    /** The parameters of {@link #sql}, in order. */
    List<Object> parameters() {
        List<Object> parameters = new ArrayList<>();
        keys.forEach(values -> parameters.addAll(List.of(values)));
        return parameters;
    }

    boolean isEmpty() {
        return keys.isEmpty();
    }
}
