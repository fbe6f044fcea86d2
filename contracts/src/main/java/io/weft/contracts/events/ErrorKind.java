package io.weft.contracts.events;

/** What went wrong in a node, independent of its message text. */
public enum ErrorKind {
    TIMEOUT(true),
    CONNECTION(true),
    HTTP_CLIENT_ERROR(false),
    HTTP_SERVER_ERROR(true),
    RATE_LIMITED(true),
    EXPRESSION(false),
    SCRIPT(false),
    INVALID_PARAMETERS(false),
    CREDENTIALS(false),
    CANCELLED(false),
    USER_ERROR(false),
    /** A model's answer did not fit the schema asked for, even after the repairs allowed. */
    OUTPUT_SCHEMA(false),
    /** An agent reached its iteration limit without a final answer. */
    ITERATION_LIMIT(false),
    /** A budget (e.g. the tenant's LLM tokens this month) would be exceeded; nothing was called. */
    QUOTA(false),
    /** Text that reaches a prompt was judged an injection attempt and the guard blocks it. */
    PROMPT_INJECTION(false),
    /** The provider refused to answer because of its content filter. */
    CONTENT_FILTERED(false),
    /** What the node named does not exist at the service it called (a channel, a message, a user). */
    NOT_FOUND(false),
    INTERNAL(false);

    private final boolean retryableByDefault;

    ErrorKind(boolean retryableByDefault) {
        this.retryableByDefault = retryableByDefault;
    }

    public boolean retryableByDefault() {
        return retryableByDefault;
    }
}
