package io.weft.workflow.executions;

import io.weft.testsupport.TestTopics;
import io.weft.contracts.events.CloudEventCodec;
import io.weft.contracts.events.ExecutionRequested;
import io.weft.contracts.events.WeftEvent;
import io.weft.platform.events.KafkaCloudEvents;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** The real broker as the tests see it: events sent as an executor would, requests read as an executor would. */
public final class ExecutionsKafka implements AutoCloseable {
    static final String BOOTSTRAP = "127.0.0.1:9092";
    private static volatile boolean consumersListening;

    private final KafkaCloudEvents records = new KafkaCloudEvents(new CloudEventCodec("/weft/test-executor"), TestTopics.PREFIX);
    private final KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of("bootstrap.servers", BOOTSTRAP, "acks", "all"),
            new StringSerializer(), new ByteArraySerializer());
    private final KafkaConsumer<String, byte[]> requests = new KafkaConsumer<>(Map.of("bootstrap.servers", BOOTSTRAP,
            "enable.auto.commit", "false"), new StringDeserializer(), new ByteArrayDeserializer());

    public ExecutionsKafka() {
        List<TopicPartition> partitions = java.util.stream.Stream.of(TestTopics.EXECUTION_REQUESTS, TestTopics.EXECUTION_CONTROL)
                .flatMap(topic -> requests.partitionsFor(topic).stream())
                .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
        requests.assign(partitions);
        requests.seekToEnd(partitions);
        partitions.forEach(requests::position);
    }

    /**
     * The service's consumers (read model, live events) start at the end of the topic in tests:
     * events sent before they have their partitions would be missed, so the first test waits until
     * their groups are stable.
     */
    public static void awaitConsumers() throws Exception {
        if (!consumersListening) {
            awaitGroup("weft-workflow-executions-test");
            awaitGroup("weft-workflow-live-");
            consumersListening = true;
        }
    }

    /** Waits until a consumer group whose id starts with {@code prefix} is stable with partitions assigned. */
    public static void awaitGroup(String prefix) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", BOOTSTRAP))) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (System.nanoTime() < deadline) {
                List<String> groups = admin.listConsumerGroups().all().get(10, TimeUnit.SECONDS).stream()
                        .map(listing -> listing.groupId()).filter(id -> id.startsWith(prefix)).toList();
                for (ConsumerGroupDescription group : admin.describeConsumerGroups(groups).all().get(10, TimeUnit.SECONDS).values()) {
                    boolean assigned = group.members().stream().anyMatch(member -> !member.assignment().topicPartitions().isEmpty());
                    if (assigned && group.groupState().toString().equalsIgnoreCase("STABLE")) {
                        Thread.sleep(500);
                        return;
                    }
                }
                Thread.sleep(200);
            }
        }
        throw new AssertionError("no consumer group " + prefix + "… got its partitions");
    }

    public void send(WeftEvent... events) throws Exception {
        for (WeftEvent event : events) {
            producer.send(records.toRecord(event)).get(10, TimeUnit.SECONDS);
        }
    }

    public ExecutionRequested requestFor(String executionId, Duration within) {
        return first(ExecutionRequested.class, executionId, within);
    }

    /** The first message of that type for the execution on the requests or control topic, sent after this tap opened. */
    public <T extends WeftEvent> T first(Class<T> type, String executionId, Duration within) {
        return take(message -> executionId.equals(message.key()) && type.isInstance(message.value()), within)
                .map(message -> type.cast(message.value()))
                .orElseThrow(() -> new AssertionError("no " + type.getSimpleName() + " for " + executionId + " within " + within));
    }

    /** The next execution request of the tenant sent after this tap opened. */
    public ExecutionRequested nextRequest(String tenantId, Duration within) {
        return take(message -> message.value() instanceof ExecutionRequested request && tenantId.equals(request.tenantId()), within)
                .map(message -> (ExecutionRequested) message.value())
                .orElseThrow(() -> new AssertionError("no execution request of tenant " + tenantId + " within " + within));
    }

    private record Message(String key, WeftEvent value) {
    }

    /** Messages polled but not taken yet: a test looking for one message does not lose the others. */
    private final List<Message> unread = new ArrayList<>();

    private Optional<Message> take(Predicate<Message> wanted, Duration within) {
        long deadline = System.nanoTime() + within.toNanos();
        do {
            for (Iterator<Message> it = unread.iterator(); it.hasNext(); ) {
                Message message = it.next();
                if (wanted.test(message)) {
                    it.remove();
                    return Optional.of(message);
                }
            }
            for (ConsumerRecord<String, byte[]> record : requests.poll(Duration.ofMillis(100))) {
                unread.add(new Message(record.key(), records.fromRecord(record)));
            }
        } while (System.nanoTime() < deadline);
        return Optional.empty();
    }

    /** Every execution request for the workflow seen during {@code during}. */
    public List<ExecutionRequested> requestsOf(String workflowId, Duration during) {
        List<ExecutionRequested> seen = new ArrayList<>();
        long deadline = System.nanoTime() + during.toNanos();
        while (System.nanoTime() < deadline) {
            take(message -> message.value() instanceof ExecutionRequested request && workflowId.equals(request.workflowId()),
                    Duration.ofMillis(100)).ifPresent(message -> seen.add((ExecutionRequested) message.value()));
        }
        return seen;
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
        requests.close(Duration.ofSeconds(5));
    }
}
