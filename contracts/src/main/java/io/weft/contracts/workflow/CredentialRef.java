package io.weft.contracts.workflow;

/** A reference to a stored credential of the same tenant; the secret itself never appears here. */
public record CredentialRef(String id, String name) {
}
