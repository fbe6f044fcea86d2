package io.weft.contracts.events;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * A CloudEvents 1.0 message in Kafka binary mode: attributes as {@code ce_*} headers, the event
 * data as the record value, and {@code key} as the record key.
 */
public record CloudEvent(String key, Map<String, String> headers, byte[] data) {

    public static final String SPEC_VERSION = "1.0";
    public static final String HEADER_SPEC_VERSION = "ce_specversion";
    public static final String HEADER_ID = "ce_id";
    public static final String HEADER_SOURCE = "ce_source";
    public static final String HEADER_TYPE = "ce_type";
    public static final String HEADER_TIME = "ce_time";
    public static final String HEADER_SUBJECT = "ce_subject";
    /** Extension attribute: the tenant, so consumers can route or filter without parsing data. */
    public static final String HEADER_TENANT = "ce_wefttenant";
    public static final String HEADER_CONTENT_TYPE = "content-type";
    public static final String CONTENT_TYPE_JSON = "application/json";

    public CloudEvent {
        headers = Map.copyOf(headers);
    }

    public String header(String name) {
        return headers.get(name);
    }

    @Override
    public String toString() {
        return "CloudEvent[key=" + key + ", headers=" + headers + ", data=" + new String(data, StandardCharsets.UTF_8) + "]";
    }
}
