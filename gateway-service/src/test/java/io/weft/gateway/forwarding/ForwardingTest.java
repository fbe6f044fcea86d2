package io.weft.gateway.forwarding;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.smallrye.jwt.algorithm.SignatureAlgorithm;
import io.smallrye.jwt.auth.principal.DefaultJWTParser;
import io.smallrye.jwt.util.KeyUtils;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.time.Duration;
import java.util.Map;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(value = FakeUpstream.class, restrictToAnnotatedClass = true)
class ForwardingTest {
    private static final String PROBLEMS = "https://weft.dev/problems/";
    private static final String TRACEPARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

    @TestHTTPResource("/")
    URI gateway;

    private JsonPath session;
    private String accessToken;

    @BeforeEach
    void signIn() {
        session = io.weft.gateway.identity.TestAccounts.signup("forwarding");
        accessToken = session.getString("accessToken");
    }

    @Test
    void servicesSeeAFreshInternalTokenAndNoneOfTheCallersIdentityClaims() throws Exception {
        JsonPath echo = given().urlEncodingEnabled(false).auth().oauth2(accessToken)
                .header("X-Tenant-Id", "00000000-0000-0000-0000-000000000000")
                .header("X-Weft-Roles", "owner")
                .header("X-Forwarded-For", "10.6.6.6")
                .header("X-Forwarded-Authorization", "Basic c3Bvb2Y6ZWQ=")
                .header("traceparent", TRACEPARENT)
                .get("/api/orchestrator/echo/items?page=2&q=caf%C3%A9")
                .then().statusCode(200).header("X-Upstream", "fake")
                .extract().jsonPath();

        assertThat(echo.getString("uri")).isEqualTo("/api/orchestrator/echo/items?page=2&q=caf%C3%A9");
        Map<String, String> headers = echo.getMap("headers");
        assertThat(headers).doesNotContainKeys("x-tenant-id", "x-weft-roles", "x-forwarded-authorization");
        assertThat(headers.get("x-forwarded-for")).isEqualTo("127.0.0.1");
        assertThat(headers.get("traceparent")).isEqualTo(TRACEPARENT);
        String forwarded = headers.get("authorization");
        assertThat(forwarded).startsWith("Bearer ").doesNotContain(accessToken);

        JsonWebToken internal = new DefaultJWTParser().verify(forwarded.substring(7), internalPublicKey());
        assertThat(internal.getIssuer()).isEqualTo("https://weft.dev/gateway/internal");
        assertThat(internal.getAudience()).containsExactly("weft-internal");
        assertThat(internal.<String>getClaim("tid")).isEqualTo(session.getString("user.tenantId"));
        assertThat(internal.getSubject()).isEqualTo(session.getString("user.id"));
        assertThat(internal.getGroups()).containsExactly("owner");
        assertThat(internal.getExpirationTime() - internal.getIssuedAtTime()).isLessThanOrEqualTo(60);
    }

    @Test
    void aTraceparentIsStartedWhenTheCallerSentNone() {
        String traceparent = given().auth().oauth2(accessToken).get("/api/compile/echo")
                .then().statusCode(200).extract().path("headers.traceparent");
        assertThat(traceparent).matches("00-[0-9a-f]{32}-[0-9a-f]{16}-01");
    }

    @Test
    void callersWithoutValidCredentialsNeverReachAService() {
        given().get("/api/orchestrator/echo").then().statusCode(401).contentType("application/problem+json")
                .header("WWW-Authenticate", containsString("Bearer"))
                .body("type", equalTo(PROBLEMS + "unauthorized"));
        given().auth().oauth2("not.a.token").get("/api/logs/echo").then().statusCode(401);
        given().header("X-Tenant-Id", session.getString("user.tenantId")).get("/api/logs/echo").then().statusCode(401);
    }

    @Test
    void webhooksPassWithoutUserAuthenticationTheirAuthorizationHeaderOnlyAsData() {
        JsonPath echo = given().header("Authorization", "Basic aG9vazpzZWNyZXQ=").header("X-Weft-Timestamp", "1764150000")
                .header("X-Weft-Signature", "v1=abc").header("X-Api-Key", "the-webhook's-token")
                .header("X-Forwarded-Authorization", "Bearer spoofed").header("X-Forwarded-For", "10.6.6.6")
                .header("X-Tenant-Id", "00000000-0000-0000-0000-000000000000").header("X-Weft-Roles", "owner")
                .body("{\"order\":42}").post("/webhook/abc123/echo").then().statusCode(200).extract().jsonPath();
        Map<String, String> headers = echo.getMap("headers");
        assertThat(headers).doesNotContainKeys("authorization", "x-tenant-id", "x-weft-roles");
        assertThat(headers).containsEntry("x-forwarded-authorization", "Basic aG9vazpzZWNyZXQ=")
                .containsEntry("x-weft-timestamp", "1764150000").containsEntry("x-weft-signature", "v1=abc")
                .containsEntry("x-api-key", "the-webhook's-token").containsEntry("x-forwarded-for", "127.0.0.1");
        assertThat(echo.getString("body")).isEqualTo("{\"order\":42}");

        Map<String, String> withoutAuthorization = given().header("X-Forwarded-Authorization", "Bearer spoofed").body("{}")
                .post("/webhook/abc123/echo").then().statusCode(200).extract().jsonPath().getMap("headers");
        assertThat(withoutAuthorization).doesNotContainKeys("x-forwarded-authorization", "authorization");
    }

    @Test
    void theOAuth2CallbackPassesWithoutALoginAndAnythingElseOfCredentialsNeedsOne() {
        JsonPath echo = given().queryParam("state", "s").queryParam("code", "c").get("/oauth2/callback")
                .then().statusCode(200).extract().jsonPath();
        assertThat(echo.getString("uri")).isEqualTo("/oauth2/callback?state=s&code=c");
        assertThat(echo.getMap("headers")).doesNotContainKey("authorization");
        given().get("/api/credentials").then().statusCode(401);
        given().get("/oauth2/other").then().statusCode(404);
    }

    @Test
    void approvalLinksPassWithoutALogin() {
        JsonPath echo = given().post("/approvals/respond/some-token").then().statusCode(200).extract().jsonPath();
        assertThat(echo.getString("uri")).isEqualTo("/approvals/respond/some-token");
        assertThat(echo.getMap("headers")).doesNotContainKey("authorization");
        given().get("/approvals/other").then().statusCode(404);
    }

    @Test
    void largeBodiesStreamThroughAndStatusAndHeadersComeBack() {
        byte[] body = new byte[1_500_000];
        given().auth().oauth2(accessToken).contentType("application/octet-stream").body(body)
                .post("/api/logs/echo/created")
                .then().statusCode(201).header("X-Upstream", "fake")
                .body("method", equalTo("POST"))
                .body("bodyLength", equalTo(1_500_000));
    }

    @Test
    void serverSentEventsArriveAsTheServiceSendsThem() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest request = HttpRequest.newBuilder(gateway.resolve("/api/streaming/sse"))
                .header("Authorization", "Bearer " + accessToken).timeout(Duration.ofSeconds(10)).build();

        HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("content-type")).hasValue("text/event-stream");
        try (InputStream stream = response.body()) {
            byte[] first = new byte["data: first\n\n".length()];
            long start = System.nanoTime();
            assertThat(stream.readNBytes(first, 0, first.length)).isEqualTo(first.length);
            long firstMillis = (System.nanoTime() - start) / 1_000_000;
            String rest = new String(stream.readAllBytes(), StandardCharsets.UTF_8);
            long restMillis = (System.nanoTime() - start) / 1_000_000;

            assertThat(new String(first, StandardCharsets.UTF_8)).isEqualTo("data: first\n\n");
            assertThat(rest).isEqualTo("data: second\n\n");
            // The service holds the second event back for 1.5 s: an unbuffered proxy delivers the
            // first one well before the second.
            assertThat(restMillis - firstMillis).isGreaterThan(700);
        }
    }

    /** A client that closes a stream early takes the service's stream with it (issue 19). */
    @Test
    void aClientThatClosesAStreamEarlyClosesItsStreamFromTheService() throws Exception {
        long closedBefore = FakeUpstream.STREAMS_CLOSED.get();
        try (java.net.Socket socket = new java.net.Socket(gateway.getHost(), gateway.getPort())) {
            socket.getOutputStream().write(("GET /api/streaming/sse HTTP/1.1\r\nHost: " + gateway.getHost() + "\r\nAuthorization: Bearer "
                    + accessToken + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            byte[] buffer = new byte[4096];
            StringBuilder seen = new StringBuilder();
            while (!seen.toString().contains("data: first")) {
                int read = socket.getInputStream().read(buffer);
                assertThat(read).as("the first event arrives").isPositive();
                seen.append(new String(buffer, 0, read, StandardCharsets.ISO_8859_1));
            }
        } // the client goes away while the service still streams
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (FakeUpstream.STREAMS_CLOSED.get() == closedBefore && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(FakeUpstream.STREAMS_CLOSED.get()).as("the service's stream was closed with the client's").isGreaterThan(closedBefore);
        // and the gateway goes on serving
        serverSentEventsArriveAsTheServiceSendsThem();
    }

    @Test
    void webSocketsPassThroughWithTheInternalToken() throws Exception {
        java.util.concurrent.BlockingQueue<String> received = new java.util.concurrent.LinkedBlockingQueue<>();
        java.net.http.WebSocket.Listener listener = new java.net.http.WebSocket.Listener() {
            @Override
            public java.util.concurrent.CompletionStage<?> onText(java.net.http.WebSocket socket, CharSequence data, boolean last) {
                received.add(data.toString());
                socket.request(1);
                return null;
            }
        };
        URI uri = URI.create(gateway.toString().replaceFirst("^http", "ws")).resolve("/api/streaming/ws");
        java.net.http.WebSocket socket = HttpClient.newHttpClient().newWebSocketBuilder()
                .header("Authorization", "Bearer " + accessToken)
                .buildAsync(uri, listener).get(10, java.util.concurrent.TimeUnit.SECONDS);

        assertThat(received.poll(10, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo("hello Bearer ");
        socket.sendText("ping", true).get(5, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(received.poll(10, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo("echo: ping");
        socket.sendClose(java.net.http.WebSocket.NORMAL_CLOSURE, "bye").get(5, java.util.concurrent.TimeUnit.SECONDS);
    }

    @Test
    void webSocketsNeedCredentials() {
        URI uri = URI.create(gateway.toString().replaceFirst("^http", "ws")).resolve("/api/streaming/ws");
        var failure = org.assertj.core.api.Assertions.catchThrowable(() -> HttpClient.newHttpClient().newWebSocketBuilder()
                .buildAsync(uri, new java.net.http.WebSocket.Listener() { }).get(10, java.util.concurrent.TimeUnit.SECONDS));
        assertThat(failure).hasCauseInstanceOf(java.net.http.WebSocketHandshakeException.class);
        assertThat(((java.net.http.WebSocketHandshakeException) failure.getCause()).getResponse().statusCode()).isEqualTo(401);
    }

    @Test
    void anUnreachableServiceIsA502Problem() {
        given().auth().oauth2(accessToken).get("/api/nodes").then().statusCode(502)
                .contentType("application/problem+json")
                .body("type", equalTo(PROBLEMS + "bad-gateway"))
                .body("detail", containsString("executor-service"));
    }

    @Test
    void aSilentServiceIsA504Problem() {
        given().auth().oauth2(accessToken).get("/api/compile/slow").then().statusCode(504)
                .contentType("application/problem+json")
                .body("type", equalTo(PROBLEMS + "upstream-timeout"))
                .body("detail", containsString("compiler-service"));
    }

    @Test
    void theGatewaysOwnApiIsNotForwarded() {
        given().auth().oauth2(accessToken).get("/api/users/me").then().statusCode(200)
                .body("id", equalTo(session.getString("user.id")));
    }

    private static PublicKey internalPublicKey() throws Exception {
        return KeyUtils.readPublicKey("keys/test-internal-public.pem", SignatureAlgorithm.ES256);
    }
}
