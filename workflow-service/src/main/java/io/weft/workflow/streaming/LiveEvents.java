package io.weft.workflow.streaming;

import io.weft.contracts.events.CloudEvent;
import io.weft.contracts.events.CloudEventCodec;
import io.weft.contracts.events.EventType;
import io.weft.contracts.events.ExecutionEvent;
import io.weft.contracts.events.UnreadableEventException;
import io.weft.platform.events.KafkaCloudEvents;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.header.Header;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Execution events as they happen, for whoever on this instance listens: synchronous webhook calls
 * waiting for their answer, SSE streams. Every workflow-service instance reads
 * {@code weft.execution.events} on its own (a consumer group per instance, newest records only),
 * because the instance holding a connection is not the one whose read-model partitions carry its
 * execution. A record is decoded only when a listener here takes its type.
 */
@ApplicationScoped
public class LiveEvents {
    private static final Logger LOG = Logger.getLogger(LiveEvents.class);
    private static final Set<String> EXECUTION_LEVEL = Stream.concat(
            Stream.of(EventType.EXECUTION_STARTED.ceType(), EventType.EXECUTION_WAITING.ceType()),
            EventType.terminalCeTypes().stream()).collect(Collectors.toUnmodifiableSet());

    /** @param data the event's JSON as the executor published it */
    public record Live(ExecutionEvent event, String type, String data) {
    }

    /**
     * A subscription: the event types it is given (decoded), or a bell rung on every event of its
     * execution without decoding it. A class, not a record: two subscriptions are never equal.
     */
    private static final class Listener {
        private final Set<String> types;
        private final Consumer<Live> onEvent;
        private final Runnable bell;

        private Listener(Set<String> types, Consumer<Live> onEvent, Runnable bell) {
            this.types = types;
            this.onEvent = onEvent;
            this.bell = bell;
        }

        boolean decodes(String type) {
            return onEvent != null && types.contains(type);
        }
    }

    private final Map<String, Set<Listener>> byExecution = new ConcurrentHashMap<>();
    private final Map<String, Set<Listener>> byTenant = new ConcurrentHashMap<>();
    private final KafkaCloudEvents records = new KafkaCloudEvents(new CloudEventCodec("/weft/workflow-service"));

    /** The tenant's execution's events of these CloudEvent types, until the returned handle is closed. */
    public AutoCloseable execution(String tenantId, String executionId, Set<String> types, Consumer<Live> listener) {
        return add(byExecution, tenantId + "/" + executionId, new Listener(Set.copyOf(types), listener, null));
    }

    /** Rings on every event of the tenant's execution (the event is not decoded for it), until the handle is closed. */
    public AutoCloseable bell(String tenantId, String executionId, Runnable bell) {
        return add(byExecution, tenantId + "/" + executionId, new Listener(Set.of(), null, bell));
    }

    /** The execution-level events (started, waiting, succeeded, failed, cancelled) of all the tenant's executions. */
    public AutoCloseable tenant(String tenantId, Consumer<Live> listener) {
        return add(byTenant, tenantId, new Listener(EXECUTION_LEVEL, listener, null));
    }

    private static AutoCloseable add(Map<String, Set<Listener>> listeners, String key, Listener listener) {
        listeners.computeIfAbsent(key, k -> new CopyOnWriteArraySet<>()).add(listener);
        return () -> listeners.computeIfPresent(key, (k, set) -> {
            set.remove(listener);
            return set.isEmpty() ? null : set;
        });
    }

    @Incoming("live-events")
    public void onEvents(ConsumerRecords<String, byte[]> batch) {
        if (byExecution.isEmpty() && byTenant.isEmpty()) {
            return;
        }
        for (ConsumerRecord<String, byte[]> record : batch) {
            String tenant = header(record, CloudEvent.HEADER_TENANT);
            String type = header(record, CloudEvent.HEADER_TYPE);
            if (tenant == null || type == null) {
                continue;
            }
            Set<Listener> forExecution = record.key() == null ? Set.of() : byExecution.getOrDefault(tenant + "/" + record.key(), Set.of());
            Set<Listener> forTenant = byTenant.getOrDefault(tenant, Set.of());
            boolean decode = false;
            for (Listener listener : forExecution) {
                if (listener.bell != null) {
                    ring(listener.bell);
                }
                decode |= listener.decodes(type);
            }
            for (Listener listener : forTenant) {
                decode |= listener.decodes(type);
            }
            if (!decode) {
                continue;
            }
            Live live;
            try {
                if (!(records.fromRecord(record) instanceof ExecutionEvent event) || !tenant.equals(event.tenantId())) {
                    continue;
                }
                live = new Live(event, type, new String(record.value(), StandardCharsets.UTF_8));
            } catch (UnreadableEventException e) {
                LOG.warnf("skipping an unreadable live event of %s: %s", record.key(), e.getMessage());
                continue;
            }
            deliver(forExecution, live);
            deliver(forTenant, live);
        }
    }

    private static void deliver(Set<Listener> listeners, Live live) {
        for (Listener listener : listeners) {
            if (listener.decodes(live.type())) {
                try {
                    listener.onEvent.accept(live);
                } catch (RuntimeException e) {
                    LOG.warnf("a live-event listener failed: %s", e.getMessage());
                }
            }
        }
    }

    private static void ring(Runnable bell) {
        try {
            bell.run();
        } catch (RuntimeException e) {
            LOG.warnf("a live-event bell failed: %s", e.getMessage());
        }
    }

    private static String header(ConsumerRecord<String, byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
