package io.weft.contracts.compile;

/** What a {@link Diagnostic} is about. The names are stable: clients may switch on them. */
public enum DiagnosticCode {
    /** The definition breaks the workflow definition JSON Schema. */
    SCHEMA_VIOLATION,
    DUPLICATE_NODE_ID,
    DUPLICATE_NODE_NAME,
    /** No node type of that name in the catalog. */
    UNKNOWN_NODE_TYPE,
    /** The node type exists, but not in that version. */
    UNKNOWN_TYPE_VERSION,
    /** No enabled trigger node: nothing could ever start an execution. */
    NO_TRIGGER,
    /** A connection ends at a trigger; triggers have no inputs. */
    TRIGGER_HAS_INPUT,
    /** A connection names a node that is not in the workflow. */
    UNKNOWN_CONNECTION_NODE,
    /** A connection leaves from a port the node's type does not have. */
    UNKNOWN_OUTPUT_PORT,
    /** A connection arrives at a port the node's type does not have. */
    UNKNOWN_INPUT_PORT,
    DUPLICATE_CONNECTION,
    /** A connection joins ports of different types, e.g. {@code main} to {@code ai_languageModel}. */
    PORT_TYPE_MISMATCH,
    /** A node attached to a root through an {@code ai_*} port also has {@code main} connections; a sub-node runs only when its root calls it. */
    SUB_NODE_IN_FLOW,
    /** More sub-nodes on one {@code ai_*} input than it takes: one model, one memory, one output parser, one embedding per root. */
    TOO_MANY_SUB_NODES,
    /** (Warning) A node whose type is only a sub-node (e.g. a chat model) is attached to no root, so it is never used. */
    SUB_NODE_NOT_ATTACHED,
    /** {@code $fromAI(...)} in a node that is not attached to an agent as a tool: no model fills it there. */
    FROM_AI_OUTSIDE_TOOL,
    /**
     * (Warning) A Respond to Webhook node streams ({@code stream}), but no Webhook Trigger before it
     * responds using it, or no node before it streams its text ({@code streamTokens}): the stream would
     * carry nothing but the answer.
     */
    STREAMING_RESPONSE_UNUSED,
    /** The connections form a cycle; the message lists its nodes. */
    CYCLE,
    /** No path leads to the node from any trigger, so it could never run. */
    UNREACHABLE_NODE,
    /** An input port the node's type requires has no connection. */
    REQUIRED_INPUT_UNCONNECTED,
    /** The {@code error} output is connected but the node's {@code onError} is not {@code errorOutput}. */
    ERROR_OUTPUT_NOT_ENABLED,
    /** A parameter the node's type requires is missing. */
    MISSING_PARAMETER,
    /** A parameter value breaks the node type's parameter schema. */
    INVALID_PARAMETER,
    /** A {@code {{ }}} expression cannot be parsed, or uses a {@code $} variable that does not exist. */
    EXPRESSION_SYNTAX,
    /** An expression refers to a node that is not in the workflow. */
    EXPRESSION_UNKNOWN_NODE,
    /** An expression refers to a node that does not run before this one. */
    EXPRESSION_NODE_NOT_UPSTREAM,
    /** The node's type does not accept credentials of that type. */
    CREDENTIAL_TYPE_NOT_ACCEPTED,
    /** The referenced credential does not exist (in this tenant). */
    CREDENTIAL_NOT_FOUND,
    /** The referenced credential is of another type than its slot says. */
    CREDENTIAL_TYPE_MISMATCH
}
