package io.weft.executor.engine;

import com.fasterxml.jackson.databind.JsonNode;
import io.weft.contracts.events.ErrorKind;

/**
 * Stored credentials, resolved for one node run (from credentials-service, which audits each
 * resolution). The data is secret: it may go into the request a node makes, never into items,
 * errors, events or logs.
 */
public interface Credentials {
    /** For runs without credentials-service (engine tests): a node that needs a credential fails. */
    Credentials NONE = (tenantId, credentialId, executionId, nodeId) -> {
        throw new NodeFailure(ErrorKind.CREDENTIALS, false, "credentials cannot be resolved in this run");
    };

    /** A credential's type and decrypted data. */
    record Resolved(String type, JsonNode data) {
        @Override
        public String toString() {
            return "Resolved[type=" + type + ", data=<secret>]";
        }
    }

    /** Fails the node ({@link NodeFailure}, kind {@code CREDENTIALS}) when the credential cannot be had. */
    Resolved resolve(String tenantId, String credentialId, String executionId, String nodeId);

    /**
     * The credential again after its provider refused the OAuth2 access token {@code refusedToken}
     * (HTTP 401, or Slack's {@code token_expired}) before it expired: credentials-service refreshes it,
     * unless another run already has. Without credentials-service, as {@link #resolve}.
     */
    default Resolved afterRefusal(String tenantId, String credentialId, String executionId, String nodeId, String refusedToken) {
        return resolve(tenantId, credentialId, executionId, nodeId);
    }
}
