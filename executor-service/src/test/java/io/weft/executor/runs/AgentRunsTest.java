package io.weft.executor.runs;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.weft.executor.nodes.ai.OpenAiReplica;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/**
 * What the tests of AI agents run through real Kafka and PostgreSQL share: a WireMock replica of
 * OpenAI's API (and of the tools' endpoints) on loopback, and the tenant's {@code openAiApi}
 * credential pointing at it.
 */
abstract class AgentRunsTest extends KafkaRunsTest {
    static WireMockServer provider;
    static String base;
    final String credentialId = UUID.randomUUID().toString();

    @BeforeAll
    static void startProvider() {
        provider = OpenAiReplica.start();
        base = "http://127.0.0.1:" + provider.port();
    }

    @AfterAll
    static void stopProvider() {
        provider.stop();
    }

    @BeforeEach
    void providerCredential() {
        provider.resetAll();
        FakeCompilerPlans.CREDENTIALS.put(tenant + ":" + credentialId, "{\"id\":\"" + credentialId + "\",\"type\":\"openAiApi\","
                + "\"revision\":1,\"data\":{\"apiKey\":\"sk-agent-runs-test\",\"baseUrl\":\"" + base + "/v1\"}}");
    }
}
