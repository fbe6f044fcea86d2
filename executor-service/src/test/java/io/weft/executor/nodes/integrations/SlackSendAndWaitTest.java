package io.weft.executor.nodes.integrations;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.weft.executor.engine.TestPlans.plan;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import io.weft.contracts.json.WeftJson;
import io.weft.contracts.plan.ExecutionPlan;
import io.weft.executor.engine.Credentials;
import io.weft.executor.engine.CheckpointingListener;
import io.weft.executor.engine.ExecutionOutcome;
import io.weft.executor.engine.Item;
import io.weft.executor.engine.NodeOutcome;
import io.weft.executor.engine.PlanRunner;
import io.weft.executor.engine.RunControl;
import io.weft.executor.engine.RunInput;
import io.weft.executor.engine.RunStopped;
import io.weft.executor.expressions.ExpressionEvaluator;
import io.weft.executor.nodes.CoreNodeTypes;
import io.weft.executor.nodes.NodeCatalog;
import io.weft.executor.nodes.NodeType;
import io.weft.executor.nodes.human.LinkedApprovals;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Slack's send and wait: a message with link buttons posted once, the run parked until the approval's outcome. */
class SlackSendAndWaitTest {
    private static final Instant T0 = Instant.parse("2026-12-08T09:00:00Z");
    private static WireMockServer slack;

    private final LinkedApprovals approvals = new LinkedApprovals(T0.plusSeconds(2700));

    private final CheckpointingListener journal = new CheckpointingListener();
    private final Map<String, NodeOutcome> finished = journal.finished;

    @BeforeAll
    static void start() {
        slack = new WireMockServer(WireMockConfiguration.options().dynamicPort().bindAddress("127.0.0.1"));
        slack.start();
        slack.stubFor(post(urlPathEqualTo("/api/chat.postMessage")).willReturn(aResponse().withHeader("Content-Type", "application/json")
                .withBody("{\"ok\":true,\"channel\":\"C1\",\"ts\":\"1700000000.000100\",\"message\":{\"text\":\"Publish?\"}}")));
    }

    @org.junit.jupiter.api.BeforeEach
    void forget() {
        slack.resetRequests();
    }

    @AfterAll
    static void stop() {
        slack.stop();
    }

    private PlanRunner runner() {
        List<NodeType> types = new ArrayList<>(CoreNodeTypes.ALL.stream().filter(type -> !(type instanceof SlackNode)).toList());
        types.add(new SlackNode(URI.create("http://127.0.0.1:" + slack.port() + "/api"), approvals));
        Credentials credentials = (tenant, id, execution, node) -> new Credentials.Resolved("slackApi",
                WeftJson.mapper().createObjectNode().put("botToken", "xoxb-test"));
        return new PlanRunner(new NodeCatalog(types), new ExpressionEvaluator(), null, null, credentials);
    }

    private static ExecutionPlan asking() {
        return plan().node("start", "trigger.manual", "{}")
                .node("ask", "integration.slack", "{\"operation\":\"sendAndWait\",\"channel\":\"C1\",\"text\":\"Publish post {{ $json.post }}?\","
                        + "\"approveLabel\":\"Publish\",\"timeoutMinutes\":30}")
                .connect("start", "main", "ask", "main").withCredential("ask", "slackApi", "cred-1").build();
    }

    private static RunInput input() {
        return new RunInput("t1", "e1", "w1", null, List.of(Item.of(WeftJson.mapper().createObjectNode().put("post", 12))),
                WeftJson.mapper().createObjectNode(), Clock.fixed(T0, ZoneOffset.UTC));
    }

    @Test
    void theMessageCarriesTheLinksIsPostedOnceAndTheRunGoesOnWithTheOutcome() throws Exception {
        RunStopped parked = catchThrowableOfType(RunStopped.class, () -> runner().run(asking(), input(), finished, journal, new RunControl()));
        assertThat(parked.resumeAt()).isEqualTo(T0.plusSeconds(30 * 60));
        assertThat(approvals.opened.get(0).path("links").asBoolean()).isTrue();
        assertThat(approvals.opened.get(0).path("message").asText()).isEqualTo("Publish post 12?");
        JsonNode posted = WeftJson.mapper().readTree(slack.findAll(postRequestedFor(urlPathEqualTo("/api/chat.postMessage"))).get(0).getBodyAsString());
        assertThat(posted.at("/blocks/0/text/text").asText()).isEqualTo("Publish post 12?");
        assertThat(posted.at("/blocks/1/elements/0/url").asText()).isEqualTo(LinkedApprovals.APPROVE);
        assertThat(posted.at("/blocks/1/elements/0/text/text").asText()).isEqualTo("Publish");
        assertThat(posted.at("/blocks/1/elements/1/url").asText()).isEqualTo(LinkedApprovals.REJECT);

        RunStopped again = catchThrowableOfType(RunStopped.class, () -> runner().run(asking(), input(), finished, journal, new RunControl()));
        assertThat(again).as("woken while pending, it waits on").isNotNull();
        approvals.outcome = "approved";
        ExecutionOutcome done = runner().run(asking(), input(), finished, journal, new RunControl());
        JsonNode item = done.node("ask").output().all().get(0).json();
        assertThat(item.path("approved").asBoolean()).isTrue();
        assertThat(item.path("status").asText()).isEqualTo("approved");
        assertThat(item.at("/approval/decisions/0/decidedBy").asText()).isEqualTo("link");
        assertThat(slack.findAll(postRequestedFor(urlPathEqualTo("/api/chat.postMessage")))).as("posted once").hasSize(1);
    }

    @Test
    void aTimeoutGoesOnNotApproved() {
        catchThrowableOfType(RunStopped.class, () -> runner().run(asking(), input(), finished, journal, new RunControl()));
        approvals.outcome = "timed_out";
        JsonNode item = runner().run(asking(), input(), finished, journal, new RunControl()).node("ask").output().all().get(0).json();
        assertThat(item.path("approved").asBoolean()).isFalse();
        assertThat(item.path("status").asText()).isEqualTo("timed_out");
    }
}
