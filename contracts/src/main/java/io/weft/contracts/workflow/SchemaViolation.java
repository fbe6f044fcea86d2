package io.weft.contracts.workflow;

/**
 * One way a JSON document breaks its schema.
 *
 * @param pointer JSON Pointer (RFC 6901) to the offending value, {@code ""} for the document
 * @param keyword the schema keyword that failed, e.g. {@code required}
 */
public record SchemaViolation(String pointer, String keyword, String message) {
}
