package io.weft.credentials.oauth2;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.weft.testsupport.InternalTokens;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * OAuth2 against a local stub of a provider's token endpoint: the authorization-code flow with PKCE,
 * refresh before expiry with one refresh for ten concurrent resolutions, client credentials, and a
 * refused refresh that marks the credential for reconnection.
 */
@QuarkusTest
class OAuth2Test {
    private final UUID tenant = UUID.randomUUID();
    private final String editor = InternalTokens.user(tenant, "editor-1", "editor");
    private final String executor = InternalTokens.service(tenant, "executor", "credentials:resolve");
    private final String clientSecret = "client-secret-" + UUID.randomUUID();

    private Vertx vertx;
    private String provider;
    private final List<Map<String, String>> tokenRequests = new CopyOnWriteArrayList<>();
    private final AtomicInteger issued = new AtomicInteger();
    private final AtomicReference<String> refuse = new AtomicReference<>();
    private volatile long expiresIn = 3600;

    @BeforeEach
    void startProvider() throws Exception {
        vertx = Vertx.vertx();
        HttpServer server = vertx.createHttpServer().requestHandler(request -> request.body().onSuccess(body -> {
            Map<String, String> form = new HashMap<>();
            for (String pair : body.toString().split("&")) {
                String[] kv = pair.split("=", 2);
                if (kv.length == 2) {
                    form.put(URLDecoder.decode(kv[0], StandardCharsets.UTF_8), URLDecoder.decode(kv[1], StandardCharsets.UTF_8));
                }
            }
            form.put("authorization", String.valueOf(request.getHeader("authorization")));
            tokenRequests.add(form);
            if (refuse.get() != null) {
                request.response().setStatusCode(400).putHeader("content-type", "application/json")
                        .end(new JsonObject().put("error", refuse.get()).encode());
                return;
            }
            int n = issued.incrementAndGet();
            // Slow enough that concurrent resolutions pile up behind the one refreshing.
            vertx.setTimer(200, timer -> request.response().putHeader("content-type", "application/json")
                    .end(new JsonObject().put("access_token", "access-" + n).put("refresh_token", "refresh-" + n)
                            .put("token_type", "Bearer").put("expires_in", expiresIn).encode()));
        }));
        int port = server.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS).actualPort();
        provider = "http://127.0.0.1:" + port;
    }

    @AfterEach
    void stopProvider() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        Path log = Path.of("target/credentials-test.log");
        if (Files.exists(log)) {
            String written = Files.readString(log, StandardCharsets.UTF_8);
            assertThat(written).doesNotContain(clientSecret).doesNotContain("access-1").doesNotContain("refresh-1");
        }
    }

    private String credential(String grantType) {
        return given().auth().oauth2(editor).contentType(ContentType.JSON)
                .body("{\"name\":\"Provider\",\"type\":\"oAuth2Api\",\"data\":{\"grantType\":\"" + grantType + "\",\"authUrl\":\"" + provider
                        + "/authorize\",\"accessTokenUrl\":\"" + provider + "/token\",\"clientId\":\"weft-client\",\"clientSecret\":\""
                        + clientSecret + "\",\"scope\":\"read write\"}}")
                .post("/api/credentials").then().statusCode(201).extract().path("id");
    }

    private static Map<String, String> query(String url) {
        Map<String, String> query = new HashMap<>();
        for (String pair : URI.create(url).getRawQuery().split("&")) {
            String[] kv = pair.split("=", 2);
            query.put(kv[0], URLDecoder.decode(kv[1], StandardCharsets.UTF_8));
        }
        return query;
    }

    private String connect(String id) {
        String url = given().auth().oauth2(editor).post("/api/credentials/" + id + "/oauth2/authorize").then().statusCode(200)
                .extract().path("authorizationUrl");
        String state = query(url).get("state");
        given().queryParam("state", state).queryParam("code", "the-code").get("/oauth2/callback").then().statusCode(200)
                .contentType(containsString("text/html")).body(containsString("connected"));
        return url;
    }

    private io.restassured.response.ValidatableResponse resolve(String id) {
        return given().auth().oauth2(executor).contentType(ContentType.JSON).body("{\"executionId\":\"e\",\"nodeId\":\"n\"}")
                .post("/internal/credentials/" + id + "/resolve").then();
    }

    @Test
    void theAuthorizationCodeFlowWithPkceStoresTokensTheExecutorGets() throws Exception {
        String id = credential("authorizationCode");
        String url = connect(id);

        Map<String, String> asked = query(url);
        assertThat(url).startsWith(provider + "/authorize?");
        assertThat(asked).containsEntry("response_type", "code").containsEntry("client_id", "weft-client")
                .containsEntry("scope", "read write").containsEntry("code_challenge_method", "S256").containsKey("redirect_uri");
        Map<String, String> exchange = tokenRequests.get(0);
        assertThat(exchange).containsEntry("grant_type", "authorization_code").containsEntry("code", "the-code");
        String challenge = Base64.getUrlEncoder().withoutPadding().encodeToString(
                MessageDigest.getInstance("SHA-256").digest(exchange.get("code_verifier").getBytes(StandardCharsets.US_ASCII)));
        assertThat(challenge).as("the verifier answers the challenge").isEqualTo(asked.get("code_challenge"));
        assertThat(exchange.get("authorization")).isEqualTo("Basic " + Base64.getEncoder().encodeToString(
                ("weft-client:" + clientSecret).getBytes(StandardCharsets.UTF_8)));

        resolve(id).statusCode(200).body("data.oauthTokenData.accessToken", equalTo("access-1"));
        String shown = given().auth().oauth2(editor).get("/api/credentials/" + id).then().statusCode(200)
                .body("secretsSet", hasItem("oauthTokenData")).body("status", equalTo("ok")).extract().asString();
        assertThat(shown).doesNotContain("access-1").doesNotContain("refresh-1");

        String state = query(url).get("state");
        given().queryParam("state", state).queryParam("code", "again").get("/oauth2/callback").then().statusCode(400)
                .contentType("application/problem+json");
        given().queryParam("state", "forged").queryParam("code", "c").get("/oauth2/callback").then().statusCode(400);
        given().get("/oauth2/callback").then().statusCode(400);
    }

    @Test
    void tenConcurrentResolutionsOfAnExpiringTokenCauseOneRefresh() throws Exception {
        expiresIn = 30; // within the 60 s before expiry in which tokens are refreshed
        String id = credential("authorizationCode");
        connect(id);
        expiresIn = 3600;
        tokenRequests.clear();

        List<CompletableFuture<String>> resolutions = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            resolutions.add(CompletableFuture.supplyAsync(() -> resolve(id).statusCode(200).extract().path("data.oauthTokenData.accessToken")));
        }
        List<String> tokens = resolutions.stream().map(CompletableFuture::join).toList();

        assertThat(tokenRequests).hasSize(1);
        assertThat(tokenRequests.get(0)).containsEntry("grant_type", "refresh_token").containsEntry("refresh_token", "refresh-1");
        assertThat(tokens).containsOnly("access-2");
        resolve(id).statusCode(200).body("data.oauthTokenData.accessToken", equalTo("access-2"));
        assertThat(tokenRequests).as("a fresh token is not refreshed again").hasSize(1);
    }

    private static String sha256(String text) throws Exception {
        return java.util.HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    private io.restassured.response.ValidatableResponse resolveAfterRefusal(String id, String refusedToken) throws Exception {
        return given().auth().oauth2(executor).contentType(ContentType.JSON)
                .body("{\"executionId\":\"e\",\"nodeId\":\"n\",\"refusedTokenSha256\":\"" + sha256(refusedToken) + "\"}")
                .post("/internal/credentials/" + id + "/resolve").then();
    }

    @Test
    void aTokenTheProviderRefusedIsRefreshedOnceThoughItHadNotExpired() throws Exception {
        String id = credential("authorizationCode");
        connect(id);
        tokenRequests.clear();

        resolveAfterRefusal(id, "access-1").statusCode(200).body("data.oauthTokenData.accessToken", equalTo("access-2"));
        assertThat(tokenRequests).hasSize(1);
        assertThat(tokenRequests.get(0)).containsEntry("grant_type", "refresh_token").containsEntry("refresh_token", "refresh-1");

        resolveAfterRefusal(id, "access-1").statusCode(200).body("data.oauthTokenData.accessToken", equalTo("access-2"));
        assertThat(tokenRequests).as("another caller refused the old token: it was refreshed already").hasSize(1);
        resolve(id).statusCode(200).body("data.oauthTokenData.accessToken", equalTo("access-2"));

        given().auth().oauth2(executor).contentType(ContentType.JSON)
                .body("{\"executionId\":\"e\",\"nodeId\":\"n\",\"refusedTokenSha256\":\"not-a-hash\"}")
                .post("/internal/credentials/" + id + "/resolve").then().statusCode(400).contentType("application/problem+json");
        assertThat(tokenRequests).hasSize(1);
    }

    @Test
    void aRefusedRefreshMarksTheCredentialForReconnection() {
        expiresIn = 10;
        String id = credential("authorizationCode");
        connect(id);
        refuse.set("invalid_grant");

        resolve(id).statusCode(409).contentType("application/problem+json").body("detail", containsString("invalid_grant"));
        given().auth().oauth2(editor).get("/api/credentials/" + id).then().statusCode(200).body("status", equalTo("needs_reconnection"));

        refuse.set(null);
        expiresIn = 3600;
        connect(id);
        given().auth().oauth2(editor).get("/api/credentials/" + id).then().statusCode(200).body("status", equalTo("ok"));
    }

    @Test
    void clientCredentialsGetATokenWhenFirstUsedAndKeepItWhileFresh() {
        String id = credential("clientCredentials");
        resolve(id).statusCode(200).body("data.oauthTokenData.accessToken", equalTo("access-1"));
        resolve(id).statusCode(200).body("data.oauthTokenData.accessToken", equalTo("access-1"));
        assertThat(tokenRequests).hasSize(1);
        assertThat(tokenRequests.get(0)).containsEntry("grant_type", "client_credentials").containsEntry("scope", "read write");
        given().auth().oauth2(editor).post("/api/credentials/" + id + "/oauth2/authorize").then().statusCode(409);
    }

    @Test
    void onlyOAuth2CredentialsOfTheTenantAreConnectedByEditors() {
        String id = credential("authorizationCode");
        given().auth().oauth2(InternalTokens.user(tenant, "viewer-1", "viewer")).post("/api/credentials/" + id + "/oauth2/authorize")
                .then().statusCode(403);
        given().auth().oauth2(InternalTokens.user(UUID.randomUUID(), "owner-2", "owner")).post("/api/credentials/" + id + "/oauth2/authorize")
                .then().statusCode(404);
        String bearer = given().auth().oauth2(editor).contentType(ContentType.JSON)
                .body("{\"name\":\"B\",\"type\":\"httpBearerAuth\",\"data\":{\"token\":\"t\"}}").post("/api/credentials")
                .then().statusCode(201).extract().path("id");
        given().auth().oauth2(editor).post("/api/credentials/" + bearer + "/oauth2/authorize").then().statusCode(409);
    }
}
