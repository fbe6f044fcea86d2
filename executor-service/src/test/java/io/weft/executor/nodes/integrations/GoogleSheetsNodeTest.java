package io.weft.executor.nodes.integrations;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.weft.executor.engine.TestPlans.plan;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.weft.contracts.events.ErrorKind;
import io.weft.contracts.json.WeftJson;
import io.weft.executor.engine.Credentials;
import io.weft.executor.engine.ExecutionOutcome;
import io.weft.executor.engine.Item;
import io.weft.executor.engine.NodeOutcome;
import io.weft.executor.engine.Payloads;
import io.weft.platform.net.OutboundAddresses;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Google Sheets node against a replica of the Sheets API v4 (WireMock answering as Google's
 * reference says: {@code values} of rows, {@code updates} of an append, {@code error} objects) and
 * of Google's token endpoint for service accounts, through the plan runner.
 */
class GoogleSheetsNodeTest {
    private static final String TOKEN = "ya29.sheets-test-" + java.util.UUID.randomUUID();
    private static final String OAUTH = "{\"clientId\":\"id\",\"oauthTokenData\":{\"accessToken\":\"" + TOKEN + "\"}}";
    private static final String VALUES = "/v4/spreadsheets/sheet-1/values/";
    private static WireMockServer google;

    private final IntegrationRuns runs = new IntegrationRuns(new GoogleSheetsNode(URI.create("http://127.0.0.1:" + google.port()),
            new OutboundAddresses(List.of("127.0.0.1/32"))), "sheets");
    private final List<Duration> pauses = runs.pauses;
    private final Map<String, JsonNode> recorded = runs.recorded;
    /** Stands in for credentials-service when a test needs more than one resolution. */
    private Credentials credentialsService;

    @BeforeAll
    static void start() {
        google = new WireMockServer(WireMockConfiguration.options().dynamicPort().bindAddress("127.0.0.1"));
        google.start();
    }

    @AfterAll
    static void stop() {
        google.stop();
    }

    @BeforeEach
    void reset() {
        google.resetAll();
    }

    private static void values(String range, String rows) {
        google.stubFor(get(urlPathEqualTo(VALUES + GoogleApi.encoded(range))).willReturn(aResponse().withHeader("Content-Type", "application/json")
                .withBody("{\"range\":\"" + range + "\",\"majorDimension\":\"ROWS\"" + (rows == null ? "" : ",\"values\":" + rows) + "}")));
    }

    private static void answers(String path, int status, String body) {
        google.stubFor(post(urlPathEqualTo(path)).willReturn(aResponse().withStatus(status).withHeader("Content-Type", "application/json")
                .withBody(body)));
    }

    private ExecutionOutcome run(String parameters, List<Item> items, String credentialType, String credentialData, String policy) {
        return runs.run(parameters, policy, items, credentialType,
                credentialsService != null ? credentialsService : IntegrationRuns.stored(credentialType, credentialData), Payloads.NONE);
    }

    private ExecutionOutcome run(String parameters, List<Item> items) {
        return run(parameters, items, "googleSheetsOAuth2Api", OAUTH, null);
    }

    private ExecutionOutcome run(String parameters) {
        return run(parameters, List.of(Item.of(WeftJson.mapper().createObjectNode())));
    }

    private static Item item(String json) {
        try {
            return Item.of((com.fasterxml.jackson.databind.node.ObjectNode) WeftJson.mapper().readTree(json));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<JsonNode> output(ExecutionOutcome outcome) {
        NodeOutcome node = outcome.node("sheets");
        assertThat(outcome.succeeded()).as(String.valueOf(node.error())).isTrue();
        return node.output().port("main").stream().<JsonNode>map(Item::json).toList();
    }

    private static JsonNode body(LoggedRequest request) {
        try {
            return WeftJson.mapper().readTree(request.getBodyAsString());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aSheetIsReadAsOneItemPerRowUnderItsHeader() {
        values("Orders", "[[\"Order\",\"Customer\",\"Total\"],[\"A-1\",\"Ana\",12.5],[\"A-2\",\"Bo\"],[\"A-3\",\"Cy\",7]]");

        List<JsonNode> rows = output(run("{\"operation\":\"read\",\"spreadsheetId\":\"sheet-1\",\"sheet\":\"Orders\"}"));

        assertThat(rows).hasSize(3);
        assertThat(rows.get(0).toString()).isEqualTo("{\"Order\":\"A-1\",\"Customer\":\"Ana\",\"Total\":12.5,\"rowNumber\":2}");
        assertThat(rows.get(1).path("Total").asText()).as("a short row's missing cells are empty").isEmpty();
        assertThat(rows.get(2).path("rowNumber").asInt()).isEqualTo(4);
        google.verify(com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor(urlPathEqualTo(VALUES + "Orders"))
                .withHeader("Authorization", equalTo("Bearer " + TOKEN)).withQueryParam("valueRenderOption", equalTo("UNFORMATTED_VALUE")));

        values("Orders!B3:C9", "[[\"Customer\",\"Total\"],[\"Bo\",\"\"],[\"Cy\",7]]");
        List<JsonNode> part = output(run("{\"operation\":\"read\",\"spreadsheetId\":\"sheet-1\",\"sheet\":\"Orders\",\"range\":\"B3:C9\","
                + "\"limit\":1}"));
        assertThat(part).hasSize(1);
        assertThat(part.get(0).path("rowNumber").asInt()).as("the range's header is row 3").isEqualTo(4);
    }

    @Test
    void itemsAreAppendedInTheHeadersOrderOnceEvenWhenTheNodeIsRetried() {
        values("Orders!1:1", "[[\"Order\",\"Customer\",\"Total\"]]");
        answers(VALUES + "Orders:append", 200, "{\"spreadsheetId\":\"sheet-1\",\"tableRange\":\"Orders!A1:C4\",\"updates\":"
                + "{\"updatedRange\":\"Orders!A5:C6\",\"updatedRows\":2,\"updatedColumns\":3,\"updatedCells\":6}}");
        List<Item> items = List.of(item("{\"Total\":30,\"Order\":\"A-5\",\"Customer\":\"Di\",\"ignored\":true}"),
                item("{\"Order\":\"A-6\",\"Customer\":{\"name\":\"Ed\"}}"));

        JsonNode appended = output(run("{\"operation\":\"append\",\"spreadsheetId\":\"sheet-1\",\"sheet\":\"Orders\"}", items)).get(0);
        assertThat(appended.path("updatedRange").asText()).isEqualTo("Orders!A5:C6");
        assertThat(appended.path("rows").asInt()).isEqualTo(2);
        LoggedRequest append = google.findAll(postRequestedFor(urlPathEqualTo(VALUES + "Orders:append"))).get(0);
        assertThat(body(append).path("values").toString()).isEqualTo("[[\"A-5\",\"Di\",30],[\"A-6\",\"{\\\"name\\\":\\\"Ed\\\"}\",\"\"]]");
        assertThat(append.queryParameter("valueInputOption").firstValue()).isEqualTo("USER_ENTERED");
        assertThat(append.queryParameter("insertDataOption").firstValue()).isEqualTo("INSERT_ROWS");

        run("{\"operation\":\"append\",\"spreadsheetId\":\"sheet-1\",\"sheet\":\"Orders\"}", items);
        google.verify(1, postRequestedFor(urlPathEqualTo(VALUES + "Orders:append")));
        assertThat(recorded).containsOnlyKeys("t1:e1:sheets/sheets:append");
    }

    @Test
    void aSheetWithoutAHeaderGetsOneFromTheItemsAndColumnsCanBeExpressions() {
        values("New!1:1", null);
        answers(VALUES + "New:append", 200, "{\"updates\":{\"updatedRange\":\"New!A1:B3\",\"updatedCells\":6}}");

        output(run("{\"operation\":\"append\",\"spreadsheetId\":\"sheet-1\",\"sheet\":\"New\",\"valueInputOption\":\"RAW\","
                + "\"columns\":{\"Email\":\"{{ $json.email }}\",\"Seen\":\"{{ $json.seen }}\"}}",
                List.of(item("{\"email\":\"ana@example.com\",\"seen\":1}"), item("{\"email\":\"bo@example.com\",\"seen\":2}"))));

        LoggedRequest append = google.findAll(postRequestedFor(urlPathEqualTo(VALUES + "New:append"))).get(0);
        assertThat(body(append).path("values").toString())
                .isEqualTo("[[\"Email\",\"Seen\"],[\"ana@example.com\",1],[\"bo@example.com\",2]]");
        assertThat(append.queryParameter("valueInputOption").firstValue()).isEqualTo("RAW");
    }

    @Test
    void rowsMatchedOnAColumnAreUpdatedAndTheirOtherCellsKept() {
        values("Orders", "[[\"Order\",\"Customer\",\"Status\"],[\"A-1\",\"Ana\",\"open\"],[\"A-2\",\"Bo\",\"open\"],[\"A-1\",\"Ana\"]]");
        answers("/v4/spreadsheets/sheet-1/values:batchUpdate", 200, "{\"totalUpdatedRows\":2}");

        List<JsonNode> updated = output(run("{\"operation\":\"update\",\"spreadsheetId\":\"sheet-1\",\"sheet\":\"Orders\","
                + "\"matchColumn\":\"Order\"}", List.of(item("{\"Order\":\"A-1\",\"Status\":\"shipped\"}"), item("{\"Order\":\"Z-9\",\"Status\":\"x\"}"))));

        assertThat(updated.get(0).path("updatedRows").toString()).isEqualTo("[2,4]");
        assertThat(updated.get(1).path("updatedRows").toString()).as("no row holds Z-9").isEqualTo("[]");
        JsonNode batch = body(google.findAll(postRequestedFor(urlPathEqualTo("/v4/spreadsheets/sheet-1/values:batchUpdate"))).get(0));
        assertThat(batch.path("data").toString()).isEqualTo("[{\"range\":\"Orders!A2:C2\",\"values\":[[\"A-1\",\"Ana\",\"shipped\"]]},"
                + "{\"range\":\"Orders!A4:C4\",\"values\":[[\"A-1\",\"Ana\",\"shipped\"]]}]");

        NodeOutcome unknown = run("{\"operation\":\"update\",\"spreadsheetId\":\"sheet-1\",\"sheet\":\"Orders\",\"matchColumn\":\"Id\"}",
                List.of(item("{\"Id\":1}"))).node("sheets");
        assertThat(unknown.error().getMessage()).contains("no column Id");
    }

    @Test
    void aRangeIsClearedAndASheetAddedOnce() {
        answers(VALUES + GoogleApi.encoded("Orders!A2:C") + ":clear", 200, "{\"spreadsheetId\":\"sheet-1\",\"clearedRange\":\"Orders!A2:C1000\"}");
        assertThat(output(run("{\"operation\":\"clear\",\"spreadsheetId\":\"sheet-1\",\"sheet\":\"Orders\",\"range\":\"A2:C\"}")).get(0)
                .path("clearedRange").asText()).isEqualTo("Orders!A2:C1000");
        google.verify(postRequestedFor(urlEqualTo(VALUES + "Orders%21A2%3AC:clear")));

        answers("/v4/spreadsheets/sheet-1:batchUpdate", 200, "{\"spreadsheetId\":\"sheet-1\",\"replies\":[{\"addSheet\":{\"properties\":"
                + "{\"sheetId\":924,\"title\":\"Q3\",\"index\":2}}}]}");
        JsonNode created = output(run("{\"operation\":\"createSheet\",\"spreadsheetId\":\"sheet-1\",\"title\":\"Q3\"}")).get(0);
        assertThat(created.path("sheetId").asLong()).isEqualTo(924);
        run("{\"operation\":\"createSheet\",\"spreadsheetId\":\"sheet-1\",\"title\":\"Q3\"}");
        google.verify(1, postRequestedFor(urlPathEqualTo("/v4/spreadsheets/sheet-1:batchUpdate"))
                .withRequestBody(equalToJson("{\"requests\":[{\"addSheet\":{\"properties\":{\"title\":\"Q3\"}}}]}")));
    }

    @Test
    void googlesErrorsAreTypedAndRateLimitsWaitForRetryAfter() {
        google.stubFor(get(urlPathEqualTo(VALUES + "Gone")).willReturn(aResponse().withStatus(404).withHeader("Content-Type", "application/json")
                .withBody("{\"error\":{\"code\":404,\"message\":\"Requested entity was not found.\",\"status\":\"NOT_FOUND\"}}")));
        NodeOutcome gone = run("{\"operation\":\"read\",\"spreadsheetId\":\"sheet-1\",\"sheet\":\"Gone\"}").node("sheets");
        assertThat(gone.error().kind()).isEqualTo(ErrorKind.NOT_FOUND);
        assertThat(gone.error().getMessage()).contains("Requested entity was not found").doesNotContain(TOKEN);

        google.stubFor(get(urlPathEqualTo(VALUES + "Private")).willReturn(aResponse().withStatus(403).withHeader("Content-Type", "application/json")
                .withBody("{\"error\":{\"code\":403,\"message\":\"The caller does not have permission\",\"status\":\"PERMISSION_DENIED\"}}")));
        assertThat(run("{\"operation\":\"read\",\"spreadsheetId\":\"sheet-1\",\"sheet\":\"Private\"}").node("sheets").error().kind())
                .isEqualTo(ErrorKind.CREDENTIALS);

        google.stubFor(get(urlPathEqualTo(VALUES + "Busy")).inScenario("busy").whenScenarioStateIs(
                com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED).willSetStateTo("free")
                .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "5").withHeader("Content-Type", "application/json")
                        .withBody("{\"error\":{\"code\":429,\"message\":\"Quota exceeded\",\"status\":\"RESOURCE_EXHAUSTED\"}}")));
        google.stubFor(get(urlPathEqualTo(VALUES + "Busy")).inScenario("busy").whenScenarioStateIs("free")
                .willReturn(aResponse().withHeader("Content-Type", "application/json").withBody("{\"values\":[[\"A\"],[\"1\"]]}")));
        ExecutionOutcome busy = run("{\"operation\":\"read\",\"spreadsheetId\":\"sheet-1\",\"sheet\":\"Busy\"}",
                List.of(Item.of(WeftJson.mapper().createObjectNode())), "googleSheetsOAuth2Api", OAUTH,
                "{\"maxAttempts\":2,\"backoff\":\"fixed\",\"initialIntervalMs\":100,\"backoffCoefficient\":1.0,\"maxIntervalMs\":1000,"
                        + "\"jitter\":false,\"retryOn\":[]}");
        assertThat(output(busy)).hasSize(1);
        assertThat(pauses).containsExactly(Duration.ofSeconds(5));

        answers(VALUES + "Orders:append", 400, "{\"error\":{\"code\":400,\"message\":\"Unable to parse range: Orders\",\"status\":\"INVALID_ARGUMENT\"}}");
        values("Orders!1:1", "[[\"A\"]]");
        NodeOutcome bad = run("{\"operation\":\"append\",\"spreadsheetId\":\"sheet-1\",\"sheet\":\"Orders\"}", List.of(item("{\"A\":1}")))
                .node("sheets");
        assertThat(bad.error().kind()).isEqualTo(ErrorKind.INVALID_PARAMETERS);
        assertThat(bad.error().getMessage()).contains("Unable to parse range");
        assertThat(recorded).as("a failed append is not recorded").isEmpty();
    }

    @Test
    void anOAuth2TokenGoogleRefusesIsRefreshedOnceThroughCredentialsService() {
        List<String> refused = new CopyOnWriteArrayList<>();
        credentialsService = new Credentials() {
            @Override
            public Resolved resolve(String tenantId, String credentialId, String executionId, String nodeId) {
                return token(TOKEN);
            }

            @Override
            public Resolved afterRefusal(String tenantId, String credentialId, String executionId, String nodeId, String refusedToken) {
                refused.add(refusedToken);
                return token("ya29.refreshed");
            }

            private Resolved token(String token) {
                return new Resolved("googleSheetsOAuth2Api", WeftJson.mapper().createObjectNode()
                        .set("oauthTokenData", WeftJson.mapper().createObjectNode().put("accessToken", token)));
            }
        };
        String unauthenticated = "{\"error\":{\"code\":401,\"message\":\"Request had invalid authentication credentials.\","
                + "\"status\":\"UNAUTHENTICATED\"}}";
        google.stubFor(get(urlPathEqualTo(VALUES + "Orders")).withHeader("Authorization", equalTo("Bearer " + TOKEN))
                .willReturn(aResponse().withStatus(401).withHeader("Content-Type", "application/json").withBody(unauthenticated)));
        google.stubFor(get(urlPathEqualTo(VALUES + "Orders")).withHeader("Authorization", equalTo("Bearer ya29.refreshed"))
                .willReturn(aResponse().withHeader("Content-Type", "application/json").withBody("{\"values\":[[\"A\"],[1]]}")));

        assertThat(output(run("{\"operation\":\"read\",\"spreadsheetId\":\"sheet-1\",\"sheet\":\"Orders\"}"))).hasSize(1);
        assertThat(refused).containsExactly(TOKEN);

        google.stubFor(get(urlPathEqualTo(VALUES + "Orders")).withHeader("Authorization", equalTo("Bearer ya29.refreshed"))
                .willReturn(aResponse().withStatus(401).withHeader("Content-Type", "application/json").withBody(unauthenticated)));
        google.resetRequests();
        NodeOutcome still = run("{\"operation\":\"read\",\"spreadsheetId\":\"sheet-1\",\"sheet\":\"Orders\"}").node("sheets");
        assertThat(still.error().kind()).as("a refreshed token refused too is the credential's failure").isEqualTo(ErrorKind.CREDENTIALS);
        google.verify(2, com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor(urlPathEqualTo(VALUES + "Orders")));
    }

    @Test
    void aServiceAccountSignsAnAssertionForItsToken() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair keys = generator.generateKeyPair();
        String pem = "-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder().encodeToString(keys.getPrivate().getEncoded())
                + "\n-----END PRIVATE KEY-----\n";
        String tokenUrl = "http://127.0.0.1:" + google.port() + "/token";
        google.stubFor(post(urlEqualTo("/token")).withRequestBody(matching(".*grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer.*"))
                .willReturn(aResponse().withHeader("Content-Type", "application/json")
                        .withBody("{\"access_token\":\"ya29.minted\",\"expires_in\":3599,\"token_type\":\"Bearer\"}")));
        values("Orders", "[[\"A\"],[1]]");
        String account = WeftJson.mapper().createObjectNode().put("email", "robot@project.iam.gserviceaccount.com").put("privateKey", pem)
                .put("tokenUrl", tokenUrl).toString();

        output(run("{\"operation\":\"read\",\"spreadsheetId\":\"sheet-1\",\"sheet\":\"Orders\"}",
                List.of(Item.of(WeftJson.mapper().createObjectNode())), "googleServiceAccount", account, null));

        google.verify(com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor(urlPathEqualTo(VALUES + "Orders"))
                .withHeader("Authorization", equalTo("Bearer ya29.minted")));
        String form = google.findAll(postRequestedFor(urlEqualTo("/token"))).get(0).getBodyAsString();
        String assertion = URLDecoder.decode(form.substring(form.indexOf("assertion=") + "assertion=".length()), StandardCharsets.UTF_8);
        String[] parts = assertion.split("\\.");
        JsonNode claims = WeftJson.mapper().readTree(Base64.getUrlDecoder().decode(parts[1]));
        assertThat(claims.path("iss").asText()).isEqualTo("robot@project.iam.gserviceaccount.com");
        assertThat(claims.path("aud").asText()).isEqualTo(tokenUrl);
        assertThat(claims.path("scope").asText()).isEqualTo(GoogleSheetsNode.SCOPE);
        Signature signature = Signature.getInstance("SHA256withRSA");
        signature.initVerify(keys.getPublic());
        signature.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
        assertThat(signature.verify(Base64.getUrlDecoder().decode(parts[2]))).isTrue();

        String broken = WeftJson.mapper().createObjectNode().put("email", "robot@x").put("privateKey", "not a key").put("tokenUrl", tokenUrl)
                .toString();
        assertThat(run("{\"operation\":\"read\",\"spreadsheetId\":\"sheet-1\",\"sheet\":\"Orders\"}",
                List.of(Item.of(WeftJson.mapper().createObjectNode())), "googleServiceAccount", broken, null).node("sheets").error().getMessage())
                .contains("private key cannot sign").doesNotContain("not a key");
    }

    @Test
    void aServiceAccountsTokenEndpointOnAnInternalAddressIsRefused() {
        IntegrationRuns publicOnly = new IntegrationRuns(new GoogleSheetsNode(URI.create("http://127.0.0.1:" + google.port()),
                OutboundAddresses.publicOnly()), "sheets");
        ExecutionOutcome outcome = publicOnly.run("{\"operation\":\"read\",\"spreadsheetId\":\"s\"}", null,
                List.of(Item.of(WeftJson.mapper().createObjectNode())), "googleServiceAccount", IntegrationRuns.stored("googleServiceAccount",
                        "{\"email\":\"robot@x\",\"privateKey\":\"k\",\"tokenUrl\":\"http://169.254.169.254/token\"}"), Payloads.NONE);
        assertThat(outcome.node("sheets").error().kind()).isEqualTo(ErrorKind.INVALID_PARAMETERS);
        assertThat(google.getAllServeEvents()).isEmpty();
    }
}
