package io.weft.inference.answers;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.security.Authenticated;
import io.smallrye.common.annotation.Blocking;
import io.weft.contracts.identity.Role;
import io.weft.contracts.identity.Scope;
import io.weft.contracts.json.WeftJson;
import io.weft.inference.answers.AskViews.AskAnswer;
import io.weft.inference.answers.AskViews.AskRequest;
import io.weft.inference.knowledge.KnowledgeBase;
import io.weft.inference.knowledge.KnowledgeBaseIds;
import io.weft.inference.knowledge.KnowledgeBaseStore;
import io.weft.inference.retrieval.Search;
import io.weft.inference.retrieval.SearchResource;
import io.weft.inference.retrieval.SearchViews.SearchRequest;
import io.weft.inference.tenants.TenantTiers;
import io.weft.platform.api.Paging;
import io.weft.platform.security.Caller;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.Duration;
import java.util.OptionalLong;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * Answers from a knowledge base: the question is searched, the chunks close enough to it become
 * numbered sources, and the tenant's chat model answers from them with citations — or the answer
 * says the documents do not hold one. The model call is charged to the tenant's monthly token budget,
 * as a run's are ({@link TokenMeter}). Another tenant's knowledge base answers 404.
 */
@Path("/api/inference/knowledge-bases/{knowledgeBase}/ask")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
public class AskResource {
    static final int DEFAULT_K = 4;
    static final int MAX_K = 20;
    static final double DEFAULT_MIN_SIMILARITY = 0.3;
    static final String NOT_FOUND_ANSWER = "I could not find the answer in the documents.";
    private static final Duration STORE_TIMEOUT = Duration.ofSeconds(30);

    private final KnowledgeBaseStore bases;
    private final Search search;
    private final GroundedAnswers answers;
    private final Caller caller;
    private final TenantTiers tiers;
    private final TokenMeter meter;

    AskResource(KnowledgeBaseStore bases, Search search, GroundedAnswers answers, Caller caller, TenantTiers tiers, TokenMeter meter) {
        this.bases = bases;
        this.search = search;
        this.answers = answers;
        this.caller = caller;
        this.tiers = tiers;
        this.meter = meter;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Blocking
    @Operation(summary = "An answer from the knowledge base's documents, with citations: {question, credentialId (openAiApi, googleGeminiApi"
            + " or ollamaApi), model?, temperature?, k? (4), mode?, filter?, minSimilarity? (0.3), instructions?, notFoundAnswer?}."
            + " found is false, and no model is asked, when no chunk is close enough to the question")
    public AskAnswer ask(@PathParam("knowledgeBase") String knowledgeBase, AskRequest body) {
        UUID tenant = caller.tenantFor(Role.VIEWER, Scope.DOCUMENTS_READ);
        UUID id = KnowledgeBaseIds.parse(knowledgeBase);
        GroundedAnswers.Question question = question(body);
        KnowledgeBase base = bases.find(tenant, id).await().atMost(STORE_TIMEOUT).orElseThrow(KnowledgeBaseIds::notFound);
        Search.Query query = SearchResource.query(base, new SearchRequest(body.question(), body.k() == null ? DEFAULT_K : body.k(),
                body.mode(), body.filter(), null, null));
        JsonNode hits = WeftJson.mapper().valueToTree(search.run(base, query).await().atMost(STORE_TIMEOUT));
        OptionalLong budget = meter.budgetOf(tiers.of(caller, tenant).await().atMost(STORE_TIMEOUT));
        return answers.answer(tenant, budget, base, question, hits);
    }

    private static GroundedAnswers.Question question(AskRequest body) {
        if (body == null) {
            throw Paging.invalid("body", "must be a JSON object with a question and a credentialId");
        }
        if (body.k() != null && (body.k() < 1 || body.k() > MAX_K)) {
            throw Paging.invalid("k", "must be between 1 and " + MAX_K);
        }
        double minSimilarity = body.minSimilarity() == null ? DEFAULT_MIN_SIMILARITY : body.minSimilarity();
        if (!(minSimilarity >= 0 && minSimilarity <= 1)) {
            throw Paging.invalid("minSimilarity", "must be between 0 and 1");
        }
        if (body.temperature() != null && !(body.temperature() >= 0 && body.temperature() <= 2)) {
            throw Paging.invalid("temperature", "must be between 0 and 2");
        }
        if (body.credentialId() == null || body.credentialId().isBlank()) {
            throw Paging.invalid("credentialId", "must be given: the id of an openAiApi, googleGeminiApi or ollamaApi credential");
        }
        UUID credential;
        try {
            credential = UUID.fromString(body.credentialId().strip());
        } catch (IllegalArgumentException e) {
            throw Paging.invalid("credentialId", "is not a credential's id");
        }
        String model = body.model() == null || body.model().isBlank() ? null : Paging.bounded("model", body.model().strip(), 200);
        String instructions = body.instructions() == null ? null : Paging.bounded("instructions", body.instructions(), 10_000);
        String notFound = body.notFoundAnswer() == null || body.notFoundAnswer().isBlank() ? NOT_FOUND_ANSWER
                : Paging.bounded("notFoundAnswer", body.notFoundAnswer(), 2_000);
        if (body.question() == null || body.question().isBlank()) {
            throw Paging.invalid("question", "must not be blank");
        }
        return new GroundedAnswers.Question(Paging.bounded("question", body.question().strip(), 2_000), credential, model, body.temperature(),
                minSimilarity, instructions, notFound);
    }
}
