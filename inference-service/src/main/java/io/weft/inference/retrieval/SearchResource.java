package io.weft.inference.retrieval;

import io.quarkus.security.Authenticated;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Uni;
import io.weft.contracts.identity.Role;
import io.weft.contracts.identity.Scope;
import io.weft.inference.knowledge.KnowledgeBase;
import io.weft.inference.knowledge.KnowledgeBaseIds;
import io.weft.inference.knowledge.KnowledgeBaseStore;
import io.weft.inference.retrieval.SearchViews.SearchRequest;
import io.weft.inference.retrieval.SearchViews.SearchResult;
import io.weft.platform.api.Paging;
import io.weft.platform.security.Caller;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.Duration;
import java.util.Set;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** Searching a knowledge base's chunks: by meaning, by words, or both fused. Another tenant's knowledge base answers 404. */
@Path("/api/inference/knowledge-bases/{knowledgeBase}/search")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
public class SearchResource {
    static final int MAX_QUERY = 2_000;
    static final int MAX_K = 100;
    static final double MAX_WEIGHT = 10;
    private static final Set<String> MODES = Set.of("hybrid", "vector", "text");
    private static final Duration STORE_TIMEOUT = Duration.ofSeconds(30);

    private final KnowledgeBaseStore bases;
    private final Search search;
    private final Caller caller;

    SearchResource(KnowledgeBaseStore bases, Search search, Caller caller) {
        this.bases = bases;
        this.search = search;
        this.caller = caller;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Blocking
    @Operation(summary = "The chunks that answer a query best: {query, k?, mode? (hybrid|vector|text), filter? ({key: value or [values]}),"
            + " vectorWeight?, textWeight?}; what is not given comes from the knowledge base's retrieval settings")
    public Uni<SearchResult> search(@PathParam("knowledgeBase") String knowledgeBase, SearchRequest body) {
        UUID tenant = caller.tenantFor(Role.VIEWER, Scope.DOCUMENTS_READ);
        UUID id = KnowledgeBaseIds.parse(knowledgeBase);
        if (body == null) {
            throw Paging.invalid("body", "must be a JSON object with a query");
        }
        String text = query(body.query());
        MetadataFilter filter = MetadataFilter.of(body.filter());
        // Awaited here, on the worker thread: the query is embedded before the search's statements are sent, and
        // embedding blocks (the in-process model computes, a provider's is called).
        KnowledgeBase base = bases.find(tenant, id).await().atMost(STORE_TIMEOUT).orElseThrow(KnowledgeBaseIds::notFound);
        Search.Query query = query(base, body, text, filter);
        return search.run(base, query).map(hits -> new SearchResult(text, query.mode(), query.k(), hits));
    }

    static String query(String query) {
        if (query == null || query.isBlank()) {
            throw Paging.invalid("query", "must not be blank");
        }
        return Paging.bounded("query", query.strip(), MAX_QUERY);
    }

    /** A search request as a query of {@code base}, checked (for what searches on behalf of another API, as ask does). */
    public static Search.Query query(KnowledgeBase base, SearchRequest body) {
        return query(base, body, query(body.query()), MetadataFilter.of(body.filter()));
    }

    /** The request's settings over the knowledge base's retrieval defaults, checked. */
    static Search.Query query(KnowledgeBase base, SearchRequest body, String text, MetadataFilter filter) {
        KnowledgeBase.Retrieval defaults = base.retrieval();
        String mode = body.mode() == null ? defaults.mode() : body.mode();
        if (!MODES.contains(mode)) {
            throw Paging.invalid("mode", "must be one of hybrid, text, vector");
        }
        int k = body.k() == null ? defaults.k() : body.k();
        if (k < 1 || k > MAX_K) {
            throw Paging.invalid("k", "must be between 1 and " + MAX_K);
        }
        double vectorWeight = weight("vectorWeight", body.vectorWeight() == null ? defaults.vectorWeight() : body.vectorWeight());
        double textWeight = weight("textWeight", body.textWeight() == null ? defaults.textWeight() : body.textWeight());
        if ("hybrid".equals(mode) && vectorWeight == 0 && textWeight == 0) {
            throw Paging.invalid("vectorWeight", "a hybrid search needs a weight above 0 on the vector or the text ranking");
        }
        return new Search.Query(text, k, mode, filter, vectorWeight, textWeight);
    }

    private static double weight(String parameter, double value) {
        if (!(value >= 0 && value <= MAX_WEIGHT)) {
            throw Paging.invalid(parameter, "must be between 0 and " + (int) MAX_WEIGHT);
        }
        return value;
    }
}
