package io.weft.executor.runs;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.pubsub.ReactivePubSubCommands;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.weft.contracts.events.ExecutionEvent;
import io.weft.contracts.events.ExecutionRequested;
import io.weft.contracts.events.TriggerKind;
import io.weft.contracts.json.WeftJson;
import io.weft.contracts.live.TokenChunk;
import io.weft.contracts.plan.ExecutionPlan;
import io.weft.executor.engine.TestPlans;
import io.weft.executor.nodes.ai.OpenAiReplica;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * An agent that streams: its model's answers are read as OpenAI streams them (tool calls whose
 * arguments come in pieces, then text), the text is published in chunks on the execution's Redis
 * channel while the run goes on, and the output and events hold the whole answer once.
 */
@QuarkusTest
@QuarkusTestResource(value = FakeCompilerPlans.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = SkipOldRequests.class, restrictToAnnotatedClass = false)
class AgentStreamingTest extends AgentRunsTest {

    @Inject
    ReactiveRedisDataSource redis;

    @Test
    void aStreamingAgentPublishesItsAnswersTokensOnTheExecutionsChannelAndStoresTheAnswerOnce() throws Exception {
        provider.stubFor(get(urlPathEqualTo("/weather")).willReturn(aResponse().withHeader("Content-Type", "application/json")
                .withBody("{\"celsius\":18}")));
        OpenAiReplica.says(provider, OpenAiReplica.streamedToolCall("call_1", "Weather", "{\"ci", "ty\":\"Par", "is\"}"),
                OpenAiReplica.streamedAnswer("It is ", "18 °C ", "in Paris."));
        ExecutionPlan plan = TestPlans.plan()
                .node("start", "trigger.manual", "{}")
                .node("model", "ai.chatModel.openAi", "{}")
                .node("agent", "ai.agent", "{\"prompt\":\"Weather in Paris?\",\"streamTokens\":true}")
                .node("weather", "core.httpRequest", "{\"url\":\"" + base + "/weather?city={{ $fromAI('city') }}\"}")
                .withCredential("model", "openAiApi", credentialId)
                .connect("start", "main", "agent", "main")
                .connect("model", "ai_languageModel", "agent", "ai_languageModel")
                .connect("weather", "ai_tool", "agent", "ai_tool")
                .build();
        String execution = "exec-" + UUID.randomUUID();
        List<TokenChunk> chunks = Collections.synchronizedList(new ArrayList<>());
        ReactivePubSubCommands<String> pubsub = redis.pubsub(String.class);
        var subscriber = pubsub.subscribe(TokenChunk.channel(tenant, execution), message -> {
            try {
                chunks.add(WeftJson.mapper().readValue(message, TokenChunk.class));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }).await().atMost(Duration.ofSeconds(5));
        try {
            FakeCompilerPlans.publish(tenant, plan);
            kafka.send(new ExecutionRequested(UUID.randomUUID().toString(), tenant, execution, "wf-1", 3, plan.hash(), TriggerKind.MANUAL,
                    "start", WeftJson.mapper().createObjectNode(), "user-1", null, null, Instant.now(), null, null));
            List<ExecutionEvent> events = kafka.untilTerminal(execution, WITHIN);

            JsonNode answer = ((ExecutionEvent.ExecutionSucceeded) events.getLast()).outputPreview();
            assertThat(answer.path("text").asText()).isEqualTo("It is 18 °C in Paris.");
            assertThat(answer.path("usage").path("inputTokens").asInt()).as("both streamed calls' usage chunks").isEqualTo(130);
            provider.verify(1, getRequestedFor(urlPathEqualTo("/weather")).withQueryParam("city", equalTo("Paris")));
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (String.join("", chunks.stream().map(TokenChunk::text).toList()).length() < answer.path("text").asText().length()
                    && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(String.join("", chunks.stream().map(TokenChunk::text).toList())).isEqualTo("It is 18 °C in Paris.");
            assertThat(chunks).allMatch(chunk -> chunk.nodeId().equals("agent") && chunk.item() == 0);
            assertThat(chunks.stream().map(TokenChunk::sequence).toList()).as("numbered in order from 1")
                    .isEqualTo(java.util.stream.IntStream.rangeClosed(1, chunks.size()).boxed().toList());
            assertThat(events.toString()).as("no event carries a chunk").doesNotContain("node.tokens");
        } finally {
            subscriber.unsubscribe().await().atMost(Duration.ofSeconds(5));
        }
    }
}
