package io.weft.contracts.plan;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * When a planned node may start. An incoming connection is <em>settled</em> once its source node
 * has finished and either sent items through it or sent nothing (e.g. the other branch of an If);
 * a node whose incoming connections all settle without items is skipped, and so settles its own
 * outgoing connections without items.
 */
public enum Join {
    /** A trigger: starts the execution, has no inputs. */
    @JsonProperty("trigger")
    TRIGGER,
    /**
     * Runs once, after every incoming connection has settled, if at least one brought items; the
     * items of all connections are concatenated in the order of the plan's inputs.
     */
    @JsonProperty("any")
    ANY,
    /**
     * Waits until the connections of every input port have settled (Merge), then runs once with each
     * port's items kept apart; a port that brought nothing gives an empty list. Skipped only when no
     * port brought items.
     */
    @JsonProperty("all")
    ALL
}
