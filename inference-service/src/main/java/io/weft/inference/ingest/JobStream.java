package io.weft.inference.ingest;

import io.vertx.core.Vertx;
import io.weft.contracts.json.WeftJson;
import io.weft.inference.documents.DocumentViews.JobView;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;
import java.time.Instant;
import java.util.UUID;

/**
 * Sends a job's state on a server-sent event stream whenever it changes (read every
 * {@link #POLL_MS}; a job changes at most once per batch of chunks), and closes the stream after
 * the job has ended, or when the client has gone.
 */
final class JobStream {
    static final long POLL_MS = 500;

    private final UUID tenant;
    private final UUID knowledgeBase;
    private final UUID job;
    private final SseEventSink sink;
    private final Sse sse;
    private final IngestJobStore jobs;
    private final Vertx vertx;
    private Instant lastSent;
    private long timer;

    JobStream(UUID tenant, UUID knowledgeBase, UUID job, SseEventSink sink, Sse sse, IngestJobStore jobs, Vertx vertx) {
        this.tenant = tenant;
        this.knowledgeBase = knowledgeBase;
        this.job = job;
        this.sink = sink;
        this.sse = sse;
        this.jobs = jobs;
        this.vertx = vertx;
    }

    void start(IngestJob first) {
        send(first);
        if (first.finished()) {
            sink.close();
            return;
        }
        timer = vertx.setPeriodic(POLL_MS, tick -> {
            if (sink.isClosed()) {
                vertx.cancelTimer(timer);
                return;
            }
            jobs.find(tenant, knowledgeBase, job).subscribe().with(found -> {
                if (found.isEmpty()) {
                    stop();
                    return;
                }
                if (!found.get().updatedAt().equals(lastSent)) {
                    send(found.get());
                }
                if (found.get().finished()) {
                    stop();
                }
            }, failure -> sink.send(sse.newEventBuilder().comment("the job cannot be read right now; trying again").build()));
        });
    }

    private void send(IngestJob state) {
        lastSent = state.updatedAt();
        sink.send(sse.newEventBuilder().name("job").id(String.valueOf(state.updatedAt().toEpochMilli()))
                .mediaType(MediaType.APPLICATION_JSON_TYPE).data(WeftJson.mapper().valueToTree(JobView.of(state)).toString()).build());
    }

    private void stop() {
        vertx.cancelTimer(timer);
        if (!sink.isClosed()) {
            sink.close();
        }
    }
}
