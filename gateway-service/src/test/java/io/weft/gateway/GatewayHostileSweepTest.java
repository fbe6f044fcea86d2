package io.weft.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import io.weft.gateway.identity.TestAccounts;
import io.weft.testsupport.HostileSweepContractTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.UUID;

/**
 * The hostile sweep over the gateway's own operations (identity, users, API keys), by the owner of a
 * new organisation, and over the operator API by an operator (issue 19). Forwarded routes are the services' own sweeps.
 */
@QuarkusTest
class GatewayHostileSweepTest extends HostileSweepContractTest {
    @Inject
    Pool pool;

    private JsonPath owner;

    @Override
    protected String authorization(String path) {
        if (path.startsWith("/api/operator/")) {
            return "Bearer test-operator-key";
        }
        if (owner == null) {
            owner = TestAccounts.signup("sweep");
        }
        return "Bearer " + owner.getString("accessToken");
    }

    @Override
    protected void assertNothingWritten() {
        UUID tenant = UUID.fromString(owner.getString("user.tenantId"));
        long rows = pool.preparedQuery("SELECT (SELECT count(*) FROM api_keys WHERE tenant_id = $1)"
                        + " + (SELECT count(*) FROM users WHERE tenant_id = $1) AS n")
                .execute(Tuple.of(tenant)).await().atMost(Duration.ofSeconds(10)).iterator().next().getLong("n");
        assertThat(rows).as("the owner, and nothing the sweep created").isEqualTo(1);
    }
}
