package io.weft.executor.nodes.core;

import io.weft.contracts.events.ErrorKind;
import io.weft.executor.engine.NodeFailure;
import io.weft.executor.engine.NodeOutput;
import io.weft.executor.engine.NodeRun;
import io.weft.executor.engine.WaitRequested;
import io.weft.executor.nodes.TypedNodeType;
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
public class WaitNode extends TypedNodeType<WaitNode.Parameters> {
    /** Waits up to this long are slept through; longer ones release the executor. */
    static final Duration IN_PLACE = Duration.ofSeconds(2);

    /**
     * @param mode       {@code duration} or {@code until}
     * @param durationMs with mode duration: how long to wait
     * @param until      with mode until: an ISO-8601 time with an offset
     */
    public record Parameters(String mode, long durationMs, String until) {
    }

    public WaitNode() {
        super("core.wait", 1, Parameters.class);
    }

    @Override
    public boolean blocking() {
        return true;
    }

    @Override
    public NodeOutput run(NodeRun run) {
        Instant now = run.clock().instant();
        Parameters parameters = parameters(run);
        Instant due = run.parkedUntil().orElseGet(() -> due(run, parameters, now));
        Duration left = Duration.between(now, due);
        if (left.isNegative() || left.isZero()) {
            return NodeOutput.main(run.items());
        }
        if (left.compareTo(IN_PLACE) > 0) {
            throw new WaitRequested(due, "until".equals(parameters.mode()));
        }
        try {
            Thread.sleep(left);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new NodeFailure(ErrorKind.CANCELLED, false, "node \"" + run.node().name() + "\" was stopped while waiting");
        }
        return NodeOutput.main(run.items());
    }

    private static Instant due(NodeRun run, Parameters parameters, Instant now) {
        if ("until".equals(parameters.mode())) {
            try {
                return OffsetDateTime.parse(parameters.until() == null ? "" : parameters.until()).toInstant();
            } catch (DateTimeParseException e) {
                throw new NodeFailure(ErrorKind.INVALID_PARAMETERS, false, "node \"" + run.node().name()
                        + "\": until must be an ISO-8601 time with an offset, such as 2026-12-01T09:00:00+01:00");
            }
        }
        if (parameters.durationMs() < 0) {
            throw new NodeFailure(ErrorKind.INVALID_PARAMETERS, false, "node \"" + run.node().name()
                    + "\": durationMs must be a whole number of milliseconds, 0 or more");
        }
        return now.plusMillis(parameters.durationMs());
    }
}
