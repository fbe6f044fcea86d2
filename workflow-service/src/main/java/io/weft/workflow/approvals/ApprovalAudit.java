package io.weft.workflow.approvals;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.weft.contracts.events.AuditEvent;
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

/** Every decision on an approval, on {@code weft.audit}: who, on which approval of which run, what, and what came of it. */
@ApplicationScoped
public class ApprovalAudit {
    private static final Logger LOG = Logger.getLogger(ApprovalAudit.class);

    private final EventPublisher publisher;
    private final Clock clock;

    ApprovalAudit(@ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers, KafkaTopics topics, Clock clock) {
        this.publisher = new EventPublisher(bootstrapServers, "weft-workflow-audit", "/weft/workflow-service", topics, Duration.ofSeconds(5));
        this.clock = clock;
    }

    @PreDestroy
    void close() {
        publisher.close();
    }

    static AuditEvent.Actor actor(Caller caller) {
        AuditEvent.ActorType type = switch (caller.authentication()) {
            case "api_key" -> AuditEvent.ActorType.API_KEY;
            case "service" -> AuditEvent.ActorType.SERVICE;
            default -> AuditEvent.ActorType.USER;
        };
        return new AuditEvent.Actor(type, caller.subject());
    }

    /** Publishes after the decision stands: a lost event is logged, the decision is not taken back. */
    public Uni<Void> decided(AuditEvent.Actor actor, UUID tenant, String approvalId, ObjectNode details) {
        AuditEvent event = new AuditEvent(UUID.randomUUID().toString(), tenant.toString(), actor,
                "approval.decide", "approval", approvalId, AuditEvent.Outcome.SUCCESS, null, details, clock.instant());
        return Uni.createFrom().completionStage(() -> publisher.publish(event)).runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                .replaceWithVoid()
                .onFailure().invoke(failure -> LOG.errorf("the audit event of a decision on approval %s was not published: %s", approvalId,
                        failure.getMessage()))
                .onFailure().recoverWithNull();
    }
}
