package io.weft.executor.nodes.integrations;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.weft.executor.engine.TestPlans.plan;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import io.weft.contracts.events.ErrorKind;
import io.weft.contracts.json.WeftJson;
import io.weft.executor.engine.ExecutionOutcome;
import io.weft.executor.engine.Item;
import io.weft.executor.engine.NodeOutcome;
import io.weft.executor.engine.Payloads;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Gmail node against a replica of the Gmail API v1 (WireMock answering as Google's reference
 * says: {@code messages.list} pages, {@code messages.get} payloads with base64url bodies,
 * {@code messages.send} of a raw RFC 5322 message), through the plan runner.
 */
class GmailNodeTest {
    private static final String TOKEN = "ya29.gmail-test-" + java.util.UUID.randomUUID();
    private static final String API = "/gmail/v1/users/me/messages";
    private static final byte[] PDF = "%PDF-1.4 a small invoice".getBytes(StandardCharsets.US_ASCII);
    private static WireMockServer gmail;

    private final IntegrationRuns runs = new IntegrationRuns(new GmailNode(URI.create("http://127.0.0.1:" + gmail.port())), "gmail");
    private final Map<String, JsonNode> recorded = runs.recorded;

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

    private ExecutionOutcome run(String parameters, List<Item> items) {
        Payloads payloads = new Payloads() {
            @Override
            public String store(String tenantId, String executionId, byte[] bytes) {
                throw new UnsupportedOperationException();
            }

            @Override
            public Optional<byte[]> read(String tenantId, String id) {
                return id.equals("payload-1") ? Optional.of(PDF) : Optional.empty();
            }
        };
        return runs.run(parameters, null, items, "gmailOAuth2", IntegrationRuns.stored("gmailOAuth2",
                "{\"oauthTokenData\":{\"accessToken\":\"" + TOKEN + "\"}}"), payloads);
    }

    private ExecutionOutcome run(String parameters) {
        return run(parameters, List.of(Item.of(WeftJson.mapper().createObjectNode())));
    }

    private static List<JsonNode> output(ExecutionOutcome outcome) {
        NodeOutcome node = outcome.node("gmail");
        assertThat(outcome.succeeded()).as(String.valueOf(node.error())).isTrue();
        return node.output().port("main").stream().<JsonNode>map(Item::json).toList();
    }

    private static void json(com.github.tomakehurst.wiremock.client.MappingBuilder request, String body) {
        gmail.stubFor(request.willReturn(aResponse().withHeader("Content-Type", "application/json").withBody(body)));
    }

    private static void nothingSentBefore() {
        json(get(urlPathEqualTo(API)).withQueryParam("q", com.github.tomakehurst.wiremock.client.WireMock.matching("rfc822msgid:.*")),
                "{\"resultSizeEstimate\":0}");
    }

    /** The raw message the node sent, decoded. */
    private static String sentMessage() throws Exception {
        JsonNode body = WeftJson.mapper().readTree(gmail.findAll(postRequestedFor(urlPathEqualTo(API + "/send"))).get(0).getBodyAsString());
        return new String(Base64.getUrlDecoder().decode(body.path("raw").asText()), StandardCharsets.UTF_8);
    }

    private static String base64(String text) {
        return Base64.getMimeEncoder(76, "\r\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aMessageIsSentWithTextHtmlAndAnAttachmentFromTheItemsBinary() throws Exception {
        nothingSentBefore();
        json(post(urlPathEqualTo(API + "/send")), "{\"id\":\"18c1\",\"threadId\":\"18c1\",\"labelIds\":[\"SENT\"]}");
        Item withFile = new Item(WeftJson.mapper().createObjectNode().put("email", "ana@example.com"), Map.of("data", "payload-1"));

        JsonNode sent = output(run("{\"operation\":\"send\",\"to\":\"{{ $json.email }}\",\"subject\":\"Your invoice – März\","
                + "\"text\":\"Hello Ana\",\"html\":\"<p>Hello <b>Ana</b></p>\",\"attachments\":[{\"fileName\":\"invoice.pdf\","
                + "\"mimeType\":\"application/pdf\"}]}", List.of(withFile))).get(0);

        assertThat(sent.path("id").asText()).isEqualTo("18c1");
        assertThat(sent.path("messageId").asText()).matches("<weft\\.[0-9a-f]{32}@weft\\.local>");
        String raw = sentMessage();
        assertThat(raw).contains("To: ana@example.com\r\n", "Subject: =?UTF-8?B?", "Message-ID: " + sent.path("messageId").asText(),
                "Content-Type: multipart/mixed", "Content-Type: multipart/alternative", "Content-Type: text/plain; charset=UTF-8",
                "Content-Type: text/html; charset=UTF-8", base64("Hello Ana"), base64("<p>Hello <b>Ana</b></p>"),
                "Content-Disposition: attachment; filename=\"invoice.pdf\"", Base64.getEncoder().encodeToString(PDF));
        gmail.verify(postRequestedFor(urlPathEqualTo(API + "/send")).withHeader("Authorization", equalTo("Bearer " + TOKEN)));
        assertThat(sent.toString()).doesNotContain(TOKEN);
    }

    @Test
    void aMessageAnEarlierAttemptSentIsFoundByItsMessageIdAndNotSentAgain() {
        json(get(urlPathEqualTo(API)).withQueryParam("q", com.github.tomakehurst.wiremock.client.WireMock.matching("rfc822msgid:<weft\\..*")),
                "{\"messages\":[{\"id\":\"18c9\",\"threadId\":\"18c9\"}],\"resultSizeEstimate\":1}");

        JsonNode sent = output(run("{\"operation\":\"send\",\"to\":\"ana@example.com\",\"subject\":\"Hi\",\"text\":\"Hello\"}")).get(0);

        assertThat(sent.path("id").asText()).isEqualTo("18c9");
        assertThat(sent.path("sentBefore").asBoolean()).isTrue();
        gmail.verify(0, postRequestedFor(urlPathEqualTo(API + "/send")));
        gmail.verify(getRequestedFor(urlPathEqualTo(API)).withQueryParam("includeSpamTrash", equalTo("true")));

        gmail.resetRequests();
        output(run("{\"operation\":\"send\",\"to\":\"ana@example.com\",\"subject\":\"Hi\",\"text\":\"Hello\"}"));
        gmail.verify(0, getRequestedFor(urlPathEqualTo(API)));
        assertThat(recorded).as("the send is recorded; the next attempt does not even look").containsOnlyKeys("t1:e1:gmail/gmail:send:0");
    }

    @Test
    void aCredentialThatMaySendButNotReadSendsWithoutTheLookup() {
        gmail.stubFor(get(urlPathEqualTo(API)).willReturn(aResponse().withStatus(403).withHeader("Content-Type", "application/json")
                .withBody("{\"error\":{\"code\":403,\"message\":\"Request had insufficient authentication scopes.\",\"status\":\"PERMISSION_DENIED\"}}")));
        json(post(urlPathEqualTo(API + "/send")), "{\"id\":\"18e0\",\"threadId\":\"18e0\"}");

        assertThat(output(run("{\"operation\":\"send\",\"to\":\"ana@example.com\",\"subject\":\"Hi\",\"text\":\"Hello\"}")).get(0)
                .path("id").asText()).isEqualTo("18e0");
        gmail.verify(1, postRequestedFor(urlPathEqualTo(API + "/send")));
    }

    @Test
    void aReplyGoesInTheThreadWithItsReferences() throws Exception {
        nothingSentBefore();
        json(get(urlPathEqualTo(API + "/orig-1")), "{\"id\":\"orig-1\",\"threadId\":\"thread-7\",\"payload\":{\"headers\":["
                + "{\"name\":\"Subject\",\"value\":\"Invoice 42\"},{\"name\":\"From\",\"value\":\"Bo <bo@example.com>\"},"
                + "{\"name\":\"Message-ID\",\"value\":\"<abc@mail.example.com>\"}]}}");
        json(post(urlPathEqualTo(API + "/send")), "{\"id\":\"18d0\",\"threadId\":\"thread-7\"}");

        JsonNode replied = output(run("{\"operation\":\"reply\",\"messageId\":\"orig-1\",\"text\":\"Paid, thanks.\"}")).get(0);

        assertThat(replied.path("threadId").asText()).isEqualTo("thread-7");
        String raw = sentMessage();
        assertThat(raw).contains("To: Bo <bo@example.com>\r\n", "Subject: Re: Invoice 42\r\n", "In-Reply-To: <abc@mail.example.com>\r\n",
                "References: <abc@mail.example.com>\r\n");
        gmail.verify(postRequestedFor(urlPathEqualTo(API + "/send")).withRequestBody(
                com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath("$.threadId", equalTo("thread-7"))));
    }

    @Test
    void aSearchIsFollowedAcrossPagesAndEachMessageRead() {
        json(get(urlPathEqualTo(API)).withQueryParam("q", equalTo("from:billing@example.com is:unread"))
                .withQueryParam("pageToken", com.github.tomakehurst.wiremock.client.WireMock.absent()),
                "{\"messages\":[{\"id\":\"m1\",\"threadId\":\"t1\"},{\"id\":\"m2\",\"threadId\":\"t2\"}],\"nextPageToken\":\"p2\"}");
        json(get(urlPathEqualTo(API)).withQueryParam("pageToken", equalTo("p2")), "{\"messages\":[{\"id\":\"m3\",\"threadId\":\"t3\"}]}");
        for (String id : List.of("m1", "m2", "m3")) {
            String text = Base64.getUrlEncoder().encodeToString(("Body of " + id).getBytes(StandardCharsets.UTF_8));
            json(get(urlPathEqualTo(API + "/" + id)), "{\"id\":\"" + id + "\",\"threadId\":\"t\",\"labelIds\":[\"INBOX\",\"UNREAD\"],"
                    + "\"snippet\":\"Body of " + id + "\",\"payload\":{\"mimeType\":\"multipart/mixed\",\"headers\":["
                    + "{\"name\":\"From\",\"value\":\"billing@example.com\"},{\"name\":\"Subject\",\"value\":\"Invoice " + id + "\"}],"
                    + "\"parts\":[{\"mimeType\":\"text/plain\",\"filename\":\"\",\"body\":{\"size\":10,\"data\":\"" + text + "\"}},"
                    + "{\"mimeType\":\"application/pdf\",\"filename\":\"" + id + ".pdf\",\"body\":{\"size\":2048,\"attachmentId\":\"att-" + id + "\"}}]}}");
        }

        List<JsonNode> messages = output(run("{\"operation\":\"list\",\"query\":\"from:billing@example.com is:unread\"}"));

        assertThat(messages).extracting(message -> message.path("id").asText()).containsExactly("m1", "m2", "m3");
        assertThat(messages.get(2).path("text").asText()).isEqualTo("Body of m3");
        assertThat(messages.get(0).path("subject").asText()).isEqualTo("Invoice m1");
        assertThat(messages.get(0).path("attachments").get(0).path("fileName").asText()).isEqualTo("m1.pdf");

        assertThat(output(run("{\"operation\":\"list\",\"query\":\"from:billing@example.com is:unread\",\"limit\":1}"))).hasSize(1);
    }

    @Test
    void labelsAreAddedAndRemoved() {
        json(post(urlPathEqualTo(API + "/m1/modify")), "{\"id\":\"m1\",\"threadId\":\"t1\",\"labelIds\":[\"INBOX\"]}");
        assertThat(output(run("{\"operation\":\"removeLabels\",\"messageId\":\"m1\",\"labelIds\":[\"UNREAD\"]}")).get(0)
                .path("labelIds").toString()).isEqualTo("[\"INBOX\"]");
        gmail.verify(postRequestedFor(urlPathEqualTo(API + "/m1/modify")).withRequestBody(equalToJson("{\"removeLabelIds\":[\"UNREAD\"]}")));
    }

    @Test
    void injectedHeadersMissingPartsAndRefusalsAreClearFailures() {
        nothingSentBefore();
        NodeOutcome injected = run("{\"operation\":\"send\",\"to\":\"ana@example.com\",\"subject\":\"Hi\\r\\nBcc: eve@example.com\","
                + "\"text\":\"x\"}").node("gmail");
        assertThat(injected.error().kind()).isEqualTo(ErrorKind.INVALID_PARAMETERS);
        assertThat(injected.error().getMessage()).contains("Subject must be one line");
        gmail.resetRequests();
        assertThat(run("{\"operation\":\"send\",\"to\":\"ana@example.com\"}").node("gmail").error().getMessage()).contains("needs text or html");
        assertThat(run("{\"operation\":\"send\",\"text\":\"x\"}").node("gmail").error().getMessage()).contains("send needs to");
        assertThat(gmail.getAllServeEvents()).as("invalid parameters cost no call").isEmpty();
        assertThat(run("{\"operation\":\"send\",\"to\":\"ana@example.com\",\"text\":\"x\",\"attachments\":[{\"binaryProperty\":\"file\"}]}")
                .node("gmail").error().getMessage()).contains("no binary \"file\"");
        assertThat(run("{\"operation\":\"get\"}").node("gmail").error().getMessage()).contains("get needs messageId");
        gmail.verify(0, postRequestedFor(urlPathEqualTo(API + "/send")));

        gmail.stubFor(get(urlPathEqualTo(API + "/gone")).willReturn(aResponse().withStatus(404).withHeader("Content-Type", "application/json")
                .withBody("{\"error\":{\"code\":404,\"message\":\"Requested entity was not found.\",\"status\":\"NOT_FOUND\"}}")));
        assertThat(run("{\"operation\":\"get\",\"messageId\":\"gone\"}").node("gmail").error().kind()).isEqualTo(ErrorKind.NOT_FOUND);
        gmail.stubFor(get(urlPathEqualTo(API + "/m9")).willReturn(aResponse().withStatus(401).withHeader("Content-Type", "application/json")
                .withBody("{\"error\":{\"code\":401,\"message\":\"Request had invalid authentication credentials.\",\"status\":\"UNAUTHENTICATED\"}}")));
        NodeOutcome refused = run("{\"operation\":\"get\",\"messageId\":\"m9\"}").node("gmail");
        assertThat(refused.error().kind()).isEqualTo(ErrorKind.CREDENTIALS);
        assertThat(refused.error().getMessage()).doesNotContain(TOKEN);
    }
}
