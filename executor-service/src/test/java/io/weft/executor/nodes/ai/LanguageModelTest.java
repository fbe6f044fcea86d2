package io.weft.executor.nodes.ai;

import static org.assertj.core.api.Assertions.assertThat;

import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import org.junit.jupiter.api.Test;

class LanguageModelTest {

    @Test
    void aCallsEstimateGrowsWithItsPromptAndIncludesTheAnswersLimit() {
        ChatRequest greeting = ChatRequest.builder().messages(UserMessage.from("Hi")).build();
        ChatRequest document = ChatRequest.builder().messages(SystemMessage.from("You answer briefly."),
                UserMessage.from("x".repeat(4_000))).build();
        ChatRequest limited = ChatRequest.builder().messages(UserMessage.from("Hi")).maxOutputTokens(500).build();

        assertThat(LanguageModel.estimatedTokens(greeting)).isPositive().isLessThan(50);
        assertThat(LanguageModel.estimatedTokens(document)).as("about four characters a token").isBetween(1_000L, 1_100L);
        assertThat(LanguageModel.estimatedTokens(limited)).isEqualTo(LanguageModel.estimatedTokens(greeting) + 500);
    }
}
