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

/** Gmail's send and wait: a mail with the approve and reject links sent once, the run parked until the approval's outcome. */
class GmailSendAndWaitTest {
    private static final String API = "/gmail/v1/users/me/messages";
    private static final Instant T0 = Instant.parse("2026-12-08T09:00:00Z");
    private static WireMockServer gmail;

    private final LinkedApprovals approvals = new LinkedApprovals(T0.plusSeconds(2700));

    private final CheckpointingListener journal = new CheckpointingListener();
    private final Map<String, NodeOutcome> finished = journal.finished;

    @BeforeAll
    static void start() {
        gmail = new WireMockServer(WireMockConfiguration.options().dynamicPort().bindAddress("127.0.0.1"));
        gmail.start();
        gmail.stubFor(com.github.tomakehurst.wiremock.client.WireMock.get(urlPathEqualTo(API)).willReturn(aResponse()
                .withHeader("Content-Type", "application/json").withBody("{\"resultSizeEstimate\":0}")));
        gmail.stubFor(post(urlPathEqualTo(API + "/send")).willReturn(aResponse().withHeader("Content-Type", "application/json")
                .withBody("{\"id\":\"m-1\",\"threadId\":\"t-1\",\"labelIds\":[\"SENT\"]}")));
    }

    @org.junit.jupiter.api.BeforeEach
    void forget() {
        gmail.resetRequests();
    }

    @AfterAll
    static void stop() {
        gmail.stop();
    }

    private PlanRunner runner() {
        List<NodeType> types = new ArrayList<>(CoreNodeTypes.ALL.stream().filter(type -> !(type instanceof GmailNode)).toList());
        types.add(new GmailNode(URI.create("http://127.0.0.1:" + gmail.port()), approvals));
        Credentials credentials = (tenant, id, execution, node) -> new Credentials.Resolved("gmailOAuth2",
                WeftJson.mapper().createObjectNode().set("oauthTokenData", WeftJson.mapper().createObjectNode().put("accessToken", "ya29.test")));
        return new PlanRunner(new NodeCatalog(types), new ExpressionEvaluator(), null, null, credentials);
    }

    private static ExecutionPlan asking() {
        return plan().node("start", "trigger.manual", "{}")
                .node("ask", "integration.gmail", "{\"operation\":\"sendAndWait\",\"to\":\"boss@example.com\",\"subject\":\"Publish?\","
                        + "\"text\":\"Publish post {{ $json.post }} <now>?\",\"approveLabel\":\"Publish\",\"timeoutMinutes\":30}")
                .connect("start", "main", "ask", "main").withCredential("ask", "gmailOAuth2", "cred-1").build();
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
        assertThat(approvals.opened.get(0).path("message").asText()).isEqualTo("Publish post 12 <now>?");
        String sent = new String(java.util.Base64.getUrlDecoder().decode(WeftJson.mapper().readTree(
                gmail.findAll(postRequestedFor(urlPathEqualTo(API + "/send"))).get(0).getBodyAsString()).path("raw").asText()),
                java.nio.charset.StandardCharsets.UTF_8);
        assertThat(sent).contains("To: boss@example.com").contains("Subject: Publish?");
        assertThat(decodedParts(sent)).contains("Publish post 12 &lt;now&gt;?")
                .contains("<a href=\"https://weft.example/approvals/respond/yes\">Publish</a>")
                .contains("<a href=\"https://weft.example/approvals/respond/no\">Reject</a>")
                .contains("Publish: https://weft.example/approvals/respond/yes");

        RunStopped again = catchThrowableOfType(RunStopped.class, () -> runner().run(asking(), input(), finished, journal, new RunControl()));
        assertThat(again).as("woken while pending, it waits on").isNotNull();
        approvals.outcome = "approved";
        ExecutionOutcome done = runner().run(asking(), input(), finished, journal, new RunControl());
        JsonNode item = done.node("ask").output().all().get(0).json();
        assertThat(item.path("approved").asBoolean()).isTrue();
        assertThat(item.path("status").asText()).isEqualTo("approved");
        assertThat(item.at("/approval/decisions/0/decidedBy").asText()).isEqualTo("link");
        assertThat(gmail.findAll(postRequestedFor(urlPathEqualTo(API + "/send")))).as("sent once").hasSize(1);
    }

    /** The message's parts as text: each base64 part decoded. */
    private static String decodedParts(String mime) {
        StringBuilder text = new StringBuilder(mime);
        java.util.regex.Matcher part = java.util.regex.Pattern.compile("Content-Transfer-Encoding: base64\r\n\r\n([A-Za-z0-9+/=\r\n]+?)\r\n(\r\n|--)")
                .matcher(mime);
        while (part.find()) {
            text.append('\n').append(new String(java.util.Base64.getMimeDecoder().decode(part.group(1)), java.nio.charset.StandardCharsets.UTF_8));
        }
        return text.toString();
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
