package io.weft.inference.documents;

import com.fasterxml.jackson.databind.JsonNode;
import io.weft.contracts.json.WeftJson;
import io.weft.contracts.problems.ProblemType;
import io.weft.inference.extraction.DocumentTypes;
import io.weft.inference.extraction.ExtractionFailure;
import io.weft.inference.extraction.TextExtractor;
import io.weft.platform.api.Paging;
import io.weft.platform.problems.ProblemException;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/** What an upload is checked for before it is queued: a name, metadata, and content that is what it says it is. */
final class UploadChecks {
    static final int MAX_NAME = 300;
    static final int MAX_METADATA_KEYS = 50;
    static final int MAX_METADATA_KEY = 100;
    static final int MAX_METADATA_VALUE = 1_000;

    private UploadChecks() {
    }

    /** The document's name: the one given, else the file's name without any folder a browser put in front. */
    static String name(String given, String fileName) {
        String name = given != null && !given.isBlank() ? given : fileName;
        if (name != null && (given == null || given.isBlank())) {
            name = name.substring(Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\')) + 1);
        }
        if (name == null || name.isBlank()) {
            throw Paging.invalid("name", "must be given when the file has no name");
        }
        name = name.strip();
        if (name.chars().anyMatch(c -> c < ' ' || c == 0x7F)) {
            throw Paging.invalid("name", "must not hold control characters");
        }
        return Paging.bounded("name", name, MAX_NAME);
    }

    /** A flat JSON object of strings, numbers and booleans: what filters compare. */
    static Map<String, Object> metadata(String json) {
        if (json == null || json.isBlank()) {
            return Map.of();
        }
        JsonNode parsed;
        try {
            parsed = WeftJson.mapper().reader().with(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION).readTree(json);
        } catch (java.io.IOException e) {
            throw Paging.invalid("metadata", "must be a JSON object");
        }
        if (parsed == null || !parsed.isObject()) {
            throw Paging.invalid("metadata", "must be a JSON object");
        }
        if (parsed.size() > MAX_METADATA_KEYS) {
            throw Paging.invalid("metadata", "may hold at most " + MAX_METADATA_KEYS + " keys");
        }
        Map<String, Object> metadata = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> fields = parsed.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            String key = field.getKey();
            if (key.isBlank() || key.length() > MAX_METADATA_KEY || key.chars().anyMatch(c -> c < ' ')) {
                throw Paging.invalid("metadata", "keys must be 1 to " + MAX_METADATA_KEY + " characters, without control characters");
            }
            JsonNode value = field.getValue();
            if (value.isTextual()) {
                metadata.put(key, Paging.bounded("metadata." + key, value.asText(), MAX_METADATA_VALUE));
            } else if (value.isNumber()) {
                metadata.put(key, value.numberValue());
            } else if (value.isBoolean()) {
                metadata.put(key, value.asBoolean());
            } else {
                throw Paging.invalid("metadata." + key, "must be a string, a number or a boolean");
            }
        }
        return metadata;
    }

    /** Refuses content that cannot be what its type says: a PDF must begin as one, text must be UTF-8 (HTML declares its own charset). */
    static void content(String contentType, byte[] content) {
        if (DocumentTypes.PDF.equals(contentType)) {
            String head = new String(content, 0, Math.min(content.length, 1024), StandardCharsets.ISO_8859_1);
            if (!head.contains("%PDF-")) {
                throw new ProblemException(ProblemType.UNSUPPORTED_MEDIA_TYPE, "the file is sent as a PDF but is not one");
            }
        } else if (!DocumentTypes.HTML.equals(contentType)) {
            try {
                TextExtractor.utf8(content);
            } catch (ExtractionFailure e) {
                throw new ProblemException(ProblemType.UNSUPPORTED_MEDIA_TYPE, "the file is sent as " + contentType + " but "
                        + e.getMessage().replaceFirst("^the file ", "") + "; send text as UTF-8");
            }
        }
    }
}
