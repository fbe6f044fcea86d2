package io.weft.executor.nodes.ai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.weft.contracts.events.ErrorKind;
import io.weft.contracts.json.WeftJson;
import io.weft.executor.engine.Item;
import io.weft.executor.engine.NodeFailure;
import io.weft.executor.engine.NodeOutput;
import io.weft.executor.engine.NodeRun;
import io.weft.executor.knowledge.KnowledgeBaseDocuments;
import io.weft.executor.nodes.TypedNodeType;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Insert into Knowledge Base ({@code ai.vectorStore.insert}): each item becomes a document of a
 * knowledge base — its text, or one of its binaries (a PDF an HTTP Request downloaded) — uploaded
 * through inference-service's documents API and ingested as a user's upload is (a document of the
 * same name is replaced; unchanged text is not embedded again). All items are uploaded first, so
 * that their ingest runs side by side; then, unless told not to wait, the node waits for every job
 * and fails with the first job that failed and why (an empty text, an encrypted PDF).
 * <p>
 * Each upload's job is recorded as it is accepted ({@link NodeRun#recordCall}): a later attempt
 * waits for the same job instead of uploading again.
 */
@Singleton
public class VectorStoreInsertNode extends TypedNodeType<VectorStoreInsertNode.Parameters> {
    static final Duration POLL_EVERY = Duration.ofMillis(500);
    private static final Set<String> FINISHED = Set.of("succeeded", "failed", "superseded");

    public record Parameters(String knowledgeBaseId, String name, String text, String binaryProperty, String contentType,
                             JsonNode metadata, boolean waitForIngest) {
    }

    private final KnowledgeBaseDocuments documents;

    @Inject
    public VectorStoreInsertNode(KnowledgeBaseDocuments documents) {
        super("ai.vectorStore.insert", 1, Parameters.class);
        this.documents = documents;
    }

    @Override
    public boolean blocking() {
        return true;
    }

    @Override
    public NodeOutput run(NodeRun run) {
        List<Parameters> parameters = new ArrayList<>();
        List<JsonNode> jobs = new ArrayList<>();
        for (int index = 0; index < run.items().size(); index++) {
            Parameters item = parameters(run, index);
            parameters.add(item);
            jobs.add(uploaded(run, index, item));
        }
        List<Item> out = new ArrayList<>();
        for (int index = 0; index < jobs.size(); index++) {
            JsonNode job = parameters.get(index).waitForIngest() ? finished(run, parameters.get(index), jobs.get(index)) : jobs.get(index);
            out.add(Item.of(summary(job)));
        }
        return NodeOutput.main(out);
    }

    private JsonNode uploaded(NodeRun run, int index, Parameters parameters) {
        String call = "i" + index + ".upload";
        Optional<JsonNode> recorded = run.recordedCall(call);
        if (recorded.isPresent()) {
            return recorded.get();
        }
        String knowledgeBase = VectorStoreRetrieveNode.knowledgeBaseId(run, parameters.knowledgeBaseId());
        JsonNode job = documents.upload(run.tenantId(), knowledgeBase, upload(run, index, parameters));
        run.recordCall(call, job);
        return job;
    }

    private static KnowledgeBaseDocuments.Upload upload(NodeRun run, int index, Parameters parameters) {
        String node = "node \"" + run.node().name() + "\": ";
        if (parameters.name() == null || parameters.name().isBlank()) {
            throw new NodeFailure(ErrorKind.INVALID_PARAMETERS, false, node + "the document name of item " + index + " is empty");
        }
        boolean hasText = parameters.text() != null;
        boolean hasBinary = parameters.binaryProperty() != null && !parameters.binaryProperty().isBlank();
        if (hasText == hasBinary) {
            throw new NodeFailure(ErrorKind.INVALID_PARAMETERS, false, node + "give the document's text or its binaryProperty, not "
                    + (hasText ? "both" : "neither"));
        }
        if (hasText) {
            return new KnowledgeBaseDocuments.Upload(parameters.name(), parameters.contentType() != null ? parameters.contentType()
                    : "text/plain", parameters.text().getBytes(StandardCharsets.UTF_8), parameters.metadata());
        }
        Item item = run.items().get(index);
        String payload = item.binary().get(parameters.binaryProperty());
        if (payload == null) {
            throw new NodeFailure(ErrorKind.INVALID_PARAMETERS, false, node + "item " + index + " has no binary \""
                    + parameters.binaryProperty() + "\"" + (item.binary().isEmpty() ? "" : "; it has " + item.binary().keySet()));
        }
        byte[] content = run.payload(payload).orElseThrow(() -> new NodeFailure(ErrorKind.INTERNAL, false,
                node + "the binary \"" + parameters.binaryProperty() + "\" of item " + index + " names a payload that is not stored"));
        String type = parameters.contentType() != null ? parameters.contentType()
                : item.json().path("mimeType").asText("application/octet-stream");
        return new KnowledgeBaseDocuments.Upload(parameters.name(), type, content, parameters.metadata());
    }

    /** The job once it has finished; a failed one fails the node with its reason. */
    private JsonNode finished(NodeRun run, Parameters parameters, JsonNode job) {
        String knowledgeBase = VectorStoreRetrieveNode.knowledgeBaseId(run, parameters.knowledgeBaseId());
        while (!FINISHED.contains(job.path("status").asText())) {
            try {
                Thread.sleep(POLL_EVERY);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new NodeFailure(ErrorKind.CANCELLED, false, "node \"" + run.node().name() + "\" stopped waiting for the ingest of \""
                        + job.path("documentName").asText() + "\"");
            }
            job = documents.job(run.tenantId(), knowledgeBase, job.path("id").asText());
        }
        if ("failed".equals(job.path("status").asText())) {
            String code = job.path("error").path("code").asText("ingest-failed");
            boolean theDocument = Set.of("encrypted", "empty-text", "unreadable", "too-large", "unsupported-type").contains(code);
            throw new NodeFailure(theDocument ? ErrorKind.INVALID_PARAMETERS : ErrorKind.HTTP_SERVER_ERROR, false, "document \""
                    + job.path("documentName").asText() + "\" was not ingested (" + code + "): " + job.path("error").path("message").asText());
        }
        return job;
    }

    /** What the item says of its document: {@code {documentName, documentId, jobId, status, chunks, embedded, reused}}. */
    private static ObjectNode summary(JsonNode job) {
        ObjectNode summary = WeftJson.mapper().createObjectNode();
        summary.put("documentName", job.path("documentName").asText());
        summary.set("documentId", job.path("documentId").isTextual() ? job.get("documentId") : WeftJson.mapper().nullNode());
        summary.put("jobId", job.path("id").asText());
        summary.put("status", job.path("status").asText());
        JsonNode progress = job.path("progress");
        summary.set("chunks", progress.path("chunks").isNumber() ? progress.get("chunks") : WeftJson.mapper().nullNode());
        summary.put("embedded", progress.path("embedded").asInt());
        summary.put("reused", progress.path("reused").asInt());
        return summary;
    }
}
