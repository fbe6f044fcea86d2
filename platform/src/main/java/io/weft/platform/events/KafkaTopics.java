package io.weft.platform.events;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The names this process gives the contract's topics: each with {@code weft.kafka.topic-prefix}
 * in front (none by default; {@code test.} in the test profile, so that tests on the same broker
 * never reach a developer's fleet, nor the fleet's records a test). The channels of
 * {@code mp.messaging} take the same prefix in their {@code topic} settings.
 */
@ApplicationScoped
public class KafkaTopics {
    public static final String PREFIX_PROPERTY = "weft.kafka.topic-prefix";

    private final String prefix;

    KafkaTopics(@ConfigProperty(name = PREFIX_PROPERTY) Optional<String> prefix) {
        this.prefix = checked(prefix.orElse(""));
    }

    /** The prefix, checked to be a legal start of a Kafka topic name. */
    public static String checked(String prefix) {
        if (!prefix.matches("[A-Za-z0-9._-]{0,100}")) {
            throw new IllegalArgumentException(PREFIX_PROPERTY + " may hold letters, digits, '.', '_' and '-' only: '" + prefix + "'");
        }
        return prefix;
    }

    public String prefix() {
        return prefix;
    }

    /** This process's name for a topic of the contract ({@link io.weft.contracts.events.Topics}). */
    public String name(String contractTopic) {
        return prefix + contractTopic;
    }
}
