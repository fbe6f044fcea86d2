package io.weft.testsupport;

import io.weft.contracts.problems.ProblemType;
import io.weft.platform.problems.ProblemException;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/**
 * Exists only in test runs (this module is a test dependency): gives the contract tests an
 * endpoint on which to provoke each kind of error through the service's real error mapping.
 */
@Path("/test-support/problems")
@Produces(MediaType.APPLICATION_JSON)
public class ProblemProbeResource {

    public static final String SECRET_IN_MESSAGE = "db-password=hunter2-do-not-leak";

    public record Item(@NotBlank @Size(max = 50) String name, @Min(1) @Max(10) int quantity) {
    }

    @POST
    @Path("/items")
    @Consumes(MediaType.APPLICATION_JSON)
    public Item echo(@Valid Item item) {
        return item;
    }

    @GET
    @Path("/conflict")
    public String conflict() {
        throw new ProblemException(ProblemType.CONFLICT, "the item was changed by someone else");
    }

    @GET
    @Path("/boom")
    public String boom() {
        throw new IllegalStateException("failed to connect with " + SECRET_IN_MESSAGE);
    }
}
