package io.weft.executor.runs;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.weft.contracts.events.ErrorKind;
import io.weft.contracts.events.ExecutionEvent;
import io.weft.contracts.events.ExecutionRequested;
import io.weft.contracts.events.TriggerKind;
import io.weft.contracts.json.WeftJson;
import io.weft.contracts.plan.ExecutionPlan;
import io.weft.executor.engine.TestPlans;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An HTTP Request node with a credential, run from a request on real Kafka: the executor resolves
 * the credential for the execution's tenant and node, sends it, and no event carries it.
 */
@QuarkusTest
@QuarkusTestResource(value = FakeCompilerPlans.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = SkipOldRequests.class, restrictToAnnotatedClass = false)
class CredentialResolutionTest extends KafkaRunsTest {
    private static final String SECRET = "bearer-" + UUID.randomUUID();

    private HttpServer server;
    private final AtomicReference<String> authorization = new AtomicReference<>();
    private String base;

    @BeforeEach
    void serve() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/api", exchange -> {
            authorization.set(exchange.getRequestHeaders().getFirst("Authorization"));
            byte[] answer = "{\"ok\":true}".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        server.start();
        base = "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private List<ExecutionEvent> run(String credentialId) throws Exception {
        ExecutionPlan plan = TestPlans.plan()
                .node("start", "trigger.manual", "{}")
                .node("call", "core.httpRequest", "{\"url\":\"" + base + "/api\",\"authentication\":\"credential\"}")
                .connect("start", "main", "call", "main")
                .withCredential("call", "httpBearerAuth", credentialId)
                .build();
        FakeCompilerPlans.publish(tenant, plan);
        String execution = "exec-" + UUID.randomUUID();
        kafka.send(new ExecutionRequested(UUID.randomUUID().toString(), tenant, execution, "wf-1", 1, plan.hash(), TriggerKind.MANUAL,
                "start", WeftJson.mapper().createObjectNode(), "user-1", null, null, Instant.now()));
        return kafka.untilTerminal(execution, WITHIN);
    }

    @Test
    void theNodeSendsTheResolvedCredentialAndNoEventCarriesIt() throws Exception {
        String credentialId = UUID.randomUUID().toString();
        FakeCompilerPlans.CREDENTIALS.put(tenant + ":" + credentialId,
                "{\"id\":\"" + credentialId + "\",\"type\":\"httpBearerAuth\",\"revision\":1,\"data\":{\"token\":\"" + SECRET + "\"}}");

        List<ExecutionEvent> events = run(credentialId);

        assertThat(events.get(events.size() - 1)).isInstanceOf(ExecutionEvent.ExecutionSucceeded.class);
        assertThat(authorization.get()).isEqualTo("Bearer " + SECRET);
        assertThat(FakeCompilerPlans.RESOLUTIONS).anySatisfy(asked -> assertThat(asked).startsWith(tenant + " " + credentialId)
                .contains("\"nodeId\":\"call\"").contains("\"executionId\":\"exec-"));
        assertThat(events.toString()).doesNotContain(SECRET);
    }

    @Test
    void aCredentialThatIsGoneFailsTheNodeAsACredentialsError() throws Exception {
        List<ExecutionEvent> events = run(UUID.randomUUID().toString());

        ExecutionEvent.ExecutionFailed failed = (ExecutionEvent.ExecutionFailed) events.get(events.size() - 1);
        assertThat(failed.error().kind()).isEqualTo(ErrorKind.CREDENTIALS);
        assertThat(failed.error().message()).contains("does not exist");
        assertThat(authorization.get()).as("the API was not called").isNull();
    }
}
