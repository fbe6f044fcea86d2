package io.weft.executor.ai;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import io.weft.contracts.events.ErrorKind;
import io.weft.executor.engine.NodeFailure;
import io.weft.executor.engine.TokenReservation;
import io.weft.executor.retention.ExecutorRetention;
import io.weft.testsupport.InternalTokens;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** Tenants' monthly token budgets in the executor's real database, as every executor shares them. */
@QuarkusTest
class TokenBudgetsTest {
    private static final String API = "/api/executor/llm-tokens";
    private static final String CHARGES = "/internal/llm-tokens";
    @Inject
    TokenBudgets budgets;

    @Inject
    ExecutorRetention retention;

    @Inject
    Pool pool;

    private final String tenant = UUID.randomUUID().toString();

    @Test
    void aCallReservesItsEstimateAndSettlesToWhatTheProviderCounted() {
        TokenReservation reservation = budgets.reserve(tenant, 1_000, 300);
        assertThat(budgets.thisMonth(tenant).used()).isEqualTo(300);

        reservation.settle(120);

        assertThat(budgets.thisMonth(tenant).used()).isEqualTo(120);
        assertThat(budgets.thisMonth(UUID.randomUUID().toString()).used()).as("another tenant's meter").isZero();
    }

    @Test
    void aFailedCallGivesItsReservationBack() {
        budgets.reserve(tenant, 1_000, 100).settle(100);
        budgets.reserve(tenant, 1_000, 400).settle(0);

        assertThat(budgets.thisMonth(tenant).used()).isEqualTo(100);
    }

    @Test
    void aCallThatDoesNotFitIsRefusedWithQuotaAndChargesNothing() {
        budgets.reserve(tenant, 1_000, 900).settle(900);

        assertThatThrownBy(() -> budgets.reserve(tenant, 1_000, 101))
                .isInstanceOfSatisfying(NodeFailure.class, failure -> {
                    assertThat(failure.kind()).isEqualTo(ErrorKind.QUOTA);
                    assertThat(failure.retryable()).isFalse();
                    assertThat(failure.getMessage()).contains("1000 tokens a month", "900 used this month", "renews on");
                });
        assertThat(budgets.thisMonth(tenant).used()).isEqualTo(900);
        budgets.reserve(tenant, 1_000, 100);
        assertThat(budgets.thisMonth(tenant).used()).as("what still fits is taken").isEqualTo(1_000);
        assertThatThrownBy(() -> budgets.reserve(tenant, 1_000, 0)).as("a spent budget refuses even an empty prompt")
                .isInstanceOf(NodeFailure.class);
    }

    @Test
    void aFirstCallLargerThanTheWholeBudgetIsRefused() {
        assertThatThrownBy(() -> budgets.reserve(tenant, 50, 51)).isInstanceOf(NodeFailure.class);
        assertThat(budgets.thisMonth(tenant).used()).isZero();
    }

    @Test
    void callsRacingForTheLastTokensNeverTakeMoreThanTheBudget() throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(8);
        try {
            List<Callable<Boolean>> calls = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                calls.add(() -> {
                    try {
                        budgets.reserve(tenant, 1_000, 100);
                        return true;
                    } catch (NodeFailure refused) {
                        return false;
                    }
                });
            }
            long reserved = 0;
            for (Future<Boolean> call : threads.invokeAll(calls)) {
                reserved += call.get() ? 1 : 0;
            }
            assertThat(reserved).isEqualTo(10);
            assertThat(budgets.thisMonth(tenant).used()).isEqualTo(1_000);
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    void aTenantReadsItsOwnMeterOnly() {
        UUID tenantId = UUID.fromString(tenant);
        given().auth().oauth2(InternalTokens.user(tenantId, "vi", "viewer")).get(API).then().statusCode(200)
                .body("used", equalTo(0)).body("budget", nullValue()).body("renewsOn", notNullValue());
        budgets.reserve(tenant, 200_000, 1_234).settle(1_500);
        budgets.reserve(UUID.randomUUID().toString(), 9_000, 10).settle(10);

        given().auth().oauth2(InternalTokens.user(tenantId, "vi", "viewer")).get(API).then().statusCode(200)
                .body("used", equalTo(1_500)).body("budget", equalTo(200_000))
                .body("month", equalTo(java.time.LocalDate.now(java.time.ZoneOffset.UTC).withDayOfMonth(1).toString()));
        given().auth().oauth2(InternalTokens.apiKey(tenantId, "key-1", "executions:read")).get(API).then().statusCode(200)
                .body("used", equalTo(1_500));
        given().auth().oauth2(InternalTokens.apiKey(tenantId, "key-2", "workflows:read")).get(API).then().statusCode(403)
                .contentType("application/problem+json");
        given().get(API).then().statusCode(401);
    }

    @Test
    void inferenceServiceChargesItsAnswersToTheSameMeter() {
        UUID tenantId = UUID.fromString(tenant);
        String inference = InternalTokens.service(tenantId, "inference", LlmTokenChargesResource.SCOPE);
        budgets.reserve(tenant, 1_000, 200).settle(200);

        String month = given().auth().oauth2(inference).contentType("application/json").body("{\"tokens\":500,\"budget\":1000}")
                .post(CHARGES + "/reservations").then().statusCode(201).body("reserved", equalTo(500)).extract().path("month");
        assertThat(budgets.thisMonth(tenant).used()).isEqualTo(700);
        given().auth().oauth2(inference).contentType("application/json")
                .body("{\"month\":\"" + month + "\",\"reserved\":500,\"used\":340}")
                .post(CHARGES + "/settlements").then().statusCode(204);
        assertThat(budgets.thisMonth(tenant).used()).isEqualTo(540);

        given().auth().oauth2(inference).contentType("application/json").body("{\"tokens\":461,\"budget\":1000}")
                .post(CHARGES + "/reservations").then().statusCode(429).contentType("application/problem+json")
                .body("type", org.hamcrest.Matchers.endsWith("quota-exceeded"))
                .body("detail", org.hamcrest.Matchers.containsString("540 used this month"));
        assertThat(budgets.thisMonth(tenant).used()).as("a refused call takes nothing").isEqualTo(540);
        assertThat(budgets.thisMonth(UUID.randomUUID().toString()).used()).as("another tenant's meter").isZero();
    }

    @Test
    void onlyInferenceServiceChargesAndBadChargesAreRefused() {
        UUID tenantId = UUID.fromString(tenant);
        String body = "{\"tokens\":10,\"budget\":1000}";
        for (String caller : List.of(InternalTokens.service(tenantId, "executor", LlmTokenChargesResource.SCOPE),
                InternalTokens.service(tenantId, "inference", "credentials:resolve"),
                InternalTokens.apiKey(tenantId, "key-1", LlmTokenChargesResource.SCOPE),
                InternalTokens.user(tenantId, "ad", "admin"))) {
            given().auth().oauth2(caller).contentType("application/json").body(body).post(CHARGES + "/reservations")
                    .then().statusCode(403).contentType("application/problem+json");
        }
        given().contentType("application/json").body(body).post(CHARGES + "/reservations").then().statusCode(401);
        String inference = InternalTokens.service(tenantId, "inference", LlmTokenChargesResource.SCOPE);
        for (String bad : List.of("", "null", "[]", "{}", "{\"tokens\":0,\"budget\":10}", "{\"tokens\":-5,\"budget\":10}",
                "{\"tokens\":10}", "{\"tokens\":\"many\",\"budget\":10}", "{\"tokens\":1e30,\"budget\":10}",
                "{\"tokens\":10,\"budget\":-1}", "{\"tokens\":" + "9".repeat(5_000) + ",\"budget\":10}")) {
            given().auth().oauth2(inference).contentType("application/json").body(bad).post(CHARGES + "/reservations")
                    .then().statusCode(400).contentType("application/problem+json");
        }
        for (String bad : List.of("{}", "{\"month\":\"2026-13-01\",\"reserved\":5,\"used\":1}",
                "{\"month\":\"2020-01-15\",\"reserved\":5,\"used\":1}", "{\"month\":\"2999-01-01\",\"reserved\":5,\"used\":1}",
                "{\"month\":\"2020-01-01\",\"reserved\":5,\"used\":-1}", "{\"month\":\"2020-01-01\",\"reserved\":0,\"used\":1}")) {
            given().auth().oauth2(inference).contentType("application/json").body(bad).post(CHARGES + "/settlements")
                    .then().statusCode(400).contentType("application/problem+json");
        }
        assertThat(budgets.thisMonth(tenant).used()).as("nothing bad was charged").isZero();
    }

    @Test
    void metersOfMonthsOverAYearAgoArePruned() {
        pool.preparedQuery("INSERT INTO llm_token_meter (tenant_id, month, used, budget) VALUES ($1, date '2020-01-01', 5, 10),"
                + " ($1, date_trunc('month', now() - interval '11 months')::date, 7, 10)").execute(Tuple.of(tenant))
                .await().atMost(Duration.ofSeconds(5));

        retention.prune();

        assertThat(pool.preparedQuery("SELECT month FROM llm_token_meter WHERE tenant_id = $1").execute(Tuple.of(tenant))
                .await().atMost(Duration.ofSeconds(5)).rowCount()).as("last year's months stay; older ones go").isEqualTo(1);
    }
}
