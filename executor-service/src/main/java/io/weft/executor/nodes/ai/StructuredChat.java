package io.weft.executor.nodes.ai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Schema;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.output.TokenUsage;
import io.weft.contracts.events.ErrorKind;
import io.weft.executor.ai.StructuredAnswers;
import io.weft.executor.engine.NodeFailure;
import java.util.ArrayList;
import java.util.List;

/**
 * A conversation whose answer must be a JSON value that fits a schema: asked, read tolerantly,
 * sent back with what is wrong up to {@code maxRepairs} times, then an {@code OUTPUT_SCHEMA}
 * failure with the last answer as it came. Shared by the nodes that want structured answers.
 */
final class StructuredChat {
    static final int RAW_ANSWER_CHARS = 2_000;

    private StructuredChat() {
    }

    /**
     * @param value   the answer, read and checked
     * @param repairs how many times it was sent back
     * @param usage   the tokens of every round
     */
    record Answer(JsonNode value, int repairs, TokenUsage usage, ChatResponse last, long durationMs) {
        /** The model, provider, tokens and time of the answer, for the node's item. */
        ObjectNode describe(LanguageModel model) {
            ObjectNode json = LlmChainNode.answer(model, last, durationMs);
            json.remove("text");
            LlmChainNode.usage(json, usage);
            json.put("repairs", repairs);
            return json;
        }
    }

    static Answer ask(String nodeName, LanguageModel model, List<ChatMessage> conversation, Schema schema, int maxRepairs) {
        List<ChatMessage> messages = new ArrayList<>(conversation);
        TokenUsage usage = null;
        long started = System.nanoTime();
        String answer = null;
        StructuredAnswers.Reading reading = null;
        for (int round = 0; round <= maxRepairs; round++) {
            ChatResponse response = model.chat(ChatRequest.builder().messages(messages).build());
            usage = TokenUsage.sum(usage, response.tokenUsage());
            answer = response.aiMessage() == null ? null : response.aiMessage().text();
            reading = StructuredAnswers.read(answer, schema);
            if (reading.fits()) {
                return new Answer(reading.value(), round, usage, response, (System.nanoTime() - started) / 1_000_000);
            }
            messages.add(AiMessage.from(answer == null ? "" : answer));
            messages.add(UserMessage.from("Your answer does not fit the schema: " + String.join("; ", reading.problems())
                    + ". Answer again with only the corrected JSON value."));
        }
        String raw = answer == null ? "" : answer.length() > RAW_ANSWER_CHARS ? answer.substring(0, RAW_ANSWER_CHARS) + "…" : answer;
        throw new NodeFailure(ErrorKind.OUTPUT_SCHEMA, false, "node \"" + nodeName + "\": the model's answer does not fit the"
                + " schema after " + maxRepairs + " repair" + (maxRepairs == 1 ? "" : "s") + ": "
                + String.join("; ", reading.problems()) + "; its last answer: " + raw);
    }
}
