package io.weft.executor.expressions;

import io.weft.contracts.events.ErrorKind;
import io.weft.executor.engine.NodeFailure;

/** An expression that cannot be evaluated; the message names the expression, the caller adds node and parameter. */
public class ExpressionException extends NodeFailure {

    public ExpressionException(String message) {
        super(ErrorKind.EXPRESSION, false, message);
    }
}
