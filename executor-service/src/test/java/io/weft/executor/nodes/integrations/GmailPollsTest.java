package io.weft.executor.nodes.integrations;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import io.weft.contracts.events.ErrorKind;
import io.weft.contracts.json.WeftJson;
import io.weft.executor.engine.Credentials;
import io.weft.executor.engine.NodeFailure;
import io.weft.executor.outbound.OutboundHttp;
import io.weft.platform.net.OutboundAddresses;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The Gmail Trigger's looks against a replica of the Gmail API v1 ({@code messages.list} pages, {@code messages.get}). */
class GmailPollsTest {
    private static final String TOKEN = "ya29.poll-test";
    private static final String API = "/gmail/v1/users/me/messages";
    private static final Instant NOW = Instant.parse("2026-12-08T10:00:00Z");
    private static WireMockServer gmail;

    private final List<String> resolutions = new CopyOnWriteArrayList<>();
    private final Credentials credentials = (tenant, id, execution, node) -> {
        resolutions.add(tenant + " " + id + " " + execution + " " + node);
        try {
            return new Credentials.Resolved("gmailOAuth2", WeftJson.mapper().readTree("{\"oauthTokenData\":{\"accessToken\":\"" + TOKEN + "\"}}"));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    };
    private final GmailPolls polls = new GmailPolls(URI.create("http://127.0.0.1:" + gmail.port()),
            new OutboundHttp(OutboundAddresses.publicOnly()), credentials, Clock.fixed(NOW, ZoneOffset.UTC));

    @BeforeAll
    static void start() {
        gmail = new WireMockServer(WireMockConfiguration.options().dynamicPort().bindAddress("127.0.0.1"));
        gmail.start();
    }

    @AfterAll
    static void stop() {
        gmail.stop();
    }

    @BeforeEach
    void reset() {
        gmail.resetAll();
    }

    private static void listed(String query, String... ids) {
        StringBuilder messages = new StringBuilder();
        for (String id : ids) {
            messages.append(messages.isEmpty() ? "" : ",").append("{\"id\":\"").append(id).append("\",\"threadId\":\"t-").append(id).append("\"}");
        }
        gmail.stubFor(get(urlPathEqualTo(API)).withQueryParam("q", equalTo(query)).withHeader("Authorization", equalTo("Bearer " + TOKEN))
                .willReturn(aResponse().withHeader("Content-Type", "application/json")
                        .withBody("{\"messages\":[" + messages + "],\"resultSizeEstimate\":" + ids.length + "}")));
        for (String id : ids) {
            String text = Base64.getUrlEncoder().encodeToString(("Body of " + id).getBytes(StandardCharsets.UTF_8));
            gmail.stubFor(get(urlPathEqualTo(API + "/" + id)).willReturn(aResponse().withHeader("Content-Type", "application/json").withBody("""
                    {"id":"%1$s","threadId":"t-%1$s","internalDate":"%2$d","labelIds":["INBOX"],"snippet":"Body of %1$s",
                     "payload":{"mimeType":"text/plain","headers":[{"name":"From","value":"billing@example.com"},{"name":"Subject","value":"Invoice %1$s"}],
                                "body":{"data":"%3$s"}}}""".formatted(id, NOW.minusSeconds(30).toEpochMilli(), text))));
        }
    }

    private static JsonNode json(String text) throws Exception {
        return WeftJson.mapper().readTree(text);
    }

    private GmailPolls.Look look(String parameters, JsonNode state) throws Exception {
        return polls.look("t1", "w1", "mail", json(parameters), "cred-1", state);
    }

    @Test
    void theFirstLookOnlyStartsTheClock() throws Exception {
        GmailPolls.Look first = look("{}", null);

        assertThat(first.messages()).isEmpty();
        assertThat(first.state().path("after").asLong()).isEqualTo(NOW.getEpochSecond());
        assertThat(gmail.getAllServeEvents()).isEmpty();
        assertThat(resolutions).as("no credential is resolved for it").isEmpty();
    }

    @Test
    void newMessagesComeOldestFirstAndNoMessageTwice() throws Exception {
        long before = NOW.getEpochSecond() - 600;
        listed("from:billing after:" + (before - GmailPolls.OVERLAP_SECONDS), "m3", "m2", "m1");
        GmailPolls.Look look = look("{\"query\":\"from:billing\"}", json("{\"after\":" + before + ",\"seen\":[]}"));

        assertThat(look.messages()).extracting(message -> message.path("id").asText()).containsExactly("m1", "m2", "m3");
        ObjectNode first = look.messages().get(0);
        assertThat(first.path("subject").asText()).isEqualTo("Invoice m1");
        assertThat(first.path("from").asText()).isEqualTo("billing@example.com");
        assertThat(first.path("text").asText()).isEqualTo("Body of m1");
        assertThat(first.path("internalDate").asText()).isEqualTo(NOW.minusSeconds(30).toString());
        assertThat(look.state().path("after").asLong()).isEqualTo(NOW.getEpochSecond());
        assertThat(look.state().path("seen").findValuesAsText("id")).containsExactlyInAnyOrder("m1", "m2", "m3");
        assertThat(resolutions).containsExactly("t1 cred-1 trigger-poll:w1 mail");

        gmail.resetAll();
        listed("from:billing after:" + (NOW.getEpochSecond() - GmailPolls.OVERLAP_SECONDS), "m4", "m3");
        GmailPolls.Look next = look("{\"query\":\"from:billing\"}", look.state());
        assertThat(next.messages()).extracting(message -> message.path("id").asText()).containsExactly("m4");
        gmail.verify(0, getRequestedFor(urlPathEqualTo(API + "/m3")));
    }

    @Test
    void aBurstIsTakenOldestFirstOverSeveralLooks() throws Exception {
        long before = NOW.getEpochSecond() - 60;
        listed("after:" + (before - GmailPolls.OVERLAP_SECONDS), "m3", "m2", "m1");
        GmailPolls.Look first = look("{\"maxMessagesPerPoll\":2,\"labelIds\":[\"INBOX\"],\"includeSpamTrash\":true}",
                json("{\"after\":" + before + ",\"seen\":[]}"));

        assertThat(first.messages()).extracting(message -> message.path("id").asText()).containsExactly("m1", "m2");
        assertThat(first.state().path("after").asLong()).as("the same window again, for m3").isEqualTo(before);
        gmail.verify(getRequestedFor(urlPathEqualTo(API)).withQueryParam("labelIds", equalTo("INBOX"))
                .withQueryParam("includeSpamTrash", equalTo("true")));

        GmailPolls.Look second = look("{\"maxMessagesPerPoll\":2}", first.state());
        assertThat(second.messages()).extracting(message -> message.path("id").asText()).containsExactly("m3");
        assertThat(second.state().path("after").asLong()).isEqualTo(NOW.getEpochSecond());
    }

    @Test
    void gmailsRefusalsAreTypedFailures() throws Exception {
        gmail.stubFor(get(urlPathEqualTo(API)).willReturn(aResponse().withStatus(429).withHeader("Retry-After", "30")
                .withHeader("Content-Type", "application/json").withBody("{\"error\":{\"code\":429,\"message\":\"Too many requests\"}}")));
        NodeFailure limited = catchThrowableOfType(NodeFailure.class, () -> look("{}", json("{\"after\":1,\"seen\":[]}")));
        assertThat(limited.kind()).isEqualTo(ErrorKind.RATE_LIMITED);

        NodeFailure unnamed = catchThrowableOfType(NodeFailure.class,
                () -> polls.look("t1", "w1", "mail", json("{}"), null, json("{\"after\":1,\"seen\":[]}")));
        assertThat(unnamed.kind()).isEqualTo(ErrorKind.CREDENTIALS);
    }
}
