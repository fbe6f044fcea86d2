package io.weft.contracts.compile;

import com.fasterxml.jackson.annotation.JsonProperty;

public enum Severity {
    /** The workflow cannot be compiled, activated or run until it is fixed. */
    @JsonProperty("error")
    ERROR,
    /** Worth a look; the workflow still compiles. */
    @JsonProperty("warning")
    WARNING
}
