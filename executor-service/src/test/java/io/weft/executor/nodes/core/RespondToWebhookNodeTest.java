package io.weft.executor.nodes.core;

import static io.weft.executor.engine.TestPlans.plan;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.weft.contracts.events.ErrorKind;
import io.weft.contracts.json.WeftJson;
import io.weft.contracts.plan.PlannedNode;
import io.weft.executor.engine.ExecutionOutcome;
import io.weft.executor.engine.Item;
import io.weft.executor.engine.PlanRunner;
import io.weft.executor.engine.RunControl;
import io.weft.executor.engine.RunInput;
import io.weft.executor.engine.RunListener;
import io.weft.executor.engine.WebhookResponse;
import io.weft.executor.expressions.ExpressionEvaluator;
import io.weft.executor.nodes.CoreNodeTypes;
import io.weft.executor.nodes.NodeCatalog;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RespondToWebhookNodeTest {
    private static final PlanRunner RUNNER = new PlanRunner(new NodeCatalog(CoreNodeTypes.ALL), new ExpressionEvaluator());

    private record Answered(ExecutionOutcome outcome, List<WebhookResponse> responses) {
    }

    private static Answered respond(String parameters) {
        List<WebhookResponse> responses = new ArrayList<>();
        RunListener listener = new RunListener() {
            @Override
            public void webhookResponse(PlannedNode node, WebhookResponse response) {
                responses.add(response);
            }
        };
        ObjectNode first = WeftJson.mapper().createObjectNode().put("order", "A-1").put("total", 12);
        ObjectNode second = WeftJson.mapper().createObjectNode().put("order", "A-2").put("total", 3);
        ExecutionOutcome outcome = RUNNER.run(plan()
                .node("hook", "trigger.webhook", "{}")
                .node("respond", "core.respondToWebhook", parameters)
                .node("after", "core.set", "{\"fields\":[{\"name\":\"after\",\"value\":true}]}")
                .connect("hook", "main", "respond", "main")
                .connect("respond", "main", "after", "main")
                .build(), new RunInput("t", "e", "w", null, List.of(Item.of(first), Item.of(second)),
                WeftJson.mapper().createObjectNode(), Clock.systemUTC()), Map.of(), listener, new RunControl());
        return new Answered(outcome, responses);
    }

    @Test
    void answersWithTheFirstItemByDefaultAndPassesItsItemsOn() {
        Answered answered = respond("{}");

        assertThat(answered.outcome().succeeded()).isTrue();
        assertThat(answered.responses()).singleElement().satisfies(response -> {
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body().toString()).isEqualTo("{\"order\":\"A-1\",\"total\":12}");
            assertThat(response.contentType()).isEqualTo("application/json");
        });
        assertThat(answered.outcome().node("after").output().all()).hasSize(2);
    }

    @Test
    void answersWithAllItemsJsonTextOrNothing() {
        assertThat(respond("{\"respondWith\":\"allItems\"}").responses().get(0).body()).hasSize(2);
        WebhookResponse json = respond("{\"respondWith\":\"json\",\"statusCode\":201,\"json\":{\"id\":\"{{ $json.order }}\"},"
                + "\"headers\":{\"X-Order\":\"{{ $json.order }}\"}}").responses().get(0);
        assertThat(json.statusCode()).isEqualTo(201);
        assertThat(json.body().toString()).isEqualTo("{\"id\":\"A-1\"}");
        assertThat(json.headers()).containsEntry("X-Order", "A-1");
        WebhookResponse text = respond("{\"respondWith\":\"text\",\"text\":\"total {{ $json.total }}\"}").responses().get(0);
        assertThat(text.body().asText()).isEqualTo("total 12");
        assertThat(text.contentType()).startsWith("text/plain");
        WebhookResponse none = respond("{\"respondWith\":\"noData\",\"statusCode\":204}").responses().get(0);
        assertThat(none.body()).isNull();
        assertThat(none.contentType()).isNull();
    }

    @Test
    void refusesHeadersThatWouldBreakTheResponseAndBadStatuses() {
        for (String parameters : List.of(
                "{\"headers\":{\"X-Evil\":\"a\\r\\nSet-Cookie: session=stolen\"}}",
                "{\"headers\":{\"Bad Name\":\"x\"}}",
                "{\"headers\":{\"X-Nul\":\"a\\u0000b\"}}",
                "{\"statusCode\":42}",
                "{\"respondWith\":\"everything\"}")) {
            Answered answered = respond(parameters);
            assertThat(answered.outcome().succeeded()).as(parameters).isFalse();
            assertThat(answered.outcome().node("respond").error().kind()).as(parameters).isEqualTo(ErrorKind.INVALID_PARAMETERS);
            assertThat(answered.responses()).as(parameters).isEmpty();
        }
    }

    @Test
    void refusesAnswersTooLargeForAnEvent() {
        Answered answered = respond("{\"respondWith\":\"text\",\"text\":\"" + "x".repeat(RespondToWebhookNode.MAX_BODY_BYTES + 1) + "\"}");
        assertThat(answered.outcome().node("respond").error().getMessage()).contains("larger than");
    }
}
