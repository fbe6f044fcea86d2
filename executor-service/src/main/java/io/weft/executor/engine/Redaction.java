package io.weft.executor.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Secret values (a credential's strings) replaced by {@value #MARK} wherever they appear in text or
 * JSON a node hands on: code a tenant wrote may print or return a credential, and secrets never
 * reach events or logs. Values shorter than {@value #SHORTEST} characters are not secrets worth the
 * damage their replacement would do ({@code "on"}, a port number).
 */
public final class Redaction {
    public static final String MARK = "[redacted]";
    static final int SHORTEST = 6;
    public static final Redaction NONE = new Redaction(List.of());

    private final List<String> secrets;

    private Redaction(List<String> secrets) {
        this.secrets = secrets;
    }

    /** Every string of these credentials' data, longest first (so a secret that contains another goes whole). */
    public static Redaction of(List<JsonNode> credentialData) {
        List<String> found = new ArrayList<>();
        List<JsonNode> pending = new ArrayList<>(credentialData);
        while (!pending.isEmpty()) {
            JsonNode value = pending.remove(pending.size() - 1);
            if (value == null) {
                continue;
            }
            if (value.isTextual()) {
                if (value.asText().length() >= SHORTEST && !found.contains(value.asText())) {
                    found.add(value.asText());
                }
            } else {
                value.elements().forEachRemaining(pending::add);
            }
        }
        found.sort(Comparator.comparingInt(String::length).reversed());
        return new Redaction(List.copyOf(found));
    }

    public boolean isEmpty() {
        return secrets.isEmpty();
    }

    public String apply(String text) {
        if (text == null || secrets.isEmpty()) {
            return text;
        }
        String result = text;
        for (String secret : secrets) {
            if (result.contains(secret)) {
                result = result.replace(secret, MARK);
            }
        }
        return result;
    }

    /** The JSON with every secret in its strings (and its field names) replaced, in place. */
    public JsonNode apply(JsonNode json) {
        if (secrets.isEmpty() || json == null) {
            return json;
        }
        if (json instanceof ObjectNode object) {
            List<Map.Entry<String, JsonNode>> fields = new ArrayList<>();
            object.fields().forEachRemaining(fields::add);
            for (Map.Entry<String, JsonNode> field : fields) {
                String name = apply(field.getKey());
                JsonNode value = apply(field.getValue());
                if (!name.equals(field.getKey())) {
                    object.remove(field.getKey());
                }
                object.set(name, value);
            }
            return object;
        }
        if (json instanceof ArrayNode array) {
            for (int i = 0; i < array.size(); i++) {
                array.set(i, apply(array.get(i)));
            }
            return array;
        }
        if (json.isTextual()) {
            String text = apply(json.asText());
            return text.equals(json.asText()) ? json : TextNode.valueOf(text);
        }
        return json;
    }
}
