package io.weft.gateway.audit;

import com.fasterxml.jackson.databind.JsonNode;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import io.vertx.core.http.HttpServerRequest;
import io.weft.contracts.events.AuditEvent;
import io.weft.contracts.events.CloudEvent;
import io.weft.contracts.events.CloudEventCodec;
import io.weft.contracts.json.WeftJson;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.UUID;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

/**
 * Publishes who did what on {@code weft.audit} as CloudEvents. Publishing never fails the action
 * being audited: a lost audit event is logged instead. Details must never hold secrets.
 */
@ApplicationScoped
public class AuditLog {
    private static final Logger LOG = Logger.getLogger(AuditLog.class);

    private final Emitter<byte[]> emitter;
    private final CloudEventCodec codec = new CloudEventCodec("/weft/gateway-service");
    private final Clock clock;

    AuditLog(@Channel("audit") Emitter<byte[]> emitter, Clock clock) {
        this.emitter = emitter;
        this.clock = clock;
    }

    public void record(String tenantId, AuditEvent.ActorType actorType, String actorId, String action, String objectType,
                       String objectId, AuditEvent.Outcome outcome, String sourceIp, JsonNode details) {
        AuditEvent event = new AuditEvent(UUID.randomUUID().toString(), tenantId, new AuditEvent.Actor(actorType, actorId),
                action, objectType, objectId, outcome, sourceIp, details, clock.instant());
        CloudEvent message = codec.encode(event);
        RecordHeaders headers = new RecordHeaders();
        message.headers().forEach((name, value) -> headers.add(name, value.getBytes(StandardCharsets.UTF_8)));
        try {
            emitter.send(Message.of(message.data())
                    .addMetadata(OutgoingKafkaRecordMetadata.<String>builder().withKey(message.key()).withHeaders(headers).build())
                    .withNack(failure -> {
                        LOG.errorf("audit event %s (%s) was not published: %s", event.eventId(), action, failure.getMessage());
                        return java.util.concurrent.CompletableFuture.completedFuture(null);
                    }));
        } catch (RuntimeException e) {
            LOG.errorf("audit event %s (%s) was not published: %s", event.eventId(), action, e.getMessage());
        }
    }

    /** Details as a small JSON object from name/value pairs. */
    public static JsonNode details(Object... pairs) {
        var node = WeftJson.mapper().createObjectNode();
        for (int i = 0; i + 1 < pairs.length; i += 2) {
            node.putPOJO(String.valueOf(pairs[i]), pairs[i + 1]);
        }
        return node;
    }

    /** The client's address as the gateway sees it (the gateway is the edge; no forwarded headers are trusted). */
    public static String sourceIp(HttpServerRequest request) {
        return request.remoteAddress() == null ? null : request.remoteAddress().hostAddress();
    }
}
