package io.weft.workflow.streaming;

import io.weft.testsupport.TestTopics;
import static org.assertj.core.api.Assertions.assertThat;

import io.weft.contracts.events.CloudEventCodec;
import io.weft.contracts.events.EventType;
import io.weft.contracts.events.ExecutionEvent;
import io.weft.contracts.events.WeftEvent;
import io.weft.platform.events.KafkaCloudEvents;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

/** Who on this instance is given which live event: only the types a listener asked for; a bell rings on every one. */
class LiveEventsTest {
    private static final String TENANT = "8d0f7b0e-8d43-4a55-a1a3-0a6bde2ac7a1";
    private static final Instant AT = Instant.parse("2026-11-26T10:00:00Z");
    private final KafkaCloudEvents codec = new KafkaCloudEvents(new CloudEventCodec("/weft/test"), TestTopics.PREFIX);
    private long offset;

    @Test
    void aListenerIsGivenOnlyItsTypesWhileABellRingsOnEveryEventOfTheExecution() throws Exception {
        LiveEvents live = new LiveEvents();
        List<String> answers = new ArrayList<>();
        List<String> statuses = new ArrayList<>();
        AtomicInteger rings = new AtomicInteger();
        AutoCloseable answer = live.execution(TENANT, "e1", Set.of(EventType.WEBHOOK_RESPONDED.ceType()),
                event -> answers.add(event.type()));
        live.bell(TENANT, "e1", rings::incrementAndGet);
        live.tenant(TENANT, event -> statuses.add(event.event().executionId() + " " + event.type()));

        live.onEvents(batch(started("e1"), nodeStarted("e1"), responded("e1"), succeeded("e1"), nodeStarted("e2"), succeeded("e2")));

        assertThat(answers).containsExactly(EventType.WEBHOOK_RESPONDED.ceType());
        assertThat(rings).hasValue(4);
        assertThat(statuses).containsExactly("e1 " + EventType.EXECUTION_STARTED.ceType(), "e1 " + EventType.EXECUTION_SUCCEEDED.ceType(),
                "e2 " + EventType.EXECUTION_SUCCEEDED.ceType());

        answer.close();
        live.onEvents(batch(responded("e1")));
        assertThat(answers).hasSize(1);
        assertThat(rings).hasValue(5);
    }

    @Test
    void anotherTenantsEventsReachNoListener() {
        LiveEvents live = new LiveEvents();
        AtomicInteger heard = new AtomicInteger();
        live.execution(TENANT, "e1", Set.of(EventType.EXECUTION_SUCCEEDED.ceType()), event -> heard.incrementAndGet());
        live.bell(TENANT, "e1", heard::incrementAndGet);
        live.tenant(TENANT, event -> heard.incrementAndGet());

        String other = "0b8e4f57-5a30-4c55-9d87-7b5f0d3a9e11";
        live.onEvents(batch(new ExecutionEvent.ExecutionSucceeded("x", other, "e1", "wf", 9, 5, null, List.of(), AT)));

        assertThat(heard).hasValue(0);
    }

    private static ExecutionEvent started(String execution) {
        return new ExecutionEvent.ExecutionStarted("s-" + execution, TENANT, execution, "wf", 1, 1, "hash", io.weft.contracts.events.TriggerKind.WEBHOOK, "executor", false, AT);
    }

    private static ExecutionEvent nodeStarted(String execution) {
        return new ExecutionEvent.NodesProgressed("n-" + execution, TENANT, execution, "wf", 2,
                List.of(io.weft.contracts.events.NodeTransition.running("set", "Set", "core.set", 1, "key", AT)), AT);
    }

    private static ExecutionEvent responded(String execution) {
        return new ExecutionEvent.WebhookResponded("r-" + execution, TENANT, execution, "wf", 3, "answer", 200, Map.of(), null, null, AT);
    }

    private static ExecutionEvent succeeded(String execution) {
        return new ExecutionEvent.ExecutionSucceeded("d-" + execution, TENANT, execution, "wf", 4, 5, null, List.of(), AT);
    }

    private ConsumerRecords<String, byte[]> batch(WeftEvent... events) {
        TopicPartition partition = new TopicPartition(TestTopics.EXECUTION_EVENTS, 0);
        List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
        for (WeftEvent event : events) {
            ProducerRecord<String, byte[]> sent = codec.toRecord(event);
            records.add(new ConsumerRecord<>(partition.topic(), 0, offset++, 0L, TimestampType.CREATE_TIME, 0, 0, sent.key(),
                    sent.value(), sent.headers(), java.util.Optional.empty()));
        }
        return new ConsumerRecords<>(Map.of(partition, records));
    }
}
