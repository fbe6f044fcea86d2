package io.weft.executor.knowledge;

import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.weft.contracts.events.ErrorKind;
import io.weft.contracts.json.WeftJson;
import io.weft.executor.engine.NodeFailure;
import io.weft.platform.security.ServiceCalls;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;

/**
 * Uploads documents to a tenant's knowledge base and reads their ingest jobs, through
 * inference-service's documents API ({@link InferenceApi}, scope {@code documents:write}): the
 * same checks (type, size, metadata) and the same asynchronous ingest as a user's upload.
 */
@ApplicationScoped
public class KnowledgeBaseDocuments {
    private final InferenceApi inference;

    KnowledgeBaseDocuments(InferenceApi inference) {
        this.inference = inference;
    }

    /** What to upload: the document's name (uploading a name again replaces it), its type, its bytes and its metadata. */
    public record Upload(String name, String contentType, byte[] content, JsonNode metadata) {
    }

    /** Uploads one document; the answer is its ingest job (inference-service's job view). */
    public JsonNode upload(String tenantId, String knowledgeBaseId, Upload upload) {
        String boundary = "weft-" + UUID.randomUUID();
        Buffer body = Buffer.buffer();
        part(body, boundary, "form-data; name=\"file\"; filename=\"" + fileName(upload.name()) + "\"", upload.contentType())
                .appendBytes(upload.content()).appendString("\r\n");
        part(body, boundary, "form-data; name=\"name\"", "text/plain; charset=UTF-8").appendString(upload.name(), "UTF-8")
                .appendString("\r\n");
        if (upload.metadata() != null && !upload.metadata().isNull() && !upload.metadata().isEmpty()) {
            part(body, boundary, "form-data; name=\"metadata\"", "application/json").appendString(upload.metadata().toString(), "UTF-8")
                    .appendString("\r\n");
        }
        body.appendString("--" + boundary + "--\r\n");
        ServiceCalls.Answer answer = inference.call(HttpMethod.POST, "/api/inference/knowledge-bases/" + knowledgeBaseId + "/documents",
                tenantId, knowledgeBaseId, Map.of("Content-Type", "multipart/form-data; boundary=" + boundary), body, "written to");
        return job(answer);
    }

    /** The ingest job {@code jobId} as it stands now. */
    public JsonNode job(String tenantId, String knowledgeBaseId, String jobId) {
        return job(inference.call(HttpMethod.GET, "/api/inference/knowledge-bases/" + knowledgeBaseId + "/jobs/" + jobId, tenantId,
                knowledgeBaseId, Map.of(), null, "read"));
    }

    private static Buffer part(Buffer body, String boundary, String disposition, String contentType) {
        return body.appendString("--" + boundary + "\r\nContent-Disposition: " + disposition + "\r\nContent-Type: " + contentType
                + "\r\n\r\n");
    }

    /** The name as a multipart header can carry it: the real name travels in its own part, in UTF-8. */
    private static String fileName(String name) {
        String plain = name.replaceAll("[^A-Za-z0-9._ -]", "_");
        return plain.getBytes(StandardCharsets.UTF_8).length > 200 ? plain.substring(0, 200) : plain;
    }

    private static JsonNode job(ServiceCalls.Answer answer) {
        try {
            JsonNode job = WeftJson.mapper().readTree(answer.body().toString());
            if (job.path("id").isTextual() && job.path("status").isTextual()) {
                return job;
            }
        } catch (Exception e) {
            // said below
        }
        throw new NodeFailure(ErrorKind.INTERNAL, false, "inference-service answered without the ingest job");
    }
}
