package io.weft.executor.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.weft.contracts.events.CloudEventCodec;
import io.weft.contracts.events.ExecutionEvent;
import io.weft.contracts.events.ExecutionRequested;
import io.weft.contracts.events.Topics;
import io.weft.contracts.events.TriggerKind;
import io.weft.contracts.json.WeftJson;
import io.weft.platform.events.KafkaCloudEvents;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * End-to-end load on a running fleet: signs up a tenant at the gateway, compiles a 5-node workflow
 * (Manual → Set → If → Set → No-op) through the gateway, then puts N ExecutionRequested on Kafka as
 * fast as the producer takes them and waits for every ExecutionSucceeded. Prints executions per
 * second and the latency from sending a request to its ExecutionSucceeded.
 * Run with {@code ./weft bench executions [count]} while {@code ./weft up} runs.
 */
public final class ExecutionLoad {
    private static final String WORKFLOW = """
            {"name":"Load","nodes":[
              {"id":"start","name":"Start","type":"trigger.manual","typeVersion":1},
              {"id":"price","name":"Price","type":"core.set","typeVersion":1,"parameters":{"fields":[{"name":"total","value":"{{ $json.amount }}"}]}},
              {"id":"big","name":"Big","type":"core.if","typeVersion":1,"parameters":{"conditions":[{"left":"{{ $json.total }}","operator":"gt","right":100}]}},
              {"id":"vip","name":"Vip","type":"core.set","typeVersion":1,"parameters":{"fields":[{"name":"vip","value":true}]}},
              {"id":"done","name":"Done","type":"core.noOp","typeVersion":1}],
             "connections":[
              {"from":{"node":"start","port":"main"},"to":{"node":"price","port":"main"}},
              {"from":{"node":"price","port":"main"},"to":{"node":"big","port":"main"}},
              {"from":{"node":"big","port":"true"},"to":{"node":"vip","port":"main"}},
              {"from":{"node":"vip","port":"main"},"to":{"node":"done","port":"main"}}]}""";

    private static final java.util.Set<String> TERMINAL = java.util.Set.of(
            io.weft.contracts.events.EventType.EXECUTION_SUCCEEDED.ceType(),
            io.weft.contracts.events.EventType.EXECUTION_FAILED.ceType(),
            io.weft.contracts.events.EventType.EXECUTION_CANCELLED.ceType());

    private ExecutionLoad() {
    }

    public static void main(String[] args) throws Exception {
        int count = args.length > 0 ? Integer.parseInt(args[0]) : 5000;
        String gateway = System.getenv().getOrDefault("WEFT_GATEWAY_URL", "http://127.0.0.1:8080");
        String bootstrap = System.getenv().getOrDefault("WEFT_KAFKA_BOOTSTRAP", "127.0.0.1:9092");
        HttpClient http = HttpClient.newHttpClient();
        String email = "load-" + UUID.randomUUID() + "@example.com";
        JsonNode signup = post(http, gateway + "/api/auth/signup", null,
                "{\"organisation\":\"Load\",\"email\":\"" + email + "\",\"password\":\"a long enough password\"}");
        String token = signup.get("accessToken").asText();
        String tenant = get(http, gateway + "/api/users/me", token).get("tenantId").asText();
        String hash = post(http, gateway + "/api/compile", token, WORKFLOW).get("hash").asText();
        System.out.printf("tenant %s, plan %s; sending %d execution requests%n", tenant, hash, count);

        KafkaCloudEvents codec = new KafkaCloudEvents(new CloudEventCodec("/weft/load"));
        Map<String, Long> sentAt = new ConcurrentHashMap<>();
        long[] latencies = new long[count];
        int done = 0;
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of("bootstrap.servers", bootstrap,
                "enable.auto.commit", "false", "max.poll.records", "2000"), new StringDeserializer(), new ByteArrayDeserializer());
             KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of("bootstrap.servers", bootstrap, "acks", "all",
                     "linger.ms", "5"), new StringSerializer(), new ByteArraySerializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.EXECUTION_EVENTS).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToEnd(partitions);
            partitions.forEach(consumer::position);

            long start = System.nanoTime();
            for (int i = 0; i < count; i++) {
                String execution = "load-" + UUID.randomUUID();
                sentAt.put(execution, System.nanoTime());
                producer.send(codec.toRecord(new ExecutionRequested(UUID.randomUUID().toString(), tenant, execution, "wf-load", 1,
                        hash, TriggerKind.MANUAL, "start", WeftJson.mapper().createObjectNode().put("amount", 150 + i % 100),
                        "load", null, null, Instant.now())));
            }
            producer.flush();
            long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
            int failed = 0;
            while (done + failed < count && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    var type = record.headers().lastHeader("ce_type");
                    if (type == null || !TERMINAL.contains(new String(type.value(), java.nio.charset.StandardCharsets.UTF_8))) {
                        continue; // decoding only what is counted keeps the load generator's share of the two cores small
                    }
                    if (codec.fromRecord(record) instanceof ExecutionEvent event && event.terminal()) {
                        Long sent = sentAt.remove(event.executionId());
                        if (sent == null) {
                            continue;
                        }
                        if (event instanceof ExecutionEvent.ExecutionSucceeded) {
                            latencies[done++] = System.nanoTime() - sent;
                        } else {
                            failed++;
                        }
                    }
                }
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            long[] measured = Arrays.copyOf(latencies, done);
            Arrays.sort(measured);
            System.out.printf("%d succeeded, %d failed, %d missing in %.1f s: %.0f executions/s%n", done, failed,
                    count - done - failed, seconds, done / seconds);
            if (done > 0) {
                System.out.printf("request → ExecutionSucceeded: p50 %.1f ms, p90 %.1f ms, p99 %.1f ms, max %.1f ms%n",
                        measured[done / 2] / 1e6, measured[(int) (done * 0.9)] / 1e6, measured[(int) (done * 0.99)] / 1e6,
                        measured[done - 1] / 1e6);
            }
        }
    }

    private static JsonNode post(HttpClient http, String url, String token, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return answer(http.send(request.build(), HttpResponse.BodyHandlers.ofString()));
    }

    private static JsonNode get(HttpClient http, String url, String token) throws Exception {
        return answer(http.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + token).build(),
                HttpResponse.BodyHandlers.ofString()));
    }

    private static JsonNode answer(HttpResponse<String> response) throws Exception {
        if (response.statusCode() >= 300) {
            throw new IllegalStateException(response.uri() + " answered " + response.statusCode() + ": " + response.body());
        }
        return WeftJson.mapper().readTree(response.body());
    }
}
