package io.weft.contracts.problems;

import java.net.URI;

/**
 * Every kind of error a Weft API answers with, as an RFC 9457 problem {@code type}. The URIs are
 * stable: clients may switch on them. The title is the same for every occurrence of a kind.
 */
public enum ProblemType {
    MALFORMED_REQUEST("malformed-request", "Malformed request", 400),
    VALIDATION_FAILED("validation-failed", "Request validation failed", 400),
    UNAUTHORIZED("unauthorized", "Authentication required", 401),
    FORBIDDEN("forbidden", "Not allowed", 403),
    NOT_FOUND("not-found", "Resource not found", 404),
    METHOD_NOT_ALLOWED("method-not-allowed", "Method not allowed", 405),
    NOT_ACCEPTABLE("not-acceptable", "Not acceptable", 406),
    CONFLICT("conflict", "Conflict with the current state", 409),
    PRECONDITION_FAILED("precondition-failed", "Precondition failed", 412),
    PAYLOAD_TOO_LARGE("payload-too-large", "Payload too large", 413),
    URI_TOO_LONG("uri-too-long", "Request path and query too long", 414),
    UNSUPPORTED_MEDIA_TYPE("unsupported-media-type", "Unsupported media type", 415),
    COMPILATION_FAILED("compilation-failed", "Workflow does not compile", 422),
    /** An {@code Idempotency-Key} sent again with another request than the one it first came with. */
    IDEMPOTENCY_KEY_REUSED("idempotency-key-reused", "Idempotency key used for another request", 422),
    PRECONDITION_REQUIRED("precondition-required", "Precondition required", 428),
    RATE_LIMITED("rate-limited", "Too many requests", 429),
    /** A tenant's allowance for a period is used up (its monthly language-model tokens); it renews, or a higher tier has more. */
    QUOTA_EXCEEDED("quota-exceeded", "Quota exceeded", 429),
    HEADERS_TOO_LARGE("headers-too-large", "Request headers too large", 431),
    INTERNAL("internal", "Internal error", 500),
    /** Stored data that fails its integrity check (e.g. ciphertext that does not authenticate): never served as if it were right. */
    DATA_INTEGRITY("data-integrity", "Stored data failed its integrity check", 500),
    BAD_GATEWAY("bad-gateway", "Upstream service failed", 502),
    DEPENDENCY_UNAVAILABLE("dependency-unavailable", "A dependency is unavailable", 503),
    UPSTREAM_TIMEOUT("upstream-timeout", "Upstream service timed out", 504);

    public static final String BASE_URI = "https://weft.dev/problems/";

    private final URI uri;
    private final String title;
    private final int status;

    ProblemType(String slug, String title, int status) {
        this.uri = URI.create(BASE_URI + slug);
        this.title = title;
        this.status = status;
    }

    public URI uri() {
        return uri;
    }

    public String title() {
        return title;
    }

    /** The HTTP status this kind answers with unless a caller has a better one. */
    public int status() {
        return status;
    }

    /** The kind that best describes a bare HTTP status, for errors raised without a kind. */
    public static ProblemType forStatus(int status) {
        for (ProblemType type : values()) {
            if (type.status == status && type != VALIDATION_FAILED) {
                return type;
            }
        }
        return status >= 500 ? INTERNAL : MALFORMED_REQUEST;
    }
}
