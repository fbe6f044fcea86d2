package io.weft.credentials.audit;

import com.fasterxml.jackson.databind.JsonNode;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.weft.contracts.events.AuditEvent;
import io.weft.contracts.json.WeftJson;
import io.weft.platform.events.EventPublisher;
import io.weft.platform.events.KafkaTopics;
import io.weft.platform.security.Caller;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * What was done to which credential, by whom, on {@code weft.audit}. Details never hold secret
 * values. {@link #record} completes when the broker has the event, so that callers who must not go on
 * without an audit record (resolution) can wait for it.
 */
@ApplicationScoped
public class AuditTrail {
    private static final Logger LOG = Logger.getLogger(AuditTrail.class);
    private static final Duration PATIENCE = Duration.ofSeconds(5);

    private final EventPublisher publisher;
    private final Clock clock;

    AuditTrail(@ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers, Clock clock, KafkaTopics topics) {
        this.publisher = new EventPublisher(bootstrapServers, "weft-credentials-audit", "/weft/credentials-service", topics, PATIENCE);
        this.clock = clock;
    }

    @PreDestroy
    void close() {
        publisher.close();
    }

    /** This service acting on its own (key rotation). */
    public static final AuditEvent.Actor SELF = new AuditEvent.Actor(AuditEvent.ActorType.SERVICE, "service:credentials");

    /** Publishes the event; fails when the broker does not take it. */
    public Uni<Void> record(Caller caller, UUID tenant, String action, String credentialId, AuditEvent.Outcome outcome, JsonNode details) {
        return record(actor(caller), tenant, action, "credential", credentialId, outcome, details);
    }

    public Uni<Void> record(AuditEvent.Actor actor, UUID tenant, String action, String objectType, String objectId,
                            AuditEvent.Outcome outcome, JsonNode details) {
        AuditEvent event = new AuditEvent(UUID.randomUUID().toString(), tenant.toString(), actor, action, objectType,
                objectId, outcome, null, details, clock.instant());
        return Uni.createFrom().completionStage(() -> publisher.publish(event)).runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                .replaceWithVoid();
    }

    /** Publishes the event after an action that has happened: a lost event is logged, the action stands. */
    public Uni<Void> recordAfter(Caller caller, UUID tenant, String action, String credentialId, JsonNode details) {
        return record(caller, tenant, action, credentialId, AuditEvent.Outcome.SUCCESS, details)
                .onFailure().invoke(failure -> LOG.errorf("audit event %s of credential %s was not published: %s", action, credentialId,
                        failure.getMessage()))
                .onFailure().recoverWithNull();
    }

    /** The same for an action this service took on its own, or for a user known from stored state. */
    public Uni<Void> recordAfter(AuditEvent.Actor actor, UUID tenant, String action, String credentialId, JsonNode details) {
        return record(actor, tenant, action, "credential", credentialId, AuditEvent.Outcome.SUCCESS, details)
                .onFailure().invoke(failure -> LOG.errorf("audit event %s of credential %s was not published: %s", action, credentialId,
                        failure.getMessage()))
                .onFailure().recoverWithNull();
    }

    public static JsonNode details(Object... pairs) {
        var node = WeftJson.mapper().createObjectNode();
        for (int i = 0; i + 1 < pairs.length; i += 2) {
            node.putPOJO(String.valueOf(pairs[i]), pairs[i + 1]);
        }
        return node;
    }

    private static AuditEvent.Actor actor(Caller caller) {
        AuditEvent.ActorType type = switch (caller.authentication()) {
            case "api_key" -> AuditEvent.ActorType.API_KEY;
            case "service" -> AuditEvent.ActorType.SERVICE;
            default -> AuditEvent.ActorType.USER;
        };
        return new AuditEvent.Actor(type, caller.subject());
    }
}
