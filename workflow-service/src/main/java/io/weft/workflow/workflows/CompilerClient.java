package io.weft.workflow.workflows;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.weft.contracts.json.WeftJson;
import io.weft.contracts.problems.ProblemType;
import io.weft.platform.problems.ProblemException;
import io.weft.platform.security.ServiceCalls;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/** compiler-service, asked with a service token on behalf of the caller's tenant. */
@ApplicationScoped
public class CompilerClient {
    private static final Logger LOG = Logger.getLogger(CompilerClient.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final ServiceCalls calls;
    private final java.net.URI compiler;

    CompilerClient(ServiceCalls calls, @ConfigProperty(name = "weft.workflow.compiler-url") java.net.URI compiler) {
        this.calls = calls;
        this.compiler = compiler;
    }

    /** What happened when a definition was compiled for activation. */
    public record Compiled(String planHash, JsonNode diagnostics) {
        public boolean compiles() {
            return planHash != null;
        }
    }

    /**
     * The compiler's verdict for a version being saved. A save never fails because the compiler
     * cannot be asked: the version is then kept as {@link CompileStatus#UNCHECKED}.
     */
    public Uni<CompileCheck> check(UUID tenant, JsonNode definition) {
        return calls.call(HttpMethod.POST, compiler, "/api/compile/validate", Optional.of(tenant), Map.of(), body(definition), TIMEOUT)
                .map(answer -> {
                    if (answer.status() != 200) {
                        LOG.warnf("compiler-service answered %d to a validation; the version is saved unchecked", answer.status());
                        return CompileCheck.unchecked();
                    }
                    JsonNode verdict = read(answer.body());
                    return new CompileCheck(verdict.path("valid").asBoolean() ? CompileStatus.COMPILED : CompileStatus.FAILED,
                            verdict.path("diagnostics"));
                })
                .onFailure().recoverWithItem(failure -> {
                    LOG.warnf("compiler-service cannot be asked (%s); the version is saved unchecked", failure.getMessage());
                    return CompileCheck.unchecked();
                });
    }

    /** Compiles for activation: a plan hash, or the diagnostics; 503 when the compiler cannot be asked. */
    public Uni<Compiled> compile(UUID tenant, JsonNode definition) {
        return calls.call(HttpMethod.POST, compiler, "/api/compile", Optional.of(tenant), Map.of(), body(definition), TIMEOUT)
                .onFailure().transform(failure -> unavailable())
                .map(answer -> switch (answer.status()) {
                    case 200 -> {
                        JsonNode compiled = read(answer.body());
                        yield new Compiled(compiled.path("hash").asText(), compiled.path("diagnostics"));
                    }
                    case 422 -> new Compiled(null, read(answer.body()).path("diagnostics"));
                    default -> {
                        LOG.warnf("compiler-service answered %d to a compilation", answer.status());
                        throw unavailable();
                    }
                });
    }

    private static ProblemException unavailable() {
        return new ProblemException(ProblemType.DEPENDENCY_UNAVAILABLE,
                "the workflow cannot be compiled right now, so it cannot be activated; try again shortly")
                .withHeader("Retry-After", "5");
    }

    private static Buffer body(JsonNode definition) {
        try {
            return Buffer.buffer(WeftJson.mapper().writeValueAsBytes(definition));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static JsonNode read(Buffer body) {
        try {
            return WeftJson.mapper().readTree(body.getBytes());
        } catch (IOException e) {
            throw new IllegalStateException("compiler-service sent something that is not JSON", e);
        }
    }
}
