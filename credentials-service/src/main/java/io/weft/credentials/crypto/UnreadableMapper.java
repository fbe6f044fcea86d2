package io.weft.credentials.crypto;

import io.vertx.core.http.HttpServerRequest;
import io.weft.contracts.problems.ProblemType;
import io.weft.platform.problems.Problem;
import io.weft.platform.problems.ProblemMappers;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Ciphertext that does not open is an integrity failure to investigate, answered as such and never as data. */
public class UnreadableMapper {
    private static final Logger LOG = Logger.getLogger(UnreadableMapper.class);

    @ServerExceptionMapper
    public Response unreadable(Aead.Unreadable e, HttpServerRequest request) {
        LOG.errorf("stored credential data failed its integrity check on %s %s: %s", request.method(), request.path(), e.getMessage());
        Problem problem = Problem.of(ProblemType.DATA_INTEGRITY, 500, "the credential's stored data failed its integrity check and"
                + " cannot be decrypted; it must be entered again", request.path());
        return Response.status(500).type(Problem.MEDIA_TYPE).entity(ProblemMappers.body(problem)).build();
    }
}
