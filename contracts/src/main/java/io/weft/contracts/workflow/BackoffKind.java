package io.weft.contracts.workflow;

import com.fasterxml.jackson.annotation.JsonProperty;

public enum BackoffKind {
    @JsonProperty("fixed")
    FIXED,
    @JsonProperty("exponential")
    EXPONENTIAL
}
