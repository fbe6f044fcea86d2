package io.weft.executor.nodes.ai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.output.FinishReason;
import dev.langchain4j.model.output.TokenUsage;
import io.weft.contracts.json.WeftJson;
import java.util.ArrayList;
import java.util.List;

/**
 * A model's answer as a node records it ({@link io.weft.executor.engine.NodeRun#recordCall}) and
 * reads it back in a later attempt: its text, its tool calls, the tokens it counted, the model and
 * why it stopped — what the agent goes on from.
 */
final class RecordedChat {
    private RecordedChat() {
    }

    static JsonNode record(ChatResponse response) {
        ObjectNode record = WeftJson.mapper().createObjectNode();
        AiMessage said = response.aiMessage();
        record.put("text", said == null ? null : said.text());
        ArrayNode calls = record.putArray("toolCalls");
        if (said != null && said.hasToolExecutionRequests()) {
            for (ToolExecutionRequest call : said.toolExecutionRequests()) {
                calls.addObject().put("id", call.id()).put("name", call.name()).put("arguments", call.arguments());
            }
        }
        TokenUsage usage = response.tokenUsage();
        if (usage != null) {
            record.putObject("usage").put("inputTokens", usage.inputTokenCount()).put("outputTokens", usage.outputTokenCount());
        }
        record.put("model", response.modelName());
        record.put("finishReason", response.finishReason() == null ? null : response.finishReason().name());
        return record;
    }

    static ChatResponse response(JsonNode record) {
        List<ToolExecutionRequest> calls = new ArrayList<>();
        for (JsonNode call : record.path("toolCalls")) {
            calls.add(ToolExecutionRequest.builder().id(text(call, "id")).name(text(call, "name")).arguments(text(call, "arguments"))
                    .build());
        }
        AiMessage.Builder said = AiMessage.builder().text(text(record, "text"));
        if (!calls.isEmpty()) {
            said.toolExecutionRequests(calls);
        }
        ChatResponse.Builder response = ChatResponse.builder().aiMessage(said.build()).modelName(text(record, "model"));
        JsonNode usage = record.path("usage");
        if (usage.isObject()) {
            response.tokenUsage(new TokenUsage(usage.path("inputTokens").isNumber() ? usage.path("inputTokens").asInt() : null,
                    usage.path("outputTokens").isNumber() ? usage.path("outputTokens").asInt() : null));
        }
        String finish = text(record, "finishReason");
        if (finish != null) {
            response.finishReason(FinishReason.valueOf(finish));
        }
        return response.build();
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }
}
