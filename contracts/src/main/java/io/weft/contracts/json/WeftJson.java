package io.weft.contracts.json;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/**
 * The JSON conventions of every Weft wire contract: ISO-8601 instants, absent rather than null
 * optional fields, and tolerance of unknown fields so that consumers survive additive changes.
 */
public final class WeftJson {
    private static final ObjectMapper MAPPER = configure(JsonMapper.builder().build());

    private WeftJson() {
    }

    /** A shared, thread-safe mapper with Weft's conventions. Do not reconfigure it. */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /** Applies Weft's conventions to a mapper owned by someone else (e.g. a framework's). */
    public static ObjectMapper configure(ObjectMapper mapper) {
        return mapper.registerModule(new JavaTimeModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE)
                .setSerializationInclusion(JsonInclude.Include.NON_NULL);
    }

    /**
     * JSON text that PostgreSQL's {@code jsonb} accepts: it cannot hold U+0000, which JSON allows
     * (as {@code \u0000}); such characters become U+FFFD. Apply to text produced by this mapper.
     */
    public static String withoutNul(String json) {
        return json.indexOf("\\u0000") < 0 ? json : json.replace("\\u0000", "\\uFFFD");
    }

    /** The value as JSON text for a {@code jsonb} column (see {@link #withoutNul}). */
    public static String jsonb(Object value) {
        try {
            return withoutNul(MAPPER.writeValueAsString(value));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + value.getClass().getSimpleName() + " as JSON", e);
        }
    }
}
