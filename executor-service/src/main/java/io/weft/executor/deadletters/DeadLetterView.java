package io.weft.executor.deadletters;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.Map;

/**
 * A dead letter as the API shows it. The list leaves out the payload and headers; one letter
 * carries them: the payload as text when it is UTF-8 (a JSON event usually is), otherwise as
 * base64.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DeadLetterView(String id, String executionId, String sourceTopic, int sourcePartition, long sourceOffset,
                             String reason, String message, String status, int attempts, Instant createdAt,
                             String handledBy, Instant handledAt, String payload, String payloadBase64,
                             Map<String, String> headers) {
}
