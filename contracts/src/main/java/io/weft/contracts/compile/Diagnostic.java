package io.weft.contracts.compile;

/**
 * One finding of the compiler about a workflow definition.
 *
 * @param nodeId  the node it is about, or null for the workflow as a whole
 * @param pointer JSON Pointer (RFC 6901) into the submitted definition, {@code ""} for all of it
 * @param hint    what would fix it, or null
 */
public record Diagnostic(Severity severity, DiagnosticCode code, String nodeId, String pointer, String message,
                         String hint) {

    public static Diagnostic error(DiagnosticCode code, String nodeId, String pointer, String message, String hint) {
        return new Diagnostic(Severity.ERROR, code, nodeId, pointer, message, hint);
    }

    public static Diagnostic warning(DiagnosticCode code, String nodeId, String pointer, String message, String hint) {
        return new Diagnostic(Severity.WARNING, code, nodeId, pointer, message, hint);
    }
}
