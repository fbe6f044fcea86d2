package io.weft.executor.nodes.ai;

import com.fasterxml.jackson.databind.JsonNode;
import io.weft.contracts.expressions.FromAi;
import io.weft.executor.engine.Item;
import io.weft.executor.engine.NodeOutput;
import io.weft.executor.engine.NodeRun;
import io.weft.executor.knowledge.KnowledgeBaseSearch;
import io.weft.executor.nodes.TypedNodeType;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Knowledge Base Tool ({@code ai.tool.vectorStore}), a sub-node: an agent's model searches one of the
 * tenant's knowledge bases with a query it writes itself (the tool's {@code query} input), and is
 * given the chunks found — their document, text and score — to answer from and cite.
 */
@Singleton
public class VectorStoreToolNode extends TypedNodeType<VectorStoreToolNode.Parameters> {
    static final FromAi QUERY = new FromAi("query", "what to look for in the knowledge base: a question or key words", "string", null);

    public record Parameters(String knowledgeBaseId, String toolDescription, Integer k, String mode, JsonNode filter) {
    }

    private final KnowledgeBaseSearch knowledge;

    @Inject
    public VectorStoreToolNode(KnowledgeBaseSearch knowledge) {
        super("ai.tool.vectorStore", 1, Parameters.class);
        this.knowledge = knowledge;
    }

    @Override
    public boolean blocking() {
        return true;
    }

    @Override
    public Map<String, FromAi> toolInputs(JsonNode parameters) {
        Map<String, FromAi> inputs = new LinkedHashMap<>(super.toolInputs(parameters));
        inputs.put(QUERY.key(), QUERY);
        return inputs;
    }

    @Override
    public NodeOutput run(NodeRun run) {
        JsonNode arguments = run.toolArguments();
        String query = arguments == null ? null : arguments.path(QUERY.key()).asText(null);
        List<Item> out = new ArrayList<>();
        for (int i = 0; i < run.items().size(); i++) {
            Parameters parameters = parameters(run, i);
            out.add(Item.of(VectorStoreRetrieveNode.found(knowledge, run, parameters.knowledgeBaseId(), query,
                    new KnowledgeBaseSearch.Request(query, parameters.k(), parameters.mode(), parameters.filter()))));
        }
        return NodeOutput.main(out);
    }
}
