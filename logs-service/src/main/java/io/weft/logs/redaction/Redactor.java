package io.weft.logs.redaction;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.Map;
import java.util.Objects;

/**
 * Masks secrets and personal data in execution logs before they are stored: node errors, script console
 * output, dead-letter previews, audit details. Each match becomes {@code [redacted:<category>]} and is
 * counted; the masked value is never kept anywhere.
 *
 * <p>Most log text holds nothing to mask, and the service redacts tens of thousands of events a second,
 * so a detector first checks what any match needs (a length, a number of digits) and then looks for its
 * anchors, the places a match can start ({@code eyJ}, {@code ://}, {@code @}, a '+' before a digit),
 * with {@code indexOf} or a plain loop; its pattern is only tried there. A text nothing matched in comes
 * back as the same instance. Detectors run from the most specific to the least, and none matches inside
 * a marker already inserted, so redacting twice changes nothing.
 *
 * <p>Stateless and thread-safe; one instance can serve the whole service.
 */
public final class Redactor {

    public Redactor() {
    }

    /**
     * The text with every match of a category the policy masks replaced by its marker; for a bearer
     * token the word {@code Bearer} is kept and for a URL password the rest of the URL. NUL characters
     * are dropped. Null stays null.
     */
    public String redact(String text, RedactionPolicy policy, RedactionCounts counts) {
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(counts, "counts");
        if (text == null) {
            return null;
        }
        // NUL goes first: logs cannot store it, and a secret split by one must still be found.
        if (text.indexOf('\0') >= 0) {
            text = text.replace("\0", "");
        }
        if (text.length() < Detectors.SHORTEST_MATCH) {
            return text;
        }
        // Counted once: masking only removes digits, so it stays an upper bound for the later detectors.
        int digits = Checks.countDigits(text, Detector.ENOUGH_DIGITS);
        String current = text;
        for (Detector detector : Detectors.IN_ORDER) {
            if (policy.masks(detector.category()) && detector.worthTrying(current, digits)) {
                current = mask(detector, current, counts);
            }
        }
        return current;
    }

    /**
     * A copy of the tree with every string value redacted as text is, and the value of each field whose
     * name says it holds a secret ({@code password}, {@code apiKey}, {@code Authorization}, names ending
     * in {@code token}, …) replaced whole by {@code [redacted:secret-field]} when it is a non-empty string
     * or a number. Field names and other numbers are kept; the input is not changed. Null stays null.
     */
    public JsonNode redact(JsonNode node, RedactionPolicy policy, RedactionCounts counts) {
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(counts, "counts");
        return node == null ? null : copy(node, policy, counts);
    }

    private JsonNode copy(JsonNode node, RedactionPolicy policy, RedactionCounts counts) {
        if (node instanceof ObjectNode object) {
            ObjectNode copy = object.objectNode();
            for (Map.Entry<String, JsonNode> field : object.properties()) {
                JsonNode value = field.getValue();
                copy.set(field.getKey(), SecretFieldNames.isSecret(field.getKey()) && maskable(value)
                        ? secretField(value, counts)
                        : copy(value, policy, counts));
            }
            return copy;
        }
        if (node instanceof ArrayNode array) {
            ArrayNode copy = array.arrayNode(array.size());
            for (JsonNode element : array) {
                copy.add(copy(element, policy, counts));
            }
            return copy;
        }
        if (node.isTextual()) {
            String text = node.textValue();
            String redacted = redact(text, policy, counts);
            return redacted == text ? node : TextNode.valueOf(redacted);
        }
        // Numbers, booleans, nulls and binary values are immutable: sharing them is still a copy.
        return node;
    }

    private static boolean maskable(JsonNode value) {
        return value.isNumber() || (value.isTextual() && !value.textValue().isEmpty());
    }

    private static JsonNode secretField(JsonNode value, RedactionCounts counts) {
        if (value.isTextual() && Markers.isMarker(value.textValue())) {
            return value; // redacted before: not a new secret
        }
        counts.add(RedactionCategory.SECRET_FIELD);
        return TextNode.valueOf(RedactionCategory.SECRET_FIELD.marker());
    }

    private static String mask(Detector detector, String text, RedactionCounts counts) {
        Detector.Spans spans = detector.find(text);
        if (!spans.next()) {
            return text;
        }
        int[] markers = Markers.find(text);
        String marker = detector.category().marker();
        StringBuilder out = null;
        int copied = 0;
        do {
            int start = spans.start();
            int end = spans.end();
            if (Markers.overlaps(markers, start, end)) {
                continue;
            }
            if (out == null) {
                out = new StringBuilder(text.length() + 16);
            }
            out.append(text, copied, start).append(marker);
            copied = end;
            counts.add(detector.category());
        } while (spans.next());
        return out == null ? text : out.append(text, copied, text.length()).toString();
    }
}
