package io.weft.logs.ingest;

import io.weft.contracts.events.CloudEventCodec;
import io.weft.contracts.events.ExecutionEvent;
import io.weft.contracts.events.WeftEvent;
import io.weft.contracts.identity.Tier;
import io.weft.logs.bench.IngestLoad;
import io.weft.logs.redaction.RedactionPolicy;
import io.weft.logs.redaction.Redactor;
import io.weft.platform.events.KafkaCloudEvents;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.record.TimestampType;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The JVM's share of ingest, per event, without Kafka's fetch or PostgreSQL: decoding a record
 * into an event, and decoding plus turning it into redacted rows. The events are IngestLoad's
 * (8 per execution, an email in every node's console, a bearer token in every tenth execution).
 * Run with {@code ./weft bench logs}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class IngestBenchmark {
    private static final int EXECUTIONS = 500;
    private static final int EVENTS = EXECUTIONS * 2;

    private final KafkaCloudEvents codec = new KafkaCloudEvents(new CloudEventCodec("/weft/bench"));
    private final Redactor redactor = new Redactor();
    private final List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
    private final UUID tenant = UUID.randomUUID();

    @Setup
    public void setUp() {
        Instant now = Instant.now();
        for (int i = 0; i < EXECUTIONS; i++) {
            for (WeftEvent event : IngestLoad.execution(tenant.toString(), "wf-" + i % 20, now, i % 10 == 0)) {
                ProducerRecord<String, byte[]> sent = codec.toRecord(event);
                records.add(new ConsumerRecord<>(sent.topic(), 0, records.size(), now.toEpochMilli(), TimestampType.CREATE_TIME,
                        0, sent.value().length, sent.key(), sent.value(), sent.headers(), java.util.Optional.empty()));
            }
        }
        if (records.size() != EVENTS) {
            throw new IllegalStateException("expected " + EVENTS + " events, made " + records.size());
        }
    }

    @Benchmark
    @OperationsPerInvocation(EVENTS)
    public List<WeftEvent> decode() {
        List<WeftEvent> events = new ArrayList<>(records.size());
        for (ConsumerRecord<String, byte[]> record : records) {
            events.add(codec.fromRecord(record));
        }
        return events;
    }

    @Benchmark
    @OperationsPerInvocation(EVENTS)
    public ExecutionLogRows decodeAndRedactIntoRows() {
        ExecutionLogRows rows = new ExecutionLogRows(redactor);
        for (ConsumerRecord<String, byte[]> record : records) {
            ExecutionEvent event = (ExecutionEvent) codec.fromRecord(record);
            rows.add(tenant, Tier.PRO, RedactionPolicy.all(), event, LogIngest.shortType(event));
        }
        return rows;
    }
}
