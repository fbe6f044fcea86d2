package io.weft.logs;

import io.weft.testsupport.TestTopics;
import io.weft.contracts.events.CloudEventCodec;
import io.weft.contracts.events.WeftEvent;
import io.weft.platform.events.KafkaCloudEvents;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** Publishes events as the fleet does (CloudEvents on the real broker), for logs-service's tests. */
public final class LogsKafka implements AutoCloseable {
    static final String BOOTSTRAP = "127.0.0.1:9092";
    private static volatile boolean consumersListening;

    private final KafkaCloudEvents records = new KafkaCloudEvents(new CloudEventCodec("/weft/test-executor"), TestTopics.PREFIX);
    private final KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of("bootstrap.servers", BOOTSTRAP, "acks", "all",
            "linger.ms", "5"), new StringSerializer(), new ByteArraySerializer());

    public void send(WeftEvent... events) {
        send(List.of(events));
    }

    public void send(List<? extends WeftEvent> events) {
        try {
            for (WeftEvent event : events) {
                producer.send(records.toRecord(event));
            }
            producer.flush();
        } catch (RuntimeException e) {
            throw new IllegalStateException("cannot publish test events", e);
        }
    }

    /** Publishes the events to one partition of their topic, in order; answers the offset of each. */
    public List<Long> sendTo(int partition, WeftEvent... events) throws Exception {
        List<Long> offsets = new java.util.ArrayList<>();
        for (WeftEvent event : events) {
            ProducerRecord<String, byte[]> record = records.toRecord(event);
            ProducerRecord<String, byte[]> placed = new ProducerRecord<>(record.topic(), partition, record.key(), record.value(), record.headers());
            offsets.add(producer.send(placed).get(10, TimeUnit.SECONDS).offset());
        }
        return offsets;
    }

    /** The offset a consumer group has committed on a partition of a topic, or -1 when it has none. */
    public static long committed(String groupId, String topic, int partition) {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", BOOTSTRAP))) {
            var offset = admin.listConsumerGroupOffsets(groupId).partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS)
                    .get(new org.apache.kafka.common.TopicPartition(topic, partition));
            return offset == null ? -1 : offset.offset();
        } catch (Exception e) {
            throw new IllegalStateException("cannot read the offsets of " + groupId, e);
        }
    }

    /** A raw record, e.g. one that is not a CloudEvent. */
    public void sendRaw(String topic, byte[] value) throws Exception {
        producer.send(new ProducerRecord<>(topic, "raw", value)).get(10, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        producer.close();
    }

    /** The service's consumers start at the end of the topics in tests: wait until they have their partitions. */
    public static void awaitConsumers() throws Exception {
        if (consumersListening) {
            return;
        }
        for (String group : List.of("weft-logs-executions-test", "weft-logs-audit-test", "weft-logs-dead-letters-test")) {
            awaitGroup(group);
        }
        consumersListening = true;
    }

    private static void awaitGroup(String groupId) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", BOOTSTRAP))) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (System.nanoTime() < deadline) {
                ConsumerGroupDescription group = admin.describeConsumerGroups(List.of(groupId)).all().get(10, TimeUnit.SECONDS).get(groupId);
                if (group != null && group.members().stream().anyMatch(member -> !member.assignment().topicPartitions().isEmpty())) {
                    return;
                }
                Thread.sleep(200);
            }
            throw new IllegalStateException("consumer group " + groupId + " did not get partitions");
        }
    }
}
