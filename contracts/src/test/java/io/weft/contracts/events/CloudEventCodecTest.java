package io.weft.contracts.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.weft.contracts.json.WeftJson;
import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class CloudEventCodecTest {
    private final CloudEventCodec codec = new CloudEventCodec("/weft/test");

    @Test
    void everyEventTypeHasASample() {
        assertThat(EventSamples.ALL).containsOnlyKeys(EventType.values());
    }

    @ParameterizedTest
    @EnumSource(EventType.class)
    void roundTripsThroughBinaryModeCloudEvent(EventType type) {
        WeftEvent event = EventSamples.ALL.get(type);

        CloudEvent message = codec.encode(event);

        assertThat(message.key()).isEqualTo(event.partitionKey());
        assertThat(message.headers()).containsEntry("ce_specversion", "1.0")
                .containsEntry("ce_id", event.eventId())
                .containsEntry("ce_source", "/weft/test")
                .containsEntry("ce_type", type.ceType())
                .containsEntry("ce_time", "2026-11-25T10:15:30.123Z")
                .containsEntry("ce_wefttenant", EventSamples.TENANT)
                .containsEntry("content-type", "application/json");
        assertThat(codec.decode(message.headers(), message.data())).isEqualTo(event);
    }

    @ParameterizedTest
    @EnumSource(EventType.class)
    void dataCarriesEveryRecordFieldAndNoTypeDiscriminator(EventType type) throws Exception {
        var tree = WeftJson.mapper().readTree(codec.encode(EventSamples.ALL.get(type)).data());

        for (RecordComponent component : type.recordClass().getRecordComponents()) {
            assertThat(tree.has(component.getName())).as(component.getName()).isTrue();
        }
        assertThat(tree.size()).isEqualTo(type.recordClass().getRecordComponents().length);
    }

    @Test
    void executionEventsAreKeyedByExecutionSoTheyStayInOrder() {
        EventSamples.ALL.values().stream()
                .filter(e -> e instanceof ExecutionEvent || e instanceof ExecutionControl || e instanceof ExecutionRequested)
                .forEach(e -> assertThat(e.partitionKey()).isEqualTo(EventSamples.EXECUTION));
    }

    @Test
    void terminalEventsAreTheThreeEndings() {
        assertThat(EventSamples.ALL.values().stream()
                .filter(e -> e instanceof ExecutionEvent ee && ee.terminal())
                .map(EventType::of))
                .containsExactlyInAnyOrder(EventType.EXECUTION_SUCCEEDED, EventType.EXECUTION_FAILED, EventType.EXECUTION_CANCELLED);
    }

    @Test
    void unknownTypeIsRejectedWithItsReason() {
        Map<String, String> headers = new HashMap<>(codec.encode(EventSamples.ALL.get(EventType.AUDIT)).headers());
        headers.put("ce_type", "com.example.other");

        assertThatThrownBy(() -> codec.decode(headers, "{}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOfSatisfying(UnreadableEventException.class,
                        e -> assertThat(e.reason()).isEqualTo(DeadLetter.Reason.UNKNOWN_EVENT_TYPE))
                .hasMessageContaining("com.example.other");
    }

    @Test
    void missingSpecVersionIsUnreadable() {
        Map<String, String> headers = new HashMap<>(codec.encode(EventSamples.ALL.get(EventType.AUDIT)).headers());
        headers.remove("ce_specversion");

        assertThatThrownBy(() -> codec.decode(headers, "{}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOfSatisfying(UnreadableEventException.class,
                        e -> assertThat(e.reason()).isEqualTo(DeadLetter.Reason.UNREADABLE_MESSAGE));
    }

    @Test
    void brokenJsonIsUnreadableAndNamesTheType() {
        CloudEvent message = codec.encode(EventSamples.ALL.get(EventType.NODES_PROGRESSED));

        assertThatThrownBy(() -> codec.decode(message.headers(), "{\"sequence\": \"x".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOfSatisfying(UnreadableEventException.class,
                        e -> assertThat(e.reason()).isEqualTo(DeadLetter.Reason.UNREADABLE_MESSAGE))
                .hasMessageContaining("dev.weft.execution.nodes-progressed.v2");
        assertThatThrownBy(() -> codec.decode(message.headers(), new byte[0]))
                .isInstanceOf(UnreadableEventException.class);
    }

    @Test
    void unknownFieldsAreIgnoredSoConsumersSurviveAdditiveChanges() {
        CloudEvent message = codec.encode(EventSamples.ALL.get(EventType.PAUSE));
        String withExtra = new String(message.data(), StandardCharsets.UTF_8).replaceFirst("\\{", "{\"addedLater\":1,");

        assertThat(codec.decode(message.headers(), withExtra.getBytes(StandardCharsets.UTF_8)))
                .isEqualTo(EventSamples.ALL.get(EventType.PAUSE));
    }
}
