package io.weft.testsupport;

import io.weft.contracts.events.Topics;

/**
 * The topics tests use on the shared local broker: the contract's names with the test profile's
 * {@code weft.kafka.topic-prefix} ({@code test.}) in front, so that a developer's fleet never reads
 * a test's records. Benchmarks against the running fleet use {@link Topics} itself.
 */
public final class TestTopics {
    /** The same as {@code %test.weft.kafka.topic-prefix} in the platform's {@code weft/kafka.properties}. */
    public static final String PREFIX = "test.";
    public static final String EXECUTION_REQUESTS = PREFIX + Topics.EXECUTION_REQUESTS;
    public static final String EXECUTION_CONTROL = PREFIX + Topics.EXECUTION_CONTROL;
    public static final String EXECUTION_EVENTS = PREFIX + Topics.EXECUTION_EVENTS;
    public static final String EXECUTION_DEAD_LETTERS = PREFIX + Topics.EXECUTION_DEAD_LETTERS;
    public static final String AUDIT = PREFIX + Topics.AUDIT;

    private TestTopics() {
    }
}
