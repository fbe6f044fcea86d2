package io.weft.executor.nodes.core;

import static io.weft.executor.engine.TestPlans.plan;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.weft.contracts.events.ErrorKind;
import io.weft.contracts.json.WeftJson;
import io.weft.contracts.plan.ExecutionPlan;
import io.weft.contracts.plan.PlannedNode;
import io.weft.executor.engine.ExecutionOutcome;
import io.weft.executor.engine.Item;
import io.weft.executor.engine.NodeOutcome;
import io.weft.executor.engine.PlanRunner;
import io.weft.executor.engine.RunControl;
import io.weft.executor.engine.RunInput;
import io.weft.executor.engine.RunListener;
import io.weft.executor.engine.RunStopped;
import io.weft.executor.engine.TestPlans;
import io.weft.executor.expressions.ExpressionEvaluator;
import io.weft.executor.nodes.CoreNodeTypes;
import io.weft.executor.nodes.NodeCatalog;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WaitNodeTest {
    private static final PlanRunner RUNNER = new PlanRunner(new NodeCatalog(CoreNodeTypes.ALL), new ExpressionEvaluator());
    private static final Instant T0 = Instant.parse("2026-11-26T10:00:00Z");

    /** A clock the test moves. */
    private static final class MovableClock extends Clock {
        Instant now = T0;

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    private static TestPlans waitThenShape(String waitParameters) {
        return plan()
                .node("start", "trigger.manual", "{}")
                .node("wait", "core.wait", waitParameters)
                .node("shape", "core.set", "{\"fields\":[{\"name\":\"after\",\"value\":true}]}")
                .connect("start", "main", "wait", "main")
                .connect("wait", "main", "shape", "main");
    }

    private static RunInput input(Clock clock) {
        ObjectNode json = WeftJson.mapper().createObjectNode().put("order", 7);
        return new RunInput("t", "e", "w", null, List.of(Item.of(json)), WeftJson.mapper().createObjectNode(), clock);
    }

    @Test
    void aShortWaitHappensInPlace() {
        long started = System.nanoTime();
        ExecutionOutcome outcome = RUNNER.run(waitThenShape("{\"durationMs\":100}").build(), input(Clock.systemUTC()));

        assertThat(outcome.succeeded()).isTrue();
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(100));
        assertThat(outcome.node("shape").output().all().get(0).json().toString()).isEqualTo("{\"order\":7,\"after\":true}");
    }

    @Test
    void aLongWaitParksTheRunAndTheResumedRunGoesOnOnceTheTimeHasCome() {
        MovableClock clock = new MovableClock();
        ExecutionPlan plan = waitThenShape("{\"durationMs\":3600000}").build();
        Map<String, NodeOutcome> finished = new LinkedHashMap<>();
        RunListener recorder = new RunListener() {
            @Override
            public void nodeFinished(PlannedNode node, NodeOutcome outcome) {
                finished.put(node.id(), outcome);
            }

            @Override
            public void nodesWaiting(Map<PlannedNode, Instant> waits, PlannedNode first, boolean untilTime) {
                waits.forEach((node, resumeAt) -> finished.put(node.id(), NodeOutcome.waiting(node.id(), resumeAt)));
            }
        };

        RunStopped parked = catchThrowableOfType(RunStopped.class, () -> RUNNER.run(plan, input(clock), Map.of(), recorder, new RunControl()));
        assertThat(parked.stop()).isEqualTo(RunControl.Stop.WAIT);
        assertThat(parked.nextNodeId()).isEqualTo("wait");
        assertThat(parked.resumeAt()).isEqualTo(T0.plus(Duration.ofHours(1)));
        assertThat(parked.untilTime()).isFalse();

        clock.now = T0.plus(Duration.ofMinutes(30));
        RunStopped early = catchThrowableOfType(RunStopped.class, () -> RUNNER.run(plan, input(clock), finished, recorder, new RunControl()));
        assertThat(early.resumeAt()).as("the wait is not started over").isEqualTo(T0.plus(Duration.ofHours(1)));

        clock.now = T0.plus(Duration.ofHours(1));
        ExecutionOutcome outcome = RUNNER.run(plan, input(clock), finished, recorder, new RunControl());
        assertThat(outcome.succeeded()).isTrue();
        assertThat(outcome.node("wait").status()).isEqualTo(NodeOutcome.Status.SUCCEEDED);
        assertThat(outcome.node("shape").output().all().get(0).json().toString()).isEqualTo("{\"order\":7,\"after\":true}");
    }

    @Test
    void waitsUntilATime() {
        MovableClock clock = new MovableClock();
        RunStopped parked = catchThrowableOfType(RunStopped.class, () -> RUNNER.run(
                waitThenShape("{\"mode\":\"until\",\"until\":\"2026-11-27T09:00:00+01:00\"}").build(), input(clock), Map.of(),
                RunListener.NONE, new RunControl()));
        assertThat(parked.resumeAt()).isEqualTo(Instant.parse("2026-11-27T08:00:00Z"));
        assertThat(parked.untilTime()).isTrue();

        ExecutionOutcome past = RUNNER.run(waitThenShape("{\"mode\":\"until\",\"until\":\"2020-01-01T00:00:00Z\"}").build(), input(clock));
        assertThat(past.succeeded()).isTrue();
    }

    @Test
    void badTimesAndDurationsAreParameterErrors() {
        for (String parameters : List.of("{\"mode\":\"until\",\"until\":\"tomorrow\"}", "{\"durationMs\":-5}", "{\"durationMs\":\"soon\"}")) {
            ExecutionOutcome outcome = RUNNER.run(waitThenShape(parameters).build(), input(new MovableClock()));
            assertThat(outcome.succeeded()).as(parameters).isFalse();
            assertThat(outcome.node("wait").error().kind()).as(parameters).isEqualTo(ErrorKind.INVALID_PARAMETERS);
        }
    }
}
