package io.weft.contracts.workflow;

import com.fasterxml.jackson.annotation.JsonProperty;

/** What a node's final failure (after retries) does to the execution. */
public enum OnError {
    /** The execution fails (the default). */
    @JsonProperty("fail")
    FAIL_EXECUTION,
    /** The error becomes an item on the node's {@code error} output port. */
    @JsonProperty("errorOutput")
    ROUTE_TO_ERROR_OUTPUT,
    /** The node passes its input items on unchanged and the execution goes on. */
    @JsonProperty("continue")
    CONTINUE
}
