package io.weft.platform.events;

import io.weft.contracts.events.CloudEvent;
import io.weft.contracts.events.CloudEventCodec;
import io.weft.contracts.events.EventType;
import io.weft.contracts.events.WeftEvent;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/** Maps Weft events to Kafka records in CloudEvents binary mode and back. */
public final class KafkaCloudEvents {
    private final CloudEventCodec codec;
    private final String topicPrefix;

    /** Records on the contract's topic names, as a fleet with no topic prefix has them. */
    public KafkaCloudEvents(CloudEventCodec codec) {
        this(codec, "");
    }

    /** @param topicPrefix put in front of every topic name ({@link KafkaTopics}) */
    public KafkaCloudEvents(CloudEventCodec codec, String topicPrefix) {
        this.codec = codec;
        this.topicPrefix = KafkaTopics.checked(topicPrefix);
    }

    /** A record on the event's own topic, keyed so that one execution's events keep their order. */
    public ProducerRecord<String, byte[]> toRecord(WeftEvent event) {
        CloudEvent message = codec.encode(event);
        ProducerRecord<String, byte[]> record =
                new ProducerRecord<>(topicPrefix + EventType.of(event).topic(), message.key(), message.data());
        message.headers().forEach((name, value) -> record.headers().add(name, value.getBytes(StandardCharsets.UTF_8)));
        return record;
    }

    /** @throws io.weft.contracts.events.UnreadableEventException when the record is not a Weft event */
    public WeftEvent fromRecord(ConsumerRecord<String, byte[]> record) {
        return codec.decode(headers(record.headers()), record.value());
    }

    /** The last value of each header, as text. */
    public static Map<String, String> headers(Headers headers) {
        Map<String, String> result = new LinkedHashMap<>();
        for (Header header : headers) {
            if (header.value() != null) {
                result.put(header.key(), new String(header.value(), StandardCharsets.UTF_8));
            }
        }
        return result;
    }
}
