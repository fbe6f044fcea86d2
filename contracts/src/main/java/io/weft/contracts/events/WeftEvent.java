package io.weft.contracts.events;

import java.time.Instant;

/**
 * Every message on Weft's Kafka topics. Each is sent as a CloudEvents 1.0 binary-mode record: the
 * record's JSON is the event data, the envelope travels in {@code ce_*} headers (see
 * {@link CloudEventCodec}), and the Kafka key is {@link #partitionKey()}.
 */
public sealed interface WeftEvent permits ExecutionRequested, ExecutionControl, ExecutionEvent, DeadLetter, AuditEvent {

    /** Unique per event; consumers deduplicate on it. */
    String eventId();

    /** The tenant the event belongs to; {@code null} only for dead letters of unreadable messages. */
    String tenantId();

    Instant occurredAt();

    /** Kafka key: messages with the same key keep their order. */
    String partitionKey();
}
