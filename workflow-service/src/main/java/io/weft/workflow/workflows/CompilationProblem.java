package io.weft.workflow.workflows;

import com.fasterxml.jackson.databind.JsonNode;
import io.weft.contracts.problems.ProblemType;
import io.weft.platform.problems.Problem;
import jakarta.ws.rs.core.Response;
import java.net.URI;

/** The 422 answer when a version that must compile (to be activated or run) does not: a problem with the compiler's diagnostics. */
public record CompilationProblem(URI type, String title, int status, String detail, String instance, JsonNode diagnostics) {

    public static Response response(String detail, String instance, JsonNode diagnostics) {
        return Response.status(422).type(Problem.MEDIA_TYPE).entity(new CompilationProblem(ProblemType.COMPILATION_FAILED.uri(),
                ProblemType.COMPILATION_FAILED.title(), 422, detail, instance, diagnostics)).build();
    }
}
