package io.weft.inference.answers;

import com.fasterxml.jackson.databind.JsonNode;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.output.TokenUsage;
import io.weft.inference.answers.AskViews.AskAnswer;
import io.weft.inference.answers.AskViews.Usage;
import io.weft.inference.knowledge.KnowledgeBase;
import io.weft.inference.providers.ProviderCredentials;
import io.weft.inference.providers.ProviderFailures;
import io.weft.inference.providers.ProviderModels;
import io.weft.platform.rag.GroundedAnswer;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.UUID;

/**
 * An answer from the chunks a search found: those close enough to the question become numbered
 * sources ({@link GroundedAnswer}, as the executor's Question and Answer Chain gives them), the
 * tenant's model answers from them, and its citations are resolved to documents, chunks and
 * offsets. With no chunk close enough, no credential is read and no model is asked.
 */
@ApplicationScoped
public class GroundedAnswers {
    private static final Duration CREDENTIAL_TIMEOUT = Duration.ofSeconds(15);

    /** A checked question and how to answer it. */
    public record Question(String text, UUID credentialId, String model, Double temperature, double minSimilarity, String instructions,
                           String notFoundAnswer) {
    }

    private final ProviderCredentials credentials;
    private final ProviderModels models;
    private final TokenMeter meter;

    GroundedAnswers(ProviderCredentials credentials, ProviderModels models, TokenMeter meter) {
        this.credentials = credentials;
        this.models = models;
        this.meter = meter;
    }

    /**
     * Blocks on the provider: call it off the event loop. The model call is charged to the tenant's
     * monthly {@code budget} (empty: none).
     */
    public AskAnswer answer(UUID tenant, OptionalLong budget, KnowledgeBase base, Question question, JsonNode hits) {
        long started = System.nanoTime();
        List<JsonNode> sources = GroundedAnswer.sources(hits, question.minSimilarity());
        if (sources.isEmpty()) {
            return new AskAnswer(question.text(), question.notFoundAnswer(), false, List.of(), 0, List.of(), null, null,
                    new Usage(null, null, null), millisSince(started));
        }
        ProviderCredentials.Resolved credential = credentials.resolve(tenant, question.credentialId(), "ask:" + base.id())
                .await().atMost(CREDENTIAL_TIMEOUT);
        ProviderModels.Model model = models.model(credential, question.model(), question.temperature());
        ChatRequest request = ChatRequest.builder().messages(SystemMessage.from(GroundedAnswer.instructions(question.instructions())),
                UserMessage.from(GroundedAnswer.prompt(sources, question.text()))).build();
        TokenMeter.Reservation reservation = meter.reserve(tenant, budget, estimatedTokens(request));
        ChatResponse response;
        try {
            response = model.chat().chat(request);
        } catch (RuntimeException e) {
            meter.settle(tenant, reservation, 0);
            throw ProviderFailures.of(model.provider(), model.name(), e);
        }
        TokenUsage counted = response.tokenUsage();
        meter.settle(tenant, reservation, counted == null ? 0 : (counted.inputTokenCount() == null ? 0 : counted.inputTokenCount())
                + (counted.outputTokenCount() == null ? 0 : counted.outputTokenCount()));
        String text = response.aiMessage() == null ? null : response.aiMessage().text();
        GroundedAnswer.Reading reading = GroundedAnswer.read(text, sources.size());
        List<JsonNode> citations = new ArrayList<>();
        reading.cited().forEach(number -> citations.add(GroundedAnswer.citation(number, sources.get(number - 1))));
        String modelName = response.modelName() != null ? response.modelName() : model.name();
        return new AskAnswer(question.text(), reading.found() ? text : question.notFoundAnswer(), reading.found(), citations, sources.size(),
                reading.madeUp(), model.provider(), modelName, usage(response.tokenUsage()), millisSince(started));
    }

    /** The prompt at about four characters a token, as the executor estimates its model calls; the settlement corrects it. */
    private static long estimatedTokens(ChatRequest request) {
        long characters = 0;
        for (ChatMessage message : request.messages()) {
            characters += String.valueOf(message).length();
        }
        return (characters + 3) / 4;
    }

    private static Usage usage(TokenUsage usage) {
        return usage == null ? new Usage(null, null, null)
                : new Usage(usage.inputTokenCount(), usage.outputTokenCount(), usage.totalTokenCount());
    }

    private static long millisSince(long started) {
        return (System.nanoTime() - started) / 1_000_000;
    }
}
