package io.weft.executor.runs;

import io.weft.testsupport.TestTopics;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * The tests' executor reads requests and commands as consumer groups of its own on the shared
 * local broker. Before it starts, the groups are moved to the end of their topics, so that it does
 * not work through messages left by earlier runs, benchmarks or a running fleet.
 */
public class SkipOldRequests implements QuarkusTestResourceLifecycleManager {
    static final String GROUP = "weft-executor-test";

    static final String CONTROL_GROUP = "weft-executor-control-test";

    @Override
    public Map<String, String> start() {
        String bootstrap = System.getenv().getOrDefault("WEFT_KAFKA_BOOTSTRAP", "127.0.0.1:9092");
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            toEnd(admin, TestTopics.EXECUTION_REQUESTS, GROUP);
            toEnd(admin, TestTopics.EXECUTION_CONTROL, CONTROL_GROUP);
        } catch (Exception e) {
            throw new IllegalStateException("cannot move the tests' consumer groups to the end of their topics", e);
        }
        return Map.of("mp.messaging.incoming.execution-requests.group.id", GROUP,
                "mp.messaging.incoming.execution-control.group.id", CONTROL_GROUP);
    }

    private static void toEnd(Admin admin, String topic, String group) throws Exception {
        var partitions = admin.describeTopics(List.of(topic)).allTopicNames().get(10, TimeUnit.SECONDS).get(topic).partitions();
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        partitions.forEach(p -> latest.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest()));
        Map<TopicPartition, OffsetAndMetadata> ends = new HashMap<>();
        admin.listOffsets(latest).all().get(10, TimeUnit.SECONDS)
                .forEach((partition, info) -> ends.put(partition, new OffsetAndMetadata(info.offset())));
        admin.alterConsumerGroupOffsets(group, ends).all().get(10, TimeUnit.SECONDS);
    }

    @Override
    public void stop() {
    }
}
