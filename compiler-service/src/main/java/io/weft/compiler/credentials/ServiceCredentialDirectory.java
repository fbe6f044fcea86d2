package io.weft.compiler.credentials;

import com.fasterxml.jackson.databind.JsonNode;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.buffer.Buffer;
import io.weft.compiler.CompilerConfig;
import io.weft.compiler.check.CredentialUse;
import io.weft.contracts.compile.Diagnostic;
import io.weft.contracts.compile.DiagnosticCode;
import io.weft.contracts.json.WeftJson;
import io.weft.contracts.problems.ProblemType;
import io.weft.platform.problems.ProblemException;
import io.weft.platform.security.ServiceCalls;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Checks a workflow's credential references against credentials-service, in one call per
 * compilation with a service token for the tenant: a reference to a credential that does not exist
 * there (or belongs to another tenant, which is the same) or that holds another type is an error.
 * When credentials-service cannot answer, the compilation cannot be vouched for: 503.
 */
@ApplicationScoped
public class ServiceCredentialDirectory implements CredentialDirectory {
    private static final Logger LOG = Logger.getLogger(ServiceCredentialDirectory.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final ServiceCalls calls;
    private final CompilerConfig config;

    ServiceCredentialDirectory(ServiceCalls calls, CompilerConfig config) {
        this.calls = calls;
        this.config = config;
    }

    @Override
    public Uni<List<Diagnostic>> check(UUID tenant, List<CredentialUse> uses) {
        Set<String> ids = new LinkedHashSet<>();
        uses.forEach(use -> ids.add(use.ref().id()));
        Buffer body = Buffer.buffer(WeftJson.mapper().createObjectNode().set("ids", WeftJson.mapper().valueToTree(ids)).toString());
        return calls.call(HttpMethod.POST, config.credentialsUrl(), "/internal/credentials/lookup", Optional.of(tenant), Map.of(),
                        body, TIMEOUT)
                .onFailure().transform(failure -> unavailable("cannot be reached: " + failure.getMessage()))
                .map(answer -> {
                    if (answer.status() != 200) {
                        throw unavailable("answered " + answer.status());
                    }
                    return diagnostics(uses, types(answer.body().toString()));
                });
    }

    private static Map<String, String> types(String answer) {
        try {
            Map<String, String> types = new HashMap<>();
            for (JsonNode found : WeftJson.mapper().readTree(answer).path("credentials")) {
                types.put(found.path("id").asText(), found.path("type").asText());
            }
            return types;
        } catch (Exception e) {
            throw unavailable("answered something unreadable");
        }
    }

    private static List<Diagnostic> diagnostics(List<CredentialUse> uses, Map<String, String> types) {
        List<Diagnostic> diagnostics = new ArrayList<>();
        for (CredentialUse use : uses) {
            String type = types.get(use.ref().id());
            if (type == null) {
                diagnostics.add(Diagnostic.error(DiagnosticCode.CREDENTIAL_NOT_FOUND, use.nodeId(), use.pointer(),
                        "node " + use.nodeId() + " uses credential " + use.ref().id() + ", which does not exist",
                        "choose one of your " + use.credentialType() + " credentials, or create one"));
            } else if (!type.equals(use.credentialType())) {
                diagnostics.add(Diagnostic.error(DiagnosticCode.CREDENTIAL_TYPE_MISMATCH, use.nodeId(), use.pointer(),
                        "node " + use.nodeId() + " uses credential " + use.ref().id() + " as " + use.credentialType() + ", but it is "
                                + type, "choose a " + use.credentialType() + " credential"));
            }
        }
        return diagnostics;
    }

    private static ProblemException unavailable(String why) {
        LOG.warnf("credential references cannot be checked: credentials-service %s", why);
        return new ProblemException(ProblemType.DEPENDENCY_UNAVAILABLE,
                "the workflow's credential references cannot be checked now (credentials-service is unavailable); try again shortly");
    }
}
