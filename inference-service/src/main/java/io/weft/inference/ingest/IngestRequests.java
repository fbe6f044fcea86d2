package io.weft.inference.ingest;

import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.UUID;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * Ingest requests on {@code weft.inference.ingest}, inference-service's own topic: one per job,
 * keyed by the job, read by whichever replica's consumer gets its partition. A request only says
 * which job; the job row is the truth, and a request lost or read twice changes nothing (the
 * sweeper publishes a job again when no replica claimed it in time; a claim is taken once).
 */
@ApplicationScoped
public class IngestRequests {
    private final MutinyEmitter<byte[]> out;

    IngestRequests(@Channel("ingest-requests") MutinyEmitter<byte[]> out) {
        this.out = out;
    }

    public Uni<Void> publish(UUID tenant, UUID job) {
        byte[] value = ("{\"tenantId\":\"" + tenant + "\",\"jobId\":\"" + job + "\"}").getBytes(StandardCharsets.UTF_8);
        return out.sendMessage(Message.of(value).addMetadata(OutgoingKafkaRecordMetadata.<String>builder().withKey(job.toString()).build()));
    }

    /** The tenant and job of a request; empty for anything else. */
    static Optional<UUID[]> read(byte[] value) {
        try {
            var json = io.weft.contracts.json.WeftJson.mapper().readTree(value);
            return Optional.of(new UUID[] {UUID.fromString(json.path("tenantId").asText()), UUID.fromString(json.path("jobId").asText())});
        } catch (java.io.IOException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
