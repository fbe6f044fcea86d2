package io.weft.inference.ingest;

import io.quarkus.scheduler.Scheduled;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Reads ingest requests (the replicas share one consumer group, so each request goes to one of
 * them) and runs their jobs one at a time on a worker thread: embedding takes the machine's cores.
 * The sweep publishes again what no replica took in time, and forgets old finished jobs.
 */
@ApplicationScoped
public class IngestConsumer {
    private static final Logger LOG = Logger.getLogger(IngestConsumer.class);
    private static final int SWEEP_LIMIT = 500;

    private final Ingestion ingestion;
    private final IngestJobStore jobs;
    private final IngestRequests requests;
    private final IngestSettings settings;

    IngestConsumer(Ingestion ingestion, IngestJobStore jobs, IngestRequests requests, IngestSettings settings) {
        this.ingestion = ingestion;
        this.jobs = jobs;
        this.requests = requests;
        this.settings = settings;
    }

    @Incoming("ingest-jobs")
    @Blocking
    public void onRequest(ConsumerRecord<String, byte[]> record) {
        IngestRequests.read(record.value()).ifPresentOrElse(ids -> ingestion.run(ids[0], ids[1]),
                () -> LOG.warnf("an unreadable ingest request at %s-%d@%d was skipped", record.topic(), record.partition(), record.offset()));
    }

    @Scheduled(every = "${weft.inference.ingest.sweep-every:10s}", delayed = "5s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void sweep() {
        try {
            List<IngestJobStore.Due> due = jobs.sweep(settings.maxAttempts(), settings.publishAgainAfter(), SWEEP_LIMIT)
                    .await().atMost(Duration.ofSeconds(30));
            for (IngestJobStore.Due job : due) {
                requests.publish(job.tenantId(), job.id()).await().atMost(Duration.ofSeconds(10));
            }
            jobs.prune(settings.keepFinished()).await().atMost(Duration.ofSeconds(30));
        } catch (RuntimeException e) {
            LOG.warnf("the ingest sweep failed (it runs again shortly): %s", e.getMessage());
        }
    }
}
