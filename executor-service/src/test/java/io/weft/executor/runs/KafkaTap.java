package io.weft.executor.runs;

import io.weft.testsupport.TestTopics;
import io.weft.contracts.events.CloudEventCodec;
import io.weft.contracts.events.ExecutionEvent;
import io.weft.contracts.events.WeftEvent;
import io.weft.platform.events.KafkaCloudEvents;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** The test's own Kafka client on the real broker: sends requests, reads the execution events that follow. */
final class KafkaTap implements AutoCloseable {
    private static final String BOOTSTRAP = System.getenv().getOrDefault("WEFT_KAFKA_BOOTSTRAP", "127.0.0.1:9092");

    private final KafkaCloudEvents codec = new KafkaCloudEvents(new CloudEventCodec("/weft/tests"), TestTopics.PREFIX);
    private final KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of("bootstrap.servers", BOOTSTRAP,
            "acks", "all"), new StringSerializer(), new ByteArraySerializer());
    private final KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of("bootstrap.servers", BOOTSTRAP,
            "enable.auto.commit", "false"), new StringDeserializer(), new ByteArrayDeserializer());
    private final KafkaConsumer<String, byte[]> deadLetters = new KafkaConsumer<>(Map.of("bootstrap.servers", BOOTSTRAP,
            "enable.auto.commit", "false"), new StringDeserializer(), new ByteArrayDeserializer());
    private final List<ExecutionEvent> seen = new ArrayList<>();

    /** Starts reading execution events and dead letters from now on. */
    KafkaTap() {
        fromNow(consumer, TestTopics.EXECUTION_EVENTS);
        fromNow(deadLetters, TestTopics.EXECUTION_DEAD_LETTERS);
    }

    private static void fromNow(KafkaConsumer<String, byte[]> consumer, String topic) {
        List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                .map(info -> new TopicPartition(info.topic(), info.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position);
    }

    /** The dead letter announced for a record of the requests topic. */
    io.weft.contracts.events.DeadLetter deadLetterFor(long partition, long offset, Duration within) {
        long deadline = System.nanoTime() + within.toNanos();
        while (System.nanoTime() < deadline) {
            for (ConsumerRecord<String, byte[]> record : deadLetters.poll(Duration.ofMillis(200))) {
                if (codec.fromRecord(record) instanceof io.weft.contracts.events.DeadLetter letter
                        && letter.sourcePartition() == partition && letter.sourceOffset() == offset) {
                    return letter;
                }
            }
        }
        throw new AssertionError("no dead letter for " + TestTopics.EXECUTION_REQUESTS + "-" + partition + "@" + offset);
    }

    void send(WeftEvent event) throws Exception {
        producer.send(codec.toRecord(event)).get();
    }

    /** Puts arbitrary bytes on the requests topic; answers (partition, offset). */
    long[] sendRaw(byte[] value) throws Exception {
        var sent = producer.send(new org.apache.kafka.clients.producer.ProducerRecord<>(TestTopics.EXECUTION_REQUESTS,
                "garbage-" + java.util.UUID.randomUUID(), value)).get();
        return new long[] {sent.partition(), sent.offset()};
    }

    /** Every event of the execution up to and including its terminal one. */
    List<ExecutionEvent> untilTerminal(String executionId, Duration within) {
        long deadline = System.nanoTime() + within.toNanos();
        while (System.nanoTime() < deadline) {
            poll();
            List<ExecutionEvent> mine = of(executionId);
            if (!mine.isEmpty() && mine.get(mine.size() - 1).terminal()) {
                return mine;
            }
        }
        throw new AssertionError("no terminal event for " + executionId + " within " + within + "; saw " + of(executionId));
    }

    /** Waits for the first event of the execution of the given type. */
    <T extends ExecutionEvent> T until(String executionId, Class<T> type, Duration within) {
        long deadline = System.nanoTime() + within.toNanos();
        while (System.nanoTime() < deadline) {
            poll();
            for (ExecutionEvent event : of(executionId)) {
                if (type.isInstance(event)) {
                    return type.cast(event);
                }
            }
        }
        throw new AssertionError("no " + type.getSimpleName() + " for " + executionId + " within " + within + "; saw " + of(executionId));
    }

    /** The events of the execution that arrive within the time given (for checking that none do). */
    List<ExecutionEvent> during(String executionId, Duration time) {
        long deadline = System.nanoTime() + time.toNanos();
        while (System.nanoTime() < deadline) {
            poll();
        }
        return of(executionId);
    }

    private void poll() {
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
            if (codec.fromRecord(record) instanceof ExecutionEvent event) {
                seen.add(event);
            }
        }
    }

    private List<ExecutionEvent> of(String executionId) {
        return seen.stream().filter(event -> event.executionId().equals(executionId)).toList();
    }

    @Override
    public void close() {
        producer.close();
        consumer.close();
        deadLetters.close();
    }
}
