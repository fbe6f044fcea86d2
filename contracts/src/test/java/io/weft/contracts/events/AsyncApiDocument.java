package io.weft.contracts.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.time.Instant;
import java.util.Map;

/**
 * Builds the AsyncAPI 3.0 document of Weft's topics from the event records themselves, so the
 * published document cannot drift from the code. {@code AsyncApiDocumentTest} keeps
 * {@code docs/asyncapi.yaml} equal to this.
 */
final class AsyncApiDocument {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private static final Map<String, String> TOPIC_DESCRIPTIONS = Map.of(
            Topics.EXECUTION_REQUESTS, "Requests to run an execution; workflow-service produces, executor-service consumes (one consumer group, scaled by partitions).",
            Topics.EXECUTION_CONTROL, "Commands for running or waiting executions; workflow-service produces, executor-service consumes.",
            Topics.EXECUTION_EVENTS, "Every execution transition, in order per execution (contract v2: node transitions travel in batches, one event per checkpoint flush, in the same outbox write as the checkpoint, so what the executor committed is published at least once); executor-service produces (and workflow-service the ExecutionCancelled of a run it withdrew before sending it); workflow-service, logs-service and outside consumers read.",
            Topics.EXECUTION_DEAD_LETTERS, "Messages and executions that could not be processed, with the reason; executor-service produces, logs-service reads.",
            Topics.AUDIT, "Who did what to which object, when and from where; every service produces, logs-service reads.");

    private AsyncApiDocument() {
    }

    static ObjectNode build() {
        ObjectNode root = F.objectNode();
        root.put("asyncapi", "3.0.0");
        ObjectNode info = root.putObject("info");
        info.put("title", "Weft execution events");
        info.put("version", "2.0.0");
        info.put("description", "Kafka topics of Weft. Every message is a CloudEvents 1.0 record in binary mode: "
                + "the event data is the JSON value, the CloudEvents attributes travel as ce_* headers, and the key is "
                + "the execution id (tenant id for audit events) so that one execution's messages stay in order. "
                + "Consumers must ignore fields they do not know. Trace context travels in the traceparent header. "
                + "This document is generated from the contracts module (AsyncApiDocument) and checked by its tests.");
        root.put("defaultContentType", "application/json");

        ObjectNode servers = root.putObject("servers");
        ObjectNode local = servers.putObject("local");
        local.put("host", "127.0.0.1:9092");
        local.put("protocol", "kafka");
        local.put("description", "The broker that deploy/local/infra.sh starts");

        ObjectNode channels = root.putObject("channels");
        ObjectNode operations = root.putObject("operations");
        ObjectNode components = root.putObject("components");
        ObjectNode messages = components.putObject("messages");
        ObjectNode schemas = components.putObject("schemas");
        schemas.set("CloudEventHeaders", headersSchema());

        for (String topic : Topics.ALL) {
            String channelId = topic.replace("weft.", "").replace('.', '-');
            ObjectNode channel = channels.putObject(channelId);
            channel.put("address", topic);
            channel.put("description", TOPIC_DESCRIPTIONS.get(topic));
            ObjectNode channelMessages = channel.putObject("messages");
            ObjectNode operation = operations.putObject("receive-" + channelId);
            operation.put("action", "receive");
            operation.putObject("channel").put("$ref", "#/channels/" + channelId);
            ArrayNode operationMessages = operation.putArray("messages");
            for (EventType type : EventType.values()) {
                if (!type.topic().equals(topic)) {
                    continue;
                }
                String name = type.recordClass().getSimpleName();
                channelMessages.putObject(name).put("$ref", "#/components/messages/" + name);
                operationMessages.addObject().put("$ref", "#/channels/" + channelId + "/messages/" + name);
                ObjectNode message = messages.putObject(name);
                message.put("name", type.ceType());
                message.put("title", name);
                message.put("contentType", "application/json");
                message.putObject("headers").put("$ref", "#/components/schemas/CloudEventHeaders");
                message.putObject("payload").put("$ref", "#/components/schemas/" + name);
                WeftEvent sample = EventSamples.ALL.get(type);
                if (sample != null) {
                    message.putArray("examples").addObject().put("name", name).set("payload", asRead(sample));
                }
                schemas.set(name, recordSchema(type.recordClass(), schemas));
            }
        }
        return root;
    }

    /** The sample as a reader of its JSON sees it (numbers as the smallest type that holds them). */
    private static JsonNode asRead(WeftEvent sample) {
        try {
            return io.weft.contracts.json.WeftJson.mapper().readTree(io.weft.contracts.json.WeftJson.mapper().writeValueAsString(sample));
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ObjectNode headersSchema() {
        ObjectNode schema = F.objectNode();
        schema.put("type", "object");
        ArrayNode required = schema.putArray("required");
        ObjectNode props = schema.putObject("properties");
        for (String h : new String[] {CloudEvent.HEADER_SPEC_VERSION, CloudEvent.HEADER_ID, CloudEvent.HEADER_SOURCE,
                CloudEvent.HEADER_TYPE, CloudEvent.HEADER_TIME, CloudEvent.HEADER_CONTENT_TYPE}) {
            required.add(h);
        }
        props.putObject(CloudEvent.HEADER_SPEC_VERSION).put("const", CloudEvent.SPEC_VERSION);
        props.putObject(CloudEvent.HEADER_ID).put("type", "string").put("description", "Unique event id; deduplicate on it");
        props.putObject(CloudEvent.HEADER_SOURCE).put("type", "string").put("description", "The producing service, e.g. /weft/executor-service");
        props.putObject(CloudEvent.HEADER_TYPE).put("type", "string").put("description", "The message name below, e.g. dev.weft.execution.succeeded.v2");
        props.putObject(CloudEvent.HEADER_TIME).put("type", "string").put("format", "date-time");
        props.putObject(CloudEvent.HEADER_SUBJECT).put("type", "string").put("description", "The Kafka key");
        props.putObject(CloudEvent.HEADER_TENANT).put("type", "string").put("description", "Extension attribute: the tenant id");
        props.putObject(CloudEvent.HEADER_CONTENT_TYPE).put("const", CloudEvent.CONTENT_TYPE_JSON);
        props.putObject("traceparent").put("type", "string").put("description", "W3C trace context");
        return schema;
    }

    private static ObjectNode recordSchema(Class<?> record, ObjectNode schemas) {
        ObjectNode schema = F.objectNode();
        schema.put("type", "object");
        ObjectNode props = schema.putObject("properties");
        for (RecordComponent component : record.getRecordComponents()) {
            props.set(component.getName(), typeSchema(component.getGenericType(), schemas));
        }
        return schema;
    }

    private static JsonNode typeSchema(Type type, ObjectNode schemas) {
        ObjectNode schema = F.objectNode();
        if (type instanceof ParameterizedType parameterized) {
            schema.put("type", "array");
            schema.set("items", typeSchema(parameterized.getActualTypeArguments()[0], schemas));
            return schema;
        }
        Class<?> raw = (Class<?>) type;
        if (raw == String.class) {
            schema.put("type", "string");
        } else if (raw == int.class || raw == long.class || raw == Integer.class || raw == Long.class) {
            schema.put("type", "integer");
        } else if (raw == boolean.class || raw == Boolean.class) {
            schema.put("type", "boolean");
        } else if (raw == Instant.class) {
            schema.put("type", "string").put("format", "date-time");
        } else if (JsonNode.class.isAssignableFrom(raw)) {
            schema.put("description", "Any JSON value");
        } else if (raw.isEnum()) {
            schema.put("type", "string");
            ArrayNode values = schema.putArray("enum");
            for (Object constant : raw.getEnumConstants()) {
                values.add(((Enum<?>) constant).name());
            }
        } else if (raw.isRecord()) {
            String name = raw.getSimpleName();
            if (!schemas.has(name)) {
                schemas.set(name, recordSchema(raw, schemas));
            }
            schema.put("$ref", "#/components/schemas/" + name);
        } else {
            throw new IllegalArgumentException("no schema mapping for " + raw);
        }
        return schema;
    }
}
