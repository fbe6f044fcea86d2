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
     * Runs once every input port has received items (Merge); skipped if any input port settles
     * without items.
     */
    @JsonProperty("all")
    ALL
}
