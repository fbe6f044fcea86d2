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
    INTERNAL(false);

    private final boolean retryableByDefault;

    ErrorKind(boolean retryableByDefault) {
        this.retryableByDefault = retryableByDefault;
    }

    public boolean retryableByDefault() {
        return retryableByDefault;
    }
}
