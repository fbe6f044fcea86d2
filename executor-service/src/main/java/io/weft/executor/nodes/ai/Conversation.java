package io.weft.executor.nodes.ai;

import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.UserMessage;
import io.weft.executor.ai.ConversationStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** One session of an agent's memory: its last messages, and the exchanges added to it. */
record Conversation(ConversationStore store, String tenantId, String sessionKey, int window, Duration retention) {
    /** A message longer than this is cut before it is kept. */
    static final int MAX_KEPT_CHARS = 100_000;

    List<ConversationStore.Message> last() {
        return store.last(tenantId, sessionKey, window);
    }

    void remember(String prompt, String answer) {
        store.append(tenantId, sessionKey, List.of(new ConversationStore.Message("user", cut(prompt)),
                new ConversationStore.Message("assistant", cut(answer == null ? "" : answer))), retention);
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
