package io.weft.contracts.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.weft.contracts.json.WeftJson;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/** Turns Weft events into CloudEvents binary-mode messages and back. */
public final class CloudEventCodec {
    private final ObjectMapper mapper;
    private final String source;

    /** @param source the CloudEvents {@code source} of events this codec encodes, e.g. {@code /weft/executor-service} */
    public CloudEventCodec(String source) {
        this(WeftJson.mapper(), source);
    }

    public CloudEventCodec(ObjectMapper mapper, String source) {
        this.mapper = mapper;
        this.source = source;
    }

    public CloudEvent encode(WeftEvent event) {
        EventType type = EventType.of(event);
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(CloudEvent.HEADER_SPEC_VERSION, CloudEvent.SPEC_VERSION);
        headers.put(CloudEvent.HEADER_ID, event.eventId());
        headers.put(CloudEvent.HEADER_SOURCE, source);
        headers.put(CloudEvent.HEADER_TYPE, type.ceType());
        headers.put(CloudEvent.HEADER_TIME, event.occurredAt().toString());
        headers.put(CloudEvent.HEADER_SUBJECT, event.partitionKey());
        headers.put(CloudEvent.HEADER_CONTENT_TYPE, CloudEvent.CONTENT_TYPE_JSON);
        if (event.tenantId() != null) {
            headers.put(CloudEvent.HEADER_TENANT, event.tenantId());
        }
        try {
            return new CloudEvent(event.partitionKey(), headers, mapper.writeValueAsBytes(event));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot serialise " + type.ceType(), e);
        }
    }

    /** @throws UnreadableEventException when the headers or data do not make a known Weft event */
    public WeftEvent decode(Map<String, String> headers, byte[] data) {
        String specVersion = headers.get(CloudEvent.HEADER_SPEC_VERSION);
        if (!CloudEvent.SPEC_VERSION.equals(specVersion)) {
            throw new UnreadableEventException(DeadLetter.Reason.UNREADABLE_MESSAGE,
                    "not a CloudEvents 1.0 binary-mode message (ce_specversion=" + specVersion + ")", null);
        }
        String ceType = headers.get(CloudEvent.HEADER_TYPE);
        EventType type = EventType.byCeType(ceType).orElseThrow(() -> new UnreadableEventException(
                DeadLetter.Reason.UNKNOWN_EVENT_TYPE, "unknown event type " + ceType, null));
        if (data == null || data.length == 0) {
            throw new UnreadableEventException(DeadLetter.Reason.UNREADABLE_MESSAGE, ceType + " without data", null);
        }
        try {
            return mapper.readValue(data, type.recordClass());
        } catch (IOException e) {
            throw new UnreadableEventException(DeadLetter.Reason.UNREADABLE_MESSAGE,
                    "data of " + ceType + " is not valid: "
                    + (e instanceof JsonProcessingException json ? json.getOriginalMessage() : e.getMessage()), e);
        }
    }
}
