package io.weft.executor.nodes.integrations;

import io.weft.contracts.events.ErrorKind;
import io.weft.executor.engine.Credentials;
import io.weft.executor.engine.NodeFailure;
import io.weft.executor.engine.NodeRun;
import io.weft.executor.nodes.TypedNodeType;
import java.util.List;

/**
 * What the integration nodes share: they wait on a provider (run on their own thread), read the
 * node's credential of one of the provider's types, and refuse a missing parameter before any call.
 */
abstract class IntegrationNode<P extends Record> extends TypedNodeType<P> {
    private final String provider;
    private final List<String> credentialTypes;

    IntegrationNode(String type, Class<P> parametersType, String provider, List<String> credentialTypes) {
        super(type, 1, parametersType);
        this.provider = provider;
        this.credentialTypes = credentialTypes;
    }

    @Override
    public boolean blocking() {
        return true;
    }

    /** The node's credential, or a {@code CREDENTIALS} failure naming the types it may be. */
    Credentials.Resolved credential(NodeRun run) {
        return run.credential(credentialTypes).orElseThrow(() -> new NodeFailure(ErrorKind.CREDENTIALS, false, "node \""
                + run.node().name() + "\" names no " + provider + " credential (" + String.join(" or ", credentialTypes) + ")"));
    }

    /** The credential again after the provider refused {@code refusedToken} (see {@link NodeRun#credentialAfterRefusal}). */
    Credentials.Resolved credentialAfterRefusal(NodeRun run, String refusedToken) {
        return run.credentialAfterRefusal(credentialTypes, refusedToken).orElseThrow();
    }

    static String required(NodeRun run, String operation, String name, String value) {
        if (!present(value)) {
            throw invalid(run, operation + " needs " + name);
        }
        return value.strip();
    }

    static boolean present(String value) {
        return value != null && !value.isBlank();
    }

    static NodeFailure invalid(NodeRun run, String why) {
        return new NodeFailure(ErrorKind.INVALID_PARAMETERS, false, "node \"" + run.node().name() + "\": " + why);
    }
}
