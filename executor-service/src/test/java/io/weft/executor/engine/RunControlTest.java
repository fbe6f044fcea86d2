package io.weft.executor.engine;

import static io.weft.executor.engine.PlanRunnerTest.CLOCK;
import static io.weft.executor.engine.TestPlans.plan;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.weft.contracts.events.ErrorKind;
import io.weft.contracts.json.WeftJson;
import io.weft.contracts.nodes.NodeTypeDescriptor;
import io.weft.contracts.plan.ExecutionPlan;
import io.weft.contracts.plan.PlannedNode;
import io.weft.executor.expressions.ExpressionEvaluator;
import io.weft.executor.nodes.NodeCatalog;
import io.weft.executor.nodes.NodeType;
import io.weft.executor.nodes.core.ManualTrigger;
import io.weft.executor.nodes.core.NoOpNode;
import io.weft.executor.nodes.core.SetNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** Cancel and pause as the runner sees them: at node boundaries, in a running node, during a retry wait. */
class RunControlTest {
    private static final ScheduledExecutorService LATER = Executors.newSingleThreadScheduledExecutor();
    private static final CountDownLatch interrupted = new CountDownLatch(1);

    /** A blocking node (standing in for core.noOp) that sleeps for a minute, or fails retryably when asked. */
    private static final NodeType SLEEPY = new NodeType() {
        private final NodeTypeDescriptor descriptor = new NoOpNode().descriptor();

        @Override
        public NodeTypeDescriptor descriptor() {
            return descriptor;
        }

        @Override
        public boolean blocking() {
            return true;
        }

        @Override
        public NodeOutput run(NodeRun run) {
            if (run.node().parameters().path("fail").asBoolean()) {
                throw new NodeFailure(ErrorKind.CONNECTION, true, "down");
            }
            try {
                Thread.sleep(60_000);
            } catch (InterruptedException e) {
                interrupted.countDown();
                throw new NodeFailure(ErrorKind.CANCELLED, false, "interrupted");
            }
            return NodeOutput.main(run.items());
        }
    };

    private static final PlanRunner RUNNER = new PlanRunner(new NodeCatalog(List.of(new ManualTrigger(), SLEEPY, new SetNode())),
            new ExpressionEvaluator(), null, new Backoff(new Random(1)), Pause.SLEEP);

    @AfterAll
    static void stop() {
        LATER.shutdownNow();
    }

    private static RunInput input() {
        return new RunInput("t", "e", "w", null, List.of(), WeftJson.mapper().createObjectNode(), CLOCK);
    }

    private static TestPlans sleepyThenSet(String sleepyParameters) {
        return plan()
                .node("start", "trigger.manual", "{}")
                .node("sleepy", "core.noOp", sleepyParameters)
                .node("shape", "core.set", "{\"fields\":[{\"name\":\"done\",\"value\":true}]}")
                .connect("start", "main", "sleepy", "main")
                .connect("sleepy", "main", "shape", "main");
    }

    @Test
    void aCancelInterruptsTheRunningNodeAndStopsTheRun() throws Exception {
        RunControl control = new RunControl();
        LATER.schedule(() -> control.cancel("ada", "no longer needed"), 200, TimeUnit.MILLISECONDS);
        long started = System.nanoTime();

        RunStopped stopped = catchThrowableOfType(RunStopped.class,
                () -> RUNNER.run(sleepyThenSet("{}").build(), input(), Map.of(), RunListener.NONE, control));

        assertThat(stopped.stop()).isEqualTo(RunControl.Stop.CANCEL);
        assertThat(stopped.nextNodeId()).isEqualTo("sleepy");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(1));
        assertThat(interrupted.await(1, TimeUnit.SECONDS)).as("the node's thread was interrupted").isTrue();
        assertThat(control.cancelledBy()).isEqualTo("ada");
    }

    @Test
    void aCancelEndsAWaitBetweenRetries() {
        RunControl control = new RunControl();
        ExecutionPlan plan = sleepyThenSet("{\"fail\":true}").withPolicy("sleepy",
                "{\"maxAttempts\":5,\"backoff\":\"fixed\",\"initialIntervalMs\":60000,\"backoffCoefficient\":1.0,"
                        + "\"maxIntervalMs\":60000,\"jitter\":false,\"retryOn\":[]}").build();
        LATER.schedule(() -> control.cancel(), 300, TimeUnit.MILLISECONDS);
        long started = System.nanoTime();

        RunStopped stopped = catchThrowableOfType(RunStopped.class, () -> RUNNER.run(plan, input(), Map.of(), RunListener.NONE, control));

        assertThat(stopped.stop()).isEqualTo(RunControl.Stop.CANCEL);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(2));
        assertThat(Thread.currentThread().isInterrupted()).isFalse();
    }

    @Test
    void aPauseStopsBeforeTheNextNodeOnceTheListenerConfirmsItAndTheRunResumesFromThere() {
        ExecutionPlan plan = plan()
                .node("start", "trigger.manual", "{}")
                .node("first", "core.set", "{\"fields\":[{\"name\":\"a\",\"value\":1}]}")
                .node("second", "core.set", "{\"fields\":[{\"name\":\"b\",\"value\":2}]}")
                .connect("start", "main", "first", "main")
                .connect("first", "main", "second", "main")
                .build();
        Map<String, NodeOutcome> finished = new LinkedHashMap<>();
        List<String> asked = new ArrayList<>();
        RunListener listener = new RunListener() {
            @Override
            public boolean stopping(RunControl.Stop stop, PlannedNode next) {
                asked.add(next.id());
                return asked.size() >= 3;
            }

            @Override
            public void nodeFinished(PlannedNode node, NodeOutcome outcome) {
                finished.put(node.id(), outcome);
            }
        };
        RunControl control = new RunControl();
        control.pause();

        RunStopped stopped = catchThrowableOfType(RunStopped.class, () -> RUNNER.run(plan, input(), Map.of(), listener, control));

        assertThat(asked).as("not confirmed at first: asked again before each node").containsExactly("start", "first", "second");
        assertThat(stopped.stop()).isEqualTo(RunControl.Stop.PAUSE);
        assertThat(stopped.nextNodeId()).isEqualTo("second");
        assertThat(finished).containsOnlyKeys("start", "first");

        ExecutionOutcome resumed = RUNNER.run(plan, input(), finished, RunListener.NONE, new RunControl());
        assertThat(resumed.succeeded()).isTrue();
        assertThat(resumed.node("second").output().all().get(0).json().toString()).isEqualTo("{\"a\":1,\"b\":2}");
    }
}
