package io.weft.contracts.events;

/** A Kafka message that is not a Weft CloudEvent this code understands; it belongs in the dead letters. */
public class UnreadableEventException extends RuntimeException {
    private final DeadLetter.Reason reason;

    public UnreadableEventException(DeadLetter.Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public DeadLetter.Reason reason() {
        return reason;
    }
}
