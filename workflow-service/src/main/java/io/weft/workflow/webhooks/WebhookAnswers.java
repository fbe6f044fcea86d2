package io.weft.workflow.webhooks;

import io.weft.contracts.events.EventType;
import io.weft.contracts.events.ExecutionEvent;
import io.weft.workflow.streaming.LiveEvents;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** The answers that synchronous webhook calls wait for, from the live events of this instance. */
@ApplicationScoped
public class WebhookAnswers {
    /** What a waiting call needs; the other events of its execution are not decoded for it. */
    private static final Set<String> ANSWERS = Stream.concat(Stream.of(EventType.WEBHOOK_RESPONDED.ceType()),
            EventType.terminalCeTypes().stream()).collect(Collectors.toUnmodifiableSet());

    private final LiveEvents live;

    WebhookAnswers(LiveEvents live) {
        this.live = live;
    }

    /** A call's wait: completes with the execution's {@link ExecutionEvent.WebhookResponded} or its terminal event. */
    public record Awaited(CompletableFuture<ExecutionEvent> answer, AutoCloseable subscription) {
        public void forget() {
            try {
                subscription.close();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** Listen before the request is sent (the answer may come back quickly); {@link Awaited#forget} when done. */
    public Awaited await(String tenantId, String executionId) {
        CompletableFuture<ExecutionEvent> answer = new CompletableFuture<>();
        AutoCloseable subscription = live.execution(tenantId, executionId, ANSWERS, event -> answer.complete(event.event()));
        return new Awaited(answer, subscription);
    }
}
