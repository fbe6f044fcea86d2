package io.weft.logs.bench;

import io.weft.contracts.events.CloudEventCodec;
import io.weft.contracts.events.ConsoleLine;
import io.weft.contracts.events.ErrorKind;
import io.weft.contracts.events.ExecutionError;
import io.weft.contracts.events.ExecutionEvent;
import io.weft.contracts.events.NodeTransition;
import io.weft.contracts.events.Topics;
import io.weft.contracts.events.TriggerKind;
import io.weft.contracts.events.WeftEvent;
import io.weft.platform.events.KafkaCloudEvents;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Ingest benchmark (docs/benchmarks.md): publishes {@code events} execution events — executions
 * of 2 events (start; end with three nodes' transitions: 5 timeline rows), a console line with an email on
 * every node, an error to redact on every tenth execution — for {@code tenants} tenants, then
 * follows logs-service's consumer group until it has stored them all, and prints events/s. Not a
 * test; run it with the fleet up (see docs/benchmarks.md for the command).
 */
public final class IngestLoad {
    private static final String GROUP = "weft-logs-executions";

    public static void main(String[] args) throws Exception {
        int events = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        int tenants = args.length > 1 ? Integer.parseInt(args[1]) : 100;
        // "both" (default), or "publish" with logs-service stopped, then "follow" once it is started: ingest alone;
        // "skip" afterwards moves every other group on the topic past the benchmark's events (the workflow read model,
        // the test groups), which would otherwise work through them on their next start.
        String mode = args.length > 2 ? args[2] : "both";
        String bootstrap = System.getProperty("kafka", "127.0.0.1:9092");
        if (mode.equals("skip")) {
            skipOthers(bootstrap);
            return;
        }
        List<String> tenantIds = new ArrayList<>();
        for (int i = 0; i < tenants; i++) {
            tenantIds.add(UUID.randomUUID().toString());
        }
        KafkaCloudEvents records = new KafkaCloudEvents(new CloudEventCodec("/weft/bench"));
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap));
             KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of("bootstrap.servers", bootstrap, "acks", "all",
                     "linger.ms", "20", "batch.size", "262144", "compression.type", "lz4"), new StringSerializer(), new ByteArraySerializer())) {
            Map<TopicPartition, Long> before = committed(admin);
            long started = System.nanoTime();
            if (!mode.equals("follow")) {
                Instant now = Instant.now();
                for (int sent = 0, execution = 0; sent < events; execution++) {
                    for (WeftEvent event : execution(tenantIds.get(execution % tenants), "wf-" + execution % 20, now, execution % 10 == 0)) {
                        producer.send(records.toRecord(event));
                        if (++sent % 100_000 == 0) {
                            System.out.printf("published %,d events%n", sent);
                        }
                    }
                }
                producer.flush();
                System.out.printf("published %,d events in %.1f s%n", events, (System.nanoTime() - started) / 1e9);
            }
            if (mode.equals("publish")) {
                return;
            }
            Map<TopicPartition, Long> end = ends(admin, before.keySet());
            long total = end.entrySet().stream().mapToLong(e -> e.getValue() - before.getOrDefault(e.getKey(), 0L)).sum();
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(15);
            long lastReport = System.nanoTime();
            long lastDone = 0;
            long firstMove = mode.equals("follow") ? 0 : started;
            while (System.nanoTime() < deadline) {
                Map<TopicPartition, Long> offsets = committed(admin);
                long done = offsets.entrySet().stream().mapToLong(e -> e.getValue() - before.getOrDefault(e.getKey(), 0L)).sum();
                if (done > 0 && firstMove == 0) {
                    firstMove = System.nanoTime();
                    System.out.printf("first commit: %,d stored%n", done);
                }
                if (done >= total) {
                    double seconds = (System.nanoTime() - firstMove) / 1e9;
                    System.out.printf("stored %,d records in %.1f s (from the %s): %,.0f events/s%n", total, seconds,
                            mode.equals("follow") ? "first commit" : "first publish", total / seconds);
                    return;
                }
                if (System.nanoTime() - lastReport > TimeUnit.SECONDS.toNanos(5)) {
                    System.out.printf("stored %,d of %,d (%,.0f events/s over the last %.1f s)%n", done, total,
                            (done - lastDone) / ((System.nanoTime() - lastReport) / 1e9), (System.nanoTime() - lastReport) / 1e9);
                    lastReport = System.nanoTime();
                    lastDone = done;
                }
                Thread.sleep(50);
            }
            throw new IllegalStateException("logs-service did not catch up within 15 minutes");
        }
    }

    /**
     * The fleet's groups on the topic. One that has not committed yet (its service started on an empty topic) would
     * start from the earliest offset, so it is moved too.
     */
    private static final Set<String> FLEET_GROUPS = Set.of("weft-workflow-executions", "weft-workflow-executions-test",
            "weft-logs-executions-test");

    private static void skipOthers(String bootstrap) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            Set<String> groups = new java.util.TreeSet<>(FLEET_GROUPS);
            admin.listGroups().all().get(10, TimeUnit.SECONDS).forEach(group -> groups.add(group.groupId()));
            Set<TopicPartition> all = new java.util.HashSet<>();
            admin.describeTopics(Set.of(Topics.EXECUTION_EVENTS)).allTopicNames().get(10, TimeUnit.SECONDS).get(Topics.EXECUTION_EVENTS)
                    .partitions().forEach(p -> all.add(new TopicPartition(Topics.EXECUTION_EVENTS, p.partition())));
            for (String groupId : groups) {
                if (groupId.equals(GROUP)) {
                    continue;
                }
                Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(groupId).partitionsToOffsetAndMetadata()
                        .get(10, TimeUnit.SECONDS);
                Set<TopicPartition> partitions = new java.util.HashSet<>();
                offsets.keySet().stream().filter(p -> p.topic().equals(Topics.EXECUTION_EVENTS)).forEach(partitions::add);
                if (partitions.isEmpty() && FLEET_GROUPS.contains(groupId)) {
                    partitions = all;
                }
                if (partitions.isEmpty()) {
                    continue;
                }
                Map<TopicPartition, OffsetAndMetadata> latest = new java.util.HashMap<>();
                ends(admin, partitions).forEach((partition, end) -> latest.put(partition, new OffsetAndMetadata(end)));
                admin.alterConsumerGroupOffsets(groupId, latest).all().get(10, TimeUnit.SECONDS);
                System.out.printf("moved %s to the end of %s%n", groupId, Topics.EXECUTION_EVENTS);
            }
        }
    }

    /**
     * One sample execution as contract v2 publishes it: its start, then its end carrying the three pure
     * nodes' transitions (one checkpoint flush), the last node failing when asked — 2 events, 5 timeline rows.
     */
    public static List<WeftEvent> execution(String tenant, String workflow, Instant at, boolean withError) {
        String id = UUID.randomUUID().toString();
        List<NodeTransition> nodes = new ArrayList<>(3);
        List<ConsoleLine> console = List.of(new ConsoleLine("info", "order 4711 for customer ada@example.com accepted"));
        for (int node = 0; node < 3; node++) {
            String nodeId = "node-" + node;
            boolean fails = withError && node == 2;
            nodes.add(new NodeTransition(nodeId, "Node " + node, "core.set", fails ? NodeTransition.Status.FAILED : NodeTransition.Status.SUCCEEDED,
                    1, tenant + ":" + id + ":" + nodeId + ":1", at, at, fails ? 12L : 5L + node, fails ? null : 1, null, null,
                    fails ? new ExecutionError(ErrorKind.HTTP_CLIENT_ERROR, "401 for Authorization: Bearer sk-proj-abcdefghijklmnopqrstuvwx",
                            false, nodeId, null) : null, fails ? ExecutionEvent.FailureHandling.FAIL_EXECUTION : null, null, console));
        }
        return List.of(
                new ExecutionEvent.ExecutionStarted(UUID.randomUUID().toString(), tenant, id, workflow, 1, 1, "plan", TriggerKind.WEBHOOK,
                        "bench", false, at),
                withError
                        ? new ExecutionEvent.ExecutionFailed(UUID.randomUUID().toString(), tenant, id, workflow, 2, 30, "node-2",
                                new ExecutionError(ErrorKind.HTTP_CLIENT_ERROR, "401", false, "node-2", null), nodes, at)
                        : new ExecutionEvent.ExecutionSucceeded(UUID.randomUUID().toString(), tenant, id, workflow, 2, 30, null, nodes, at));
    }

    private static Map<TopicPartition, Long> committed(Admin admin) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(GROUP).partitionsToOffsetAndMetadata()
                .get(10, TimeUnit.SECONDS);
        Map<TopicPartition, Long> committed = new java.util.HashMap<>();
        offsets.forEach((partition, offset) -> {
            if (partition.topic().equals(Topics.EXECUTION_EVENTS) && offset != null) {
                committed.put(partition, offset.offset());
            }
        });
        if (committed.isEmpty()) {
            // The group has not committed yet (a new broker): it starts from the beginning of each partition.
            var topic = admin.describeTopics(Set.of(Topics.EXECUTION_EVENTS)).allTopicNames().get(10, TimeUnit.SECONDS)
                    .get(Topics.EXECUTION_EVENTS);
            topic.partitions().forEach(p -> committed.put(new TopicPartition(Topics.EXECUTION_EVENTS, p.partition()), 0L));
        }
        return committed;
    }

    private static Map<TopicPartition, Long> ends(Admin admin, Set<TopicPartition> partitions) throws Exception {
        Map<TopicPartition, OffsetSpec> latest = new java.util.HashMap<>();
        partitions.forEach(partition -> latest.put(partition, OffsetSpec.latest()));
        Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> found = admin.listOffsets(latest).all().get(10, TimeUnit.SECONDS);
        Map<TopicPartition, Long> ends = new java.util.HashMap<>();
        found.forEach((partition, info) -> ends.put(partition, info.offset()));
        return ends;
    }
}
