package io.weft.executor.runs;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.weft.contracts.events.Topics;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * The tests' executor reads requests as consumer group {@code weft-executor-test} on the shared
 * local broker. Before it starts, the group is moved to the end of the requests topic, so it does
 * not work through requests left by earlier runs, benchmarks or a running fleet.
 */
public class SkipOldRequests implements QuarkusTestResourceLifecycleManager {
    static final String GROUP = "weft-executor-test";

    @Override
    public Map<String, String> start() {
        String bootstrap = System.getenv().getOrDefault("WEFT_KAFKA_BOOTSTRAP", "127.0.0.1:9092");
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            var partitions = admin.describeTopics(List.of(Topics.EXECUTION_REQUESTS)).allTopicNames().get(10, TimeUnit.SECONDS)
                    .get(Topics.EXECUTION_REQUESTS).partitions();
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            partitions.forEach(p -> latest.put(new TopicPartition(Topics.EXECUTION_REQUESTS, p.partition()), OffsetSpec.latest()));
            Map<TopicPartition, OffsetAndMetadata> ends = new HashMap<>();
            admin.listOffsets(latest).all().get(10, TimeUnit.SECONDS)
                    .forEach((partition, info) -> ends.put(partition, new OffsetAndMetadata(info.offset())));
            admin.alterConsumerGroupOffsets(GROUP, ends).all().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("cannot move consumer group " + GROUP + " to the end of " + Topics.EXECUTION_REQUESTS, e);
        }
        return Map.of("mp.messaging.incoming.execution-requests.group.id", GROUP);
    }

    @Override
    public void stop() {
    }
}
