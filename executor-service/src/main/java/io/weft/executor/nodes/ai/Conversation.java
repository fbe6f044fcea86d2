package io.weft.executor.nodes.ai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.UserMessage;
import io.weft.contracts.json.WeftJson;
import io.weft.executor.ai.ConversationStore;
import io.weft.executor.engine.NodeRun;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** One session of an agent's memory, as one item of the agent sees it: its last messages, and the exchange it adds. */
record Conversation(ConversationStore store, String tenantId, String sessionKey, int window, Duration retention) {
    /** A message longer than this is cut before it is kept. */
    static final int MAX_KEPT_CHARS = 100_000;

    /**
     * The conversation as the item's first attempt read it (recorded as one of the node's calls): a
     * later attempt replays its calls against the same messages, whatever was added meanwhile.
     */
    List<ConversationStore.Message> history(NodeRun run, int index) {
        String key = "i" + index + ".history";
        Optional<JsonNode> recorded = run.recordedCall(key);
        if (recorded.isPresent()) {
            List<ConversationStore.Message> history = new ArrayList<>();
            recorded.get().forEach(message -> history.add(new ConversationStore.Message(message.path("role").asText(),
                    message.path("content").asText())));
            return history;
        }
        List<ConversationStore.Message> history = store.last(tenantId, sessionKey, window);
        ArrayNode record = WeftJson.mapper().createArrayNode();
        history.forEach(message -> record.addObject().put("role", message.role()).put("content", message.content()));
        run.recordCall(key, record);
        return history;
    }

    /** Adds the item's exchange to the conversation once, whichever attempt gets here. */
    void remember(NodeRun run, int index, String prompt, String answer) {
        String key = "i" + index + ".remembered";
        if (run.recordedCall(key).isEmpty()) {
            store.append(tenantId, sessionKey, List.of(new ConversationStore.Message("user", cut(prompt)),
                    new ConversationStore.Message("assistant", cut(answer == null ? "" : answer))), retention);
            run.recordCall(key, WeftJson.mapper().createObjectNode());
        }
    }

    static List<ChatMessage> asChat(List<ConversationStore.Message> messages) {
        List<ChatMessage> chat = new ArrayList<>();
        for (ConversationStore.Message message : messages) {
            chat.add("user".equals(message.role()) ? UserMessage.from(message.content()) : AiMessage.from(message.content()));
        }
        return chat;
    }

    private static String cut(String text) {
        return text.length() <= MAX_KEPT_CHARS ? text : text.substring(0, MAX_KEPT_CHARS);
    }
}
