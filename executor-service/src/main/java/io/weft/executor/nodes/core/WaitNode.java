package io.weft.executor.nodes.core;

import com.fasterxml.jackson.databind.JsonNode;
import io.weft.contracts.events.ErrorKind;
import io.weft.executor.engine.NodeFailure;
import io.weft.executor.engine.NodeOutput;
import io.weft.executor.engine.NodeRun;
import io.weft.executor.engine.WaitRequested;
import io.weft.executor.nodes.DescribedNodeType;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

/**
 * Passes its items on after a while ({@code durationMs}) or at a time ({@code until}). Short
 * waits happen in place; longer ones park the execution, which then holds no executor: it is
 * checkpointed and taken again by any executor when the time comes.
 */
@ApplicationScoped
public class WaitNode extends DescribedNodeType {
    /** Waits up to this long are slept through; longer ones release the executor. */
    static final Duration IN_PLACE = Duration.ofSeconds(2);

    public WaitNode() {
        super("core.wait", 1);
    }

    @Override
    public boolean blocking() {
        return true;
    }

    @Override
    public NodeOutput run(NodeRun run) {
        Instant now = run.clock().instant();
        Instant due = run.parkedUntil().orElseGet(() -> due(run, now));
        Duration left = Duration.between(now, due);
        if (left.isNegative() || left.isZero()) {
            return NodeOutput.main(run.items());
        }
        if (left.compareTo(IN_PLACE) > 0) {
            throw new WaitRequested(due, "until".equals(run.node().parameters().path("mode").asText()));
        }
        try {
            Thread.sleep(left);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new NodeFailure(ErrorKind.CANCELLED, false, "node \"" + run.node().name() + "\" was stopped while waiting");
        }
        return NodeOutput.main(run.items());
    }

    private static Instant due(NodeRun run, Instant now) {
        JsonNode parameters = run.parameters();
        if ("until".equals(parameters.path("mode").asText("duration"))) {
            String until = parameters.path("until").asText("");
            try {
                return OffsetDateTime.parse(until).toInstant();
            } catch (DateTimeParseException e) {
                throw new NodeFailure(ErrorKind.INVALID_PARAMETERS, false, "node \"" + run.node().name()
                        + "\": until must be an ISO-8601 time with an offset, such as 2026-12-01T09:00:00+01:00");
            }
        }
        JsonNode duration = parameters.path("durationMs");
        long millis = duration.isMissingNode() || duration.isNull() ? 1000 : duration.asLong(-1);
        if (millis < 0 || !(duration.isMissingNode() || duration.isNull() || duration.isIntegralNumber()
                || duration.isTextual() && duration.asText().strip().matches("\\d{1,12}"))) {
            throw new NodeFailure(ErrorKind.INVALID_PARAMETERS, false, "node \"" + run.node().name()
                    + "\": durationMs must be a whole number of milliseconds, 0 or more");
        }
        return now.plusMillis(millis);
    }
}
