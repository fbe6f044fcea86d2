package io.weft.executor.engine;

import static io.weft.executor.engine.PlanRunnerTest.CLOCK;
import static io.weft.executor.engine.TestPlans.plan;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.sun.net.httpserver.HttpServer;
import io.weft.contracts.json.WeftJson;
import io.weft.contracts.plan.PlannedNode;
import io.weft.executor.expressions.ExpressionEvaluator;
import io.weft.executor.nodes.CoreNodeTypes;
import io.weft.executor.nodes.NodeCatalog;
import io.weft.executor.nodes.NodeType;
import io.weft.executor.nodes.core.HttpRequestNode;
import io.weft.platform.net.OutboundAddresses;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Branches of a plan run at the same time: proved by a server that answers only when both calls are in. */
class ParallelBranchesTest {
    private static HttpServer server;
    private static String base;
    private static volatile CountDownLatch bothIn;
    private static final EndlessResponse endless = new EndlessResponse();
    private static PlanRunner runner;

    @BeforeAll
    static void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/together", exchange -> {
            bothIn.countDown();
            boolean together;
            try {
                together = bothIn.await(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                together = false;
            }
            byte[] body = ("{\"together\":" + together + "}").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(together ? 200 : 504, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.createContext("/quick", exchange -> {
            byte[] body = "{\"ok\":true}".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.createContext("/endless", endless);
        server.start();
        base = "http://127.0.0.1:" + server.getAddress().getPort();
        List<NodeType> types = new ArrayList<>(CoreNodeTypes.ALL.stream().filter(type -> !(type instanceof HttpRequestNode)).toList());
        types.add(new HttpRequestNode(new OutboundAddresses(List.of("127.0.0.1/32"))));
        runner = new PlanRunner(new NodeCatalog(types), new ExpressionEvaluator());
    }

    @AfterAll
    static void stop() {
        server.stop(0);
    }

    @BeforeEach
    void reset() {
        bothIn = new CountDownLatch(2);
        endless.reset();
    }

    private static RunInput input() {
        return new RunInput("t", "e", "w", null, List.of(Item.of(WeftJson.mapper().createObjectNode().put("id", 1))),
                WeftJson.mapper().createObjectNode(), CLOCK);
    }

    private static String call(String path) {
        return "{\"url\":\"" + base + path + "\",\"timeoutMs\":30000}";
    }

    @Test
    void twoBranchesCallAtTheSameTimeAndTheMergeWaitsForBoth() {
        ExecutionOutcome outcome = runner.run(plan()
                .node("start", "trigger.manual", "{}")
                .node("a", "core.httpRequest", call("/together"))
                .node("b", "core.httpRequest", call("/together"))
                .node("merge", "core.merge", "{}")
                .connect("start", "main", "a", "main")
                .connect("start", "main", "b", "main")
                .connect("a", "main", "merge", "input1")
                .connect("b", "main", "merge", "input2")
                .build(), input());

        assertThat(outcome.succeeded()).as("%s", outcome.node("a").error()).isTrue();
        assertThat(outcome.node("merge").output().all()).hasSize(2)
                .allSatisfy(item -> assertThat(item.json().path("body").path("together").asBoolean()).isTrue());
    }

    @Test
    void aFailureInOneBranchStopsTheOtherBranchesRunningNode() throws Exception {
        ExecutionOutcome outcome = runner.run(plan()
                .node("start", "trigger.manual", "{}")
                .node("slow", "core.httpRequest", call("/endless"))
                .node("stop", "core.stopAndError", "{\"message\":\"no stock\"}")
                .connect("start", "main", "slow", "main")
                .connect("start", "main", "stop", "main")
                .build(), input());

        assertThat(outcome.succeeded()).isFalse();
        assertThat(outcome.failedNode()).isEqualTo("stop");
        assertThat(outcome.node("slow").error().kind()).as("the other branch was stopped, not waited for")
                .isEqualTo(io.weft.contracts.events.ErrorKind.CANCELLED);
        if (endless.started()) {
            // the call may also have been stopped before it reached the server
            assertThat(endless.cutOffWithin(5)).as("the other branch's call was cut off").isTrue();
        }
    }

    @Test
    void aBranchThatWaitsLetsTheOtherFinishBeforeTheExecutionParks() {
        List<String> decided = Collections.synchronizedList(new ArrayList<>());
        RunListener listener = new RunListener() {
            @Override
            public void nodeFinished(PlannedNode node, NodeOutcome outcome) {
                decided.add(node.id());
            }

            @Override
            public void nodesWaiting(Map<PlannedNode, Instant> waits, PlannedNode first, boolean untilTime) {
                decided.add("parked:" + waits.keySet().stream().map(PlannedNode::id).toList());
            }
        };

        RunStopped parked = catchThrowableOfType(RunStopped.class, () -> runner.run(plan()
                .node("start", "trigger.manual", "{}")
                .node("later", "core.wait", "{\"durationMs\":3600000}")
                .node("now", "core.httpRequest", call("/quick"))
                .node("after", "core.set", "{\"fields\":[{\"name\":\"x\",\"value\":1}]}")
                .connect("start", "main", "later", "main")
                .connect("start", "main", "now", "main")
                .connect("now", "main", "after", "main")
                .build(), input(), Map.of(), listener, new RunControl()));

        assertThat(parked.stop()).isEqualTo(RunControl.Stop.WAIT);
        assertThat(parked.nextNodeId()).isEqualTo("later");
        assertThat(decided).containsExactly("start", "now", "after", "parked:[later]");
    }
}
