package io.weft.executor.nodes.integrations;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToIgnoreCase;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.weft.executor.engine.TestPlans.plan;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import io.weft.contracts.events.ErrorKind;
import io.weft.contracts.json.WeftJson;
import io.weft.executor.engine.Credentials;
import io.weft.executor.engine.ExecutionOutcome;
import io.weft.executor.engine.Item;
import io.weft.executor.engine.NodeOutcome;
import io.weft.executor.engine.Payloads;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Slack node against a replica of Slack's Web API (WireMock answering as Slack's documentation
 * says: {@code ok}/{@code error} bodies, cursors, 429 with {@code Retry-After}), through the plan runner.
 */
class SlackNodeTest {
    private static final String TOKEN = "xoxb-test-" + java.util.UUID.randomUUID();
    private static final String RETRIES = "{\"maxAttempts\":3,\"backoff\":\"fixed\",\"initialIntervalMs\":100,\"backoffCoefficient\":1.0,"
            + "\"maxIntervalMs\":1000,\"jitter\":false,\"retryOn\":[]}";
    private static WireMockServer slack;

    private final IntegrationRuns runs = new IntegrationRuns(new SlackNode(URI.create("http://127.0.0.1:" + slack.port() + "/api")), "slack");
    private final List<Duration> pauses = runs.pauses;
    private final Map<String, JsonNode> recorded = runs.recorded;
    /** Stands in for credentials-service when a test needs more than one resolution. */
    private Credentials credentialsService;

    @BeforeAll
    static void start() {
        slack = new WireMockServer(WireMockConfiguration.options().dynamicPort().bindAddress("127.0.0.1"));
        slack.start();
    }

    @AfterAll
    static void stop() {
        slack.stop();
    }

    @BeforeEach
    void reset() {
        slack.resetAll();
    }

    private static void answers(String method, String body) {
        slack.stubFor(post(urlEqualTo("/api/" + method)).willReturn(aResponse().withHeader("Content-Type", "application/json").withBody(body)));
    }

    private ExecutionOutcome run(String parameters, String policy, List<Item> items, String credentialType, String credentialData) {
        return runs.run(parameters, policy, items, credentialType,
                credentialsService != null ? credentialsService : IntegrationRuns.stored(credentialType, credentialData), Payloads.NONE);
    }

    private ExecutionOutcome run(String parameters) {
        return run(parameters, null, List.of(Item.of(WeftJson.mapper().createObjectNode().put("id", 1))), "slackApi",
                "{\"botToken\":\"" + TOKEN + "\"}");
    }

    private static List<JsonNode> output(ExecutionOutcome outcome) {
        NodeOutcome node = outcome.node("slack");
        assertThat(outcome.succeeded()).as(String.valueOf(node.error())).isTrue();
        return node.output().port("main").stream().<JsonNode>map(Item::json).toList();
    }

    @Test
    void aMessageIsPostedWithTheBotTokenAndThePostSaysWhereItIs() {
        answers("chat.postMessage", "{\"ok\":true,\"channel\":\"C024BE91L\",\"ts\":\"1503435956.000247\",\"message\":{\"type\":\"message\","
                + "\"text\":\"Deployed *v2*\",\"ts\":\"1503435956.000247\",\"thread_ts\":\"1503435900.000100\"}}");

        JsonNode posted = output(run("{\"operation\":\"postMessage\",\"channel\":\"C024BE91L\",\"text\":\"Deployed *v2*\","
                + "\"blocks\":[{\"type\":\"section\",\"text\":{\"type\":\"mrkdwn\",\"text\":\"Deployed *v2*\"}}],"
                + "\"threadTs\":\"1503435900.000100\"}")).get(0);

        assertThat(posted.path("channel").asText()).isEqualTo("C024BE91L");
        assertThat(posted.path("ts").asText()).isEqualTo("1503435956.000247");
        assertThat(posted.path("threadTs").asText()).isEqualTo("1503435900.000100");
        assertThat(posted.toString()).doesNotContain(TOKEN);
        slack.verify(postRequestedFor(urlEqualTo("/api/chat.postMessage"))
                .withHeader("Authorization", equalTo("Bearer " + TOKEN))
                .withHeader("Content-Type", equalToIgnoreCase("application/json; charset=utf-8"))
                .withRequestBody(matchingJsonPath("$.channel", equalTo("C024BE91L")))
                .withRequestBody(matchingJsonPath("$.text", equalTo("Deployed *v2*")))
                .withRequestBody(matchingJsonPath("$.blocks[0].text.text", equalTo("Deployed *v2*")))
                .withRequestBody(matchingJsonPath("$.thread_ts", equalTo("1503435900.000100")))
                .withRequestBody(matchingJsonPath("$.metadata.event_type", equalTo("weft_node_run")))
                .withRequestBody(matchingJsonPath("$.metadata.event_payload.idempotency_key", equalTo("t1:e1:slack:1:0"))));
    }

    @Test
    void aRetriedNodePostsNoMessageTwice() {
        // the first item's post succeeds; the second's fails once with Slack's trouble, then succeeds
        slack.stubFor(post(urlEqualTo("/api/chat.postMessage")).withRequestBody(matchingJsonPath("$.text", equalTo("one")))
                .willReturn(aResponse().withHeader("Content-Type", "application/json").withBody("{\"ok\":true,\"channel\":\"C1\",\"ts\":\"1.1\"}")));
        slack.stubFor(post(urlEqualTo("/api/chat.postMessage")).withRequestBody(matchingJsonPath("$.text", equalTo("two")))
                .inScenario("two").whenScenarioStateIs(Scenario.STARTED).willSetStateTo("recovered")
                .willReturn(aResponse().withHeader("Content-Type", "application/json").withBody("{\"ok\":false,\"error\":\"internal_error\"}")));
        slack.stubFor(post(urlEqualTo("/api/chat.postMessage")).withRequestBody(matchingJsonPath("$.text", equalTo("two")))
                .inScenario("two").whenScenarioStateIs("recovered")
                .willReturn(aResponse().withHeader("Content-Type", "application/json").withBody("{\"ok\":true,\"channel\":\"C1\",\"ts\":\"2.2\"}")));

        ExecutionOutcome outcome = run("{\"operation\":\"postMessage\",\"channel\":\"C1\",\"text\":\"{{ $json.text }}\"}", RETRIES,
                List.of(Item.of(WeftJson.mapper().createObjectNode().put("text", "one")),
                        Item.of(WeftJson.mapper().createObjectNode().put("text", "two"))), "slackApi", "{\"botToken\":\"" + TOKEN + "\"}");

        assertThat(output(outcome)).extracting(item -> item.path("ts").asText()).containsExactly("1.1", "2.2");
        slack.verify(1, postRequestedFor(urlEqualTo("/api/chat.postMessage")).withRequestBody(matchingJsonPath("$.text", equalTo("one"))));
        slack.verify(2, postRequestedFor(urlEqualTo("/api/chat.postMessage")).withRequestBody(matchingJsonPath("$.text", equalTo("two"))));
        assertThat(recorded).containsOnlyKeys("t1:e1:slack/slack:post:0", "t1:e1:slack/slack:post:1");
    }

    @Test
    void slacksRateLimitWaitsForItsRetryAfter() {
        slack.stubFor(post(urlEqualTo("/api/chat.postMessage")).inScenario("limited").whenScenarioStateIs(Scenario.STARTED)
                .willSetStateTo("free").willReturn(aResponse().withStatus(429).withHeader("Retry-After", "7")
                        .withHeader("Content-Type", "application/json").withBody("{\"ok\":false,\"error\":\"ratelimited\"}")));
        slack.stubFor(post(urlEqualTo("/api/chat.postMessage")).inScenario("limited").whenScenarioStateIs("free")
                .willReturn(aResponse().withHeader("Content-Type", "application/json").withBody("{\"ok\":true,\"channel\":\"C1\",\"ts\":\"3.3\"}")));

        ExecutionOutcome outcome = run("{\"channel\":\"C1\",\"text\":\"hello\"}", RETRIES,
                List.of(Item.of(WeftJson.mapper().createObjectNode())), "slackApi", "{\"botToken\":\"" + TOKEN + "\"}");

        assertThat(output(outcome).get(0).path("ts").asText()).isEqualTo("3.3");
        assertThat(pauses).as("the policy says 100 ms; Slack asked for 7 s").containsExactly(Duration.ofSeconds(7));
    }

    @Test
    void channelsAreListedAcrossEveryPageUpToTheLimit() {
        for (int page = 0; page < 3; page++) {
            StringBuilder channels = new StringBuilder();
            for (int i = 0; i < 2; i++) {
                int n = page * 2 + i;
                channels.append(i == 0 ? "" : ",").append("{\"id\":\"C").append(n).append("\",\"name\":\"team-").append(n)
                        .append("\",\"is_private\":false,\"is_archived\":false,\"num_members\":").append(n + 3)
                        .append(",\"topic\":{\"value\":\"topic ").append(n).append("\"},\"purpose\":{\"value\":\"\"}}");
            }
            String next = page < 2 ? "page-" + (page + 1) : "";
            var request = get(urlPathEqualTo("/api/conversations.list"));
            request = page == 0 ? request.withQueryParam("cursor", com.github.tomakehurst.wiremock.client.WireMock.absent())
                    : request.withQueryParam("cursor", equalTo("page-" + page));
            slack.stubFor(request.willReturn(aResponse().withHeader("Content-Type", "application/json").withBody("{\"ok\":true,\"channels\":["
                    + channels + "],\"response_metadata\":{\"next_cursor\":\"" + next + "\"}}")));
        }

        List<JsonNode> all = output(run("{\"operation\":\"listChannels\",\"channelTypes\":\"public_channel,private_channel\"}"));
        assertThat(all).extracting(channel -> channel.path("name").asText())
                .containsExactly("team-0", "team-1", "team-2", "team-3", "team-4", "team-5");
        assertThat(all.get(5).path("members").asInt()).isEqualTo(8);
        assertThat(all.get(2).path("topic").asText()).isEqualTo("topic 2");
        slack.verify(getRequestedFor(urlPathEqualTo("/api/conversations.list")).withQueryParam("types", equalTo("public_channel,private_channel"))
                .withQueryParam("exclude_archived", equalTo("true")).withHeader("Authorization", equalTo("Bearer " + TOKEN)));

        slack.resetRequests();
        assertThat(output(run("{\"operation\":\"listChannels\",\"limit\":3}"))).hasSize(3);
        slack.verify(2, getRequestedFor(urlPathEqualTo("/api/conversations.list")));
        slack.verify(getRequestedFor(urlPathEqualTo("/api/conversations.list")).withQueryParam("limit", equalTo("1")));
    }

    @Test
    void aUserIsFoundByEmailAndAMissingOneIsNotFound() {
        slack.stubFor(get(urlPathEqualTo("/api/users.lookupByEmail")).withQueryParam("email", equalTo("ana@example.com"))
                .willReturn(aResponse().withHeader("Content-Type", "application/json").withBody("{\"ok\":true,\"user\":{\"id\":\"U123\","
                        + "\"name\":\"ana\",\"tz\":\"Europe/Lisbon\",\"is_bot\":false,\"profile\":{\"real_name\":\"Ana Lima\","
                        + "\"display_name\":\"ana\",\"email\":\"ana@example.com\"}}}")));
        slack.stubFor(get(urlPathEqualTo("/api/users.lookupByEmail")).withQueryParam("email", equalTo("nobody@example.com"))
                .willReturn(aResponse().withHeader("Content-Type", "application/json").withBody("{\"ok\":false,\"error\":\"users_not_found\"}")));

        JsonNode ana = output(run("{\"operation\":\"lookupUserByEmail\",\"email\":\"ana@example.com\"}")).get(0);
        assertThat(ana.path("id").asText()).isEqualTo("U123");
        assertThat(ana.path("realName").asText()).isEqualTo("Ana Lima");
        assertThat(ana.path("timeZone").asText()).isEqualTo("Europe/Lisbon");

        NodeOutcome nobody = run("{\"operation\":\"lookupUserByEmail\",\"email\":\"nobody@example.com\"}", RETRIES,
                List.of(Item.of(WeftJson.mapper().createObjectNode())), "slackApi", "{\"botToken\":\"" + TOKEN + "\"}").node("slack");
        assertThat(nobody.error().kind()).isEqualTo(ErrorKind.NOT_FOUND);
        assertThat(nobody.error().getMessage()).contains("users_not_found");
        slack.verify(1, getRequestedFor(urlPathEqualTo("/api/users.lookupByEmail")).withQueryParam("email", equalTo("nobody@example.com")));
    }

    @Test
    void updatesAndDeletesGoToTheirMethods() {
        answers("chat.update", "{\"ok\":true,\"channel\":\"C1\",\"ts\":\"1.1\",\"text\":\"edited\",\"message\":{\"text\":\"edited\"}}");
        answers("chat.delete", "{\"ok\":true,\"channel\":\"C1\",\"ts\":\"1.1\"}");

        assertThat(output(run("{\"operation\":\"updateMessage\",\"channel\":\"C1\",\"ts\":\"1.1\",\"text\":\"edited\"}")).get(0)
                .path("message").path("text").asText()).isEqualTo("edited");
        slack.verify(postRequestedFor(urlEqualTo("/api/chat.update")).withRequestBody(equalToJson("{\"channel\":\"C1\",\"ts\":\"1.1\",\"text\":\"edited\"}")));
        assertThat(output(run("{\"operation\":\"deleteMessage\",\"channel\":\"C1\",\"ts\":\"1.1\"}")).get(0).path("deleted").asBoolean()).isTrue();
        slack.verify(postRequestedFor(urlEqualTo("/api/chat.delete")).withRequestBody(equalToJson("{\"channel\":\"C1\",\"ts\":\"1.1\"}")));
    }

    @Test
    void refusalsAreTypedAndNeverQuoteTheToken() {
        answers("chat.postMessage", "{\"ok\":false,\"error\":\"missing_scope\",\"needed\":\"chat:write\",\"provided\":\"channels:read\"}");
        NodeOutcome scope = run("{\"channel\":\"C1\",\"text\":\"hi\"}", RETRIES, List.of(Item.of(WeftJson.mapper().createObjectNode())),
                "slackApi", "{\"botToken\":\"" + TOKEN + "\"}").node("slack");
        assertThat(scope.error().kind()).isEqualTo(ErrorKind.CREDENTIALS);
        assertThat(scope.error().getMessage()).contains("chat:write").doesNotContain(TOKEN);
        slack.verify(1, postRequestedFor(urlEqualTo("/api/chat.postMessage")));

        answers("chat.postMessage", "{\"ok\":false,\"error\":\"not_in_channel\"}");
        NodeOutcome outside = run("{\"channel\":\"C1\",\"text\":\"hi\"}").node("slack");
        assertThat(outside.error().kind()).isEqualTo(ErrorKind.INVALID_PARAMETERS);
        assertThat(outside.error().getMessage()).contains("invite the app");

        slack.stubFor(post(urlEqualTo("/api/chat.postMessage")).willReturn(aResponse().withStatus(502).withBody("<html>bad gateway</html>")));
        assertThat(run("{\"channel\":\"C1\",\"text\":\"hi\"}").node("slack").error().kind()).isEqualTo(ErrorKind.HTTP_SERVER_ERROR);
        answers("chat.postMessage", "<html>a proxy's page</html>");
        assertThat(run("{\"channel\":\"C1\",\"text\":\"hi\"}").node("slack").error().getMessage()).contains("not JSON");
    }

    @Test
    void missingParametersAndCredentialsAreClearFailuresWithoutACall() {
        assertThat(run("{\"operation\":\"postMessage\",\"text\":\"hi\"}").node("slack").error().getMessage()).contains("postMessage needs channel");
        assertThat(run("{\"operation\":\"postMessage\",\"channel\":\"C1\"}").node("slack").error().getMessage()).contains("needs text or blocks");
        assertThat(run("{\"operation\":\"deleteMessage\",\"channel\":\"C1\"}").node("slack").error().getMessage()).contains("needs ts");
        assertThat(run("{\"operation\":\"shout\",\"channel\":\"C1\"}").node("slack").error().kind()).isEqualTo(ErrorKind.INVALID_PARAMETERS);
        NodeOutcome unconnected = run("{\"channel\":\"C1\",\"text\":\"hi\"}", null, List.of(Item.of(WeftJson.mapper().createObjectNode())),
                "slackOAuth2Api", "{\"clientId\":\"id\"}").node("slack");
        assertThat(unconnected.error().kind()).isEqualTo(ErrorKind.CREDENTIALS);
        assertThat(unconnected.error().getMessage()).contains("connect it first");
        assertThat(slack.getAllServeEvents()).isEmpty();
    }

    @Test
    void anExpiredOAuth2TokenIsRefreshedOnceAndTheCallMadeAgain() {
        slack.stubFor(post(urlEqualTo("/api/chat.postMessage")).withHeader("Authorization", equalTo("Bearer xoxe-old"))
                .willReturn(aResponse().withHeader("Content-Type", "application/json").withBody("{\"ok\":false,\"error\":\"token_expired\"}")));
        slack.stubFor(post(urlEqualTo("/api/chat.postMessage")).withHeader("Authorization", equalTo("Bearer xoxe-new"))
                .willReturn(aResponse().withHeader("Content-Type", "application/json").withBody("{\"ok\":true,\"channel\":\"C1\",\"ts\":\"5.5\"}")));
        List<String> refused = new CopyOnWriteArrayList<>();
        credentialsService = new Credentials() {
            @Override
            public Resolved resolve(String tenantId, String credentialId, String executionId, String nodeId) {
                return oauth("xoxe-old");
            }

            @Override
            public Resolved afterRefusal(String tenantId, String credentialId, String executionId, String nodeId, String refusedToken) {
                refused.add(refusedToken);
                return oauth("xoxe-new");
            }

            private Resolved oauth(String token) {
                return new Resolved("slackOAuth2Api", WeftJson.mapper().createObjectNode()
                        .set("oauthTokenData", WeftJson.mapper().createObjectNode().put("accessToken", token)));
            }
        };

        assertThat(output(run("{\"channel\":\"C1\",\"text\":\"hi\"}", null, List.of(Item.of(WeftJson.mapper().createObjectNode())),
                "slackOAuth2Api", "{}")).get(0).path("ts").asText()).isEqualTo("5.5");
        assertThat(refused).containsExactly("xoxe-old");

        refused.clear();
        answers("chat.postMessage", "{\"ok\":false,\"error\":\"invalid_auth\"}");
        credentialsService = null;
        run("{\"channel\":\"C1\",\"text\":\"hi\"}");
        assertThat(refused).as("a bot token is not refreshed").isEmpty();
    }

    @Test
    void anOAuth2CredentialSendsItsAccessToken() {
        answers("chat.postMessage", "{\"ok\":true,\"channel\":\"C1\",\"ts\":\"4.4\"}");
        output(run("{\"channel\":\"C1\",\"text\":\"hi\"}", null, List.of(Item.of(WeftJson.mapper().createObjectNode())), "slackOAuth2Api",
                "{\"clientId\":\"id\",\"oauthTokenData\":{\"accessToken\":\"xoxe-oauth-token\"}}"));
        slack.verify(postRequestedFor(urlEqualTo("/api/chat.postMessage")).withHeader("Authorization", equalTo("Bearer xoxe-oauth-token")));
    }
}
