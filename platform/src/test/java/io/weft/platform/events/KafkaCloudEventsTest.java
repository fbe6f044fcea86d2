package io.weft.platform.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.weft.contracts.events.AuditEvent;
import io.weft.contracts.events.ExecutionEvent;
import io.weft.contracts.events.NodeTransition;
import io.weft.contracts.events.Topics;
import io.weft.contracts.events.UnreadableEventException;
import io.weft.contracts.events.WeftEvent;
import io.weft.contracts.events.CloudEventCodec;
import io.weft.contracts.json.WeftJson;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Weft events through the real local Kafka broker (started by ./weft test), on a throw-away topic. */
class KafkaCloudEventsTest {
    private static final String BOOTSTRAP = System.getenv().getOrDefault("WEFT_KAFKA_BOOTSTRAP", "127.0.0.1:9092");
    private static final List<String> TOPICS = new ArrayList<>();
    private static Admin admin;

    private final KafkaCloudEvents events = new KafkaCloudEvents(new CloudEventCodec("/weft/test"));

    @BeforeAll
    static void connect() {
        admin = Admin.create(Map.of("bootstrap.servers", BOOTSTRAP, "request.timeout.ms", 10000, "default.api.timeout.ms", 15000));
    }

    @AfterAll
    static void deleteTopics() throws Exception {
        if (admin != null) {
            admin.deleteTopics(TOPICS).all().get();
            admin.close();
        }
    }

    /** A throw-away topic with three partitions, so that keying really decides ordering. */
    private static String newTopic() throws Exception {
        String topic = "weft.test.cloudevents." + UUID.randomUUID();
        admin.createTopics(List.of(new NewTopic(topic, 3, (short) 1))).all().get();
        TOPICS.add(topic);
        return topic;
    }

    @Test
    void eventsCrossTheBrokerAsBinaryModeCloudEventsInOrderPerExecution() throws Exception {
        String topic = newTopic();
        String tenant = UUID.randomUUID().toString();
        String execution = "exe-" + UUID.randomUUID();
        Instant at = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        List<WeftEvent> sent = List.of(
                new ExecutionEvent.ExecutionStarted(id(), tenant, execution, "wf-1", 1, 1, "sha256:ab", null, "exec-a", false, at),
                new ExecutionEvent.NodesProgressed(id(), tenant, execution, "wf-1", 2, List.of(NodeTransition.running("n1", "Fetch",
                        "core.httpRequest", 1, tenant + ":" + execution + ":n1:1", at)), at),
                new ExecutionEvent.ExecutionSucceeded(id(), tenant, execution, "wf-1", 3, 40, null, List.of(new NodeTransition("n1",
                        "Fetch", "core.httpRequest", NodeTransition.Status.SUCCEEDED, 1, tenant + ":" + execution + ":n1:1", at,
                        at.plusMillis(12), 12L, 1, WeftJson.mapper().createObjectNode().put("ok", true), null, null, null, null,
                        List.of())), at));

        try (KafkaProducer<String, byte[]> producer = producer()) {
            for (WeftEvent event : sent) {
                ProducerRecord<String, byte[]> record = events.toRecord(event);
                assertThat(record.topic()).isEqualTo(Topics.EXECUTION_EVENTS);
                producer.send(new ProducerRecord<>(topic, null, record.key(), record.value(), record.headers()));
            }
            producer.flush();
        }

        List<ConsumerRecord<String, byte[]>> received = consume(topic, sent.size());
        assertThat(received).extracting(ConsumerRecord::key).containsOnly(execution);
        assertThat(KafkaCloudEvents.headers(received.get(0).headers()))
                .containsEntry("ce_specversion", "1.0")
                .containsEntry("ce_type", "dev.weft.execution.started.v2")
                .containsEntry("ce_wefttenant", tenant);
        assertThat(received.stream().map(events::fromRecord).toList()).containsExactlyElementsOf(sent);
    }

    @Test
    void recordsThatAreNotWeftEventsAreRejectedWithAReason() throws Exception {
        String topic = newTopic();
        try (KafkaProducer<String, byte[]> producer = producer()) {
            producer.send(new ProducerRecord<>(topic, "k", "not json".getBytes()));
            producer.flush();
        }
        ConsumerRecord<String, byte[]> record = consume(topic, 1).get(0);

        assertThatThrownBy(() -> events.fromRecord(record)).isInstanceOf(UnreadableEventException.class);
    }

    @Test
    void auditEventsAreKeyedByTenant() {
        AuditEvent audit = new AuditEvent(id(), "tenant-9", new AuditEvent.Actor(AuditEvent.ActorType.USER, "u1"),
                "user.login", "user", "u1", AuditEvent.Outcome.SUCCESS, "127.0.0.1", null, Instant.now());

        ProducerRecord<String, byte[]> record = events.toRecord(audit);

        assertThat(record.topic()).isEqualTo(Topics.AUDIT);
        assertThat(record.key()).isEqualTo("tenant-9");
    }

    private static String id() {
        return UUID.randomUUID().toString();
    }

    private static KafkaProducer<String, byte[]> producer() {
        return new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, BOOTSTRAP,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.LINGER_MS_CONFIG, 0,
                ProducerConfig.MAX_BLOCK_MS_CONFIG, 15000),
                new StringSerializer(), new ByteArraySerializer());
    }

    /** Reads a throw-away topic from the start until {@code count} records arrived or 30 s passed. */
    private static List<ConsumerRecord<String, byte[]>> consume(String topic, int count) {
        List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, BOOTSTRAP,
                ConsumerConfig.GROUP_ID_CONFIG, "weft-test-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (records.size() < count && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
        }
        assertThat(records).as("records read from " + topic).hasSize(count);
        return records;
    }
}
