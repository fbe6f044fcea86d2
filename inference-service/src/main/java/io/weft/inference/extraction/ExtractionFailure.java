package io.weft.inference.extraction;

/**
 * A document that cannot be ingested, for a reason that another attempt would not change (its text
 * cannot be had, or its knowledge base's model cannot be called): the job fails at once with this
 * code and message, and no part of the document is stored.
 */
public final class ExtractionFailure extends Exception {
    /** Why, as a stable code a client can act on. */
    public enum Reason {
        ENCRYPTED("encrypted"),
        EMPTY_TEXT("empty-text"),
        UNREADABLE("unreadable"),
        TOO_LARGE("too-large"),
        UNSUPPORTED_TYPE("unsupported-type"),
        /** Not the document's fault: the knowledge base's embedding model cannot be called from here yet. */
        EMBEDDING_UNAVAILABLE("embedding-unavailable");

        private final String code;

        Reason(String code) {
            this.code = code;
        }

        public String code() {
            return code;
        }
    }

    private final Reason reason;

    public ExtractionFailure(Reason reason, String message) {
        super(message, null, false, false);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
