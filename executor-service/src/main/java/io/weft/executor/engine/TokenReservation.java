package io.weft.executor.engine;

/** Tokens taken from the tenant's budget before a model call, settled to what the call used when it ends. */
public interface TokenReservation {
    TokenReservation NONE = used -> {
    };

    /** The call used {@code tokens} (0 when it failed: a provider charges no failed call). */
    void settle(long tokens);
}
