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
 * Secret values of credentials replaced by {@value #MARK} wherever they appear in text or JSON a node
 * hands on: code a tenant wrote may print or return a credential, and secrets never reach events or
 * logs. A value is secret by its field's name — the credential types' write-only fields ({@code
 * token}, {@code botToken}, {@code apiKey}, {@code password}, {@code clientSecret}, {@code
 * privateKey}, {@code secret}, a header's {@code value}) and an OAuth2 credential's tokens — not
 * its user name, URLs or scopes, whose replacement would only garble output. Values shorter than
 * {@value #SHORTEST} characters are not replaced either.
 */
public final class Redaction {
    public static final String MARK = "[redacted]";
    static final int SHORTEST = 6;
    private static final List<String> SECRET_WORDS = List.of("token", "secret", "password", "key", "assertion");
    public static final Redaction NONE = new Redaction(List.of());

    private final List<String> secrets;

    private Redaction(List<String> secrets) {
        this.secrets = secrets;
    }

    /** The secret strings of these credentials' data, longest first (so a secret that contains another goes whole). */
    public static Redaction of(List<JsonNode> credentialData) {
        List<String> found = new ArrayList<>();
        credentialData.forEach(data -> collect(data, "", found));
        found.sort(Comparator.comparingInt(String::length).reversed());
        return new Redaction(List.copyOf(found));
    }

    private static void collect(JsonNode value, String field, List<String> found) {
        if (value == null) {
            return;
        }
        if (value.isTextual()) {
            if (secretField(field) && value.asText().length() >= SHORTEST && !found.contains(value.asText())) {
                found.add(value.asText());
            }
        } else if (value.isObject()) {
            value.fields().forEachRemaining(entry -> collect(entry.getValue(), entry.getKey(), found));
        } else if (value.isArray()) {
            value.forEach(element -> collect(element, field, found));
        }
    }

    private static boolean secretField(String name) {
        String field = name.toLowerCase(java.util.Locale.ROOT);
        if (field.endsWith("url") || field.equals("tokentype")) {
            return false;
        }
        return field.equals("value") || SECRET_WORDS.stream().anyMatch(field::contains);
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
