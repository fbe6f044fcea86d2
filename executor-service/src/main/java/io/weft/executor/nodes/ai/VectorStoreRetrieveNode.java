package io.weft.executor.nodes.ai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.weft.contracts.events.ErrorKind;
import io.weft.contracts.json.WeftJson;
import io.weft.executor.engine.Item;
import io.weft.executor.engine.NodeFailure;
import io.weft.executor.engine.NodeOutput;
import io.weft.executor.engine.NodeRun;
import io.weft.executor.knowledge.KnowledgeBaseSearch;
import io.weft.executor.nodes.TypedNodeType;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.List;

/**
 * Retrieve from Knowledge Base ({@code ai.vectorStore.retrieve}): searches one of the tenant's
 * knowledge bases with each item's query (inference-service's search: by meaning, words or both,
 * with a metadata filter) and puts out the item's query with the chunks found, best first — to
 * feed an LLM chain's prompt, or anything else.
 */
@Singleton
public class VectorStoreRetrieveNode extends TypedNodeType<VectorStoreRetrieveNode.Parameters> {

    public record Parameters(String knowledgeBaseId, String query, Integer k, String mode, JsonNode filter) {
    }

    private final KnowledgeBaseSearch knowledge;

    @Inject
    public VectorStoreRetrieveNode(KnowledgeBaseSearch knowledge) {
        super("ai.vectorStore.retrieve", 1, Parameters.class);
        this.knowledge = knowledge;
    }

    @Override
    public boolean blocking() {
        return true;
    }

    @Override
    public NodeOutput run(NodeRun run) {
        List<Item> out = new ArrayList<>();
        for (int i = 0; i < run.items().size(); i++) {
            Parameters parameters = parameters(run, i);
            out.add(Item.of(found(knowledge, run, parameters.knowledgeBaseId(), parameters.query(),
                    new KnowledgeBaseSearch.Request(parameters.query(), parameters.k(), parameters.mode(), parameters.filter()))));
        }
        return NodeOutput.main(out);
    }

    /** The query and what the search found for it: {@code {query, hits: [...]}}. */
    static ObjectNode found(KnowledgeBaseSearch knowledge, NodeRun run, String knowledgeBaseId, String query,
                            KnowledgeBaseSearch.Request request) {
        if (knowledge == null) {
            throw new NodeFailure(ErrorKind.INTERNAL, false, "node \"" + run.node().name() + "\": this executor cannot reach knowledge bases");
        }
        if (query == null || query.isBlank()) {
            throw new NodeFailure(ErrorKind.INVALID_PARAMETERS, false, "node \"" + run.node().name() + "\": the query is empty");
        }
        ObjectNode result = WeftJson.mapper().createObjectNode().put("query", query);
        result.set("hits", knowledge.search(run.tenantId(), knowledgeBaseId(run, knowledgeBaseId), request));
        return result;
    }

    /** The parameter as a knowledge base's id (a UUID), or the node's failure: nothing else reaches a path of inference-service. */
    static String knowledgeBaseId(NodeRun run, String knowledgeBaseId) {
        String id = knowledgeBaseId == null ? "" : knowledgeBaseId.strip();
        try {
            return java.util.UUID.fromString(id).toString();
        } catch (IllegalArgumentException e) {
            throw new NodeFailure(ErrorKind.INVALID_PARAMETERS, false, "node \"" + run.node().name() + "\": knowledgeBaseId is not a"
                    + " knowledge base's id: " + (id.length() > 80 ? id.substring(0, 80) + "…" : id));
        }
    }
}
