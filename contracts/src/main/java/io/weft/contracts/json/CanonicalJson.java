package io.weft.contracts.json;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * One byte sequence per JSON value, so that equal content hashes equally: object members sorted
 * by name at every depth (record components, map keys and JSON trees alike), no insignificant
 * whitespace, {@link WeftJson}'s conventions otherwise (absent rather than null fields). Written in
 * one pass, straight into the digest when hashing.
 */
public final class CanonicalJson {
    private static final ObjectMapper MAPPER = canonicalMapper();

    private CanonicalJson() {
    }

    public static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (IOException e) {
            throw new IllegalArgumentException("not serialisable as JSON: " + e.getMessage(), e);
        }
    }

    /** SHA-256 of the canonical JSON (UTF-8), as lower-case hex. */
    public static String sha256(Object value) {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
        try (OutputStream out = new DigestOutputStream(OutputStream.nullOutputStream(), digest)) {
            MAPPER.writeValue(out, value);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot hash a value as JSON", e);
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static ObjectMapper canonicalMapper() {
        SimpleModule sortedTrees = new SimpleModule("canonical-json-trees")
                .addSerializer(ObjectNode.class, new SortedTreeSerializer<>(ObjectNode.class))
                .addSerializer(ArrayNode.class, new SortedTreeSerializer<>(ArrayNode.class));
        ObjectMapper mapper = JsonMapper.builder()
                .enable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
                .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
                .build();
        return WeftJson.configure(mapper).registerModule(sortedTrees);
    }

    /** Writes a JSON tree with every object's members in name order. */
    private static final class SortedTreeSerializer<T extends JsonNode> extends StdSerializer<T> {

        SortedTreeSerializer(Class<T> type) {
            super(type);
        }

        @Override
        public void serialize(T node, JsonGenerator generator, SerializerProvider provider) throws IOException {
            writeSorted(node, generator, provider);
        }

        private static void writeSorted(JsonNode node, JsonGenerator generator, SerializerProvider provider) throws IOException {
            if (node.isObject()) {
                List<String> names = new ArrayList<>(node.size());
                node.fieldNames().forEachRemaining(names::add);
                names.sort(null);
                generator.writeStartObject();
                for (String name : names) {
                    generator.writeFieldName(name);
                    writeSorted(node.get(name), generator, provider);
                }
                generator.writeEndObject();
            } else if (node.isArray()) {
                generator.writeStartArray();
                for (JsonNode element : node) {
                    writeSorted(element, generator, provider);
                }
                generator.writeEndArray();
            } else {
                ((com.fasterxml.jackson.databind.node.BaseJsonNode) node).serialize(generator, provider);
            }
        }
    }
}
