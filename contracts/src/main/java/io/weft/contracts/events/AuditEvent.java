package io.weft.contracts.events;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/**
 * Who did what to which object, when and from where, on {@link Topics#AUDIT}.
 *
 * @param action  dotted verb, e.g. {@code user.login}, {@code credential.resolve}
 * @param details action-specific facts; never secrets
 */
public record AuditEvent(
        String eventId,
        String tenantId,
        Actor actor,
        String action,
        String objectType,
        String objectId,
        Outcome outcome,
        String sourceIp,
        JsonNode details,
        Instant occurredAt) implements WeftEvent {

    @Override
    public String partitionKey() {
        return tenantId != null ? tenantId : "-";
    }

    public record Actor(ActorType type, String id) {
    }

    public enum ActorType {
        USER,
        API_KEY,
        SERVICE,
        /** Someone who runs the fleet, outside every tenant (the operator API). */
        OPERATOR,
        ANONYMOUS
    }

    public enum Outcome {
        SUCCESS,
        FAILURE,
        DENIED
    }
}
