package io.weft.compiler.check;

import io.weft.contracts.workflow.CredentialRef;

/**
 * A node's reference to a stored credential.
 *
 * @param credentialType the slot it fills, which is the credential type the node expects
 * @param pointer        JSON Pointer to the reference in the definition
 */
public record CredentialUse(String nodeId, String pointer, String credentialType, CredentialRef ref) {
}
