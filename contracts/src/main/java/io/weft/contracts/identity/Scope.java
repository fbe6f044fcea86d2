package io.weft.contracts.identity;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;

/** What an API key may do. Users act through their role instead. */
public enum Scope {
    WORKFLOWS_READ("workflows:read"),
    WORKFLOWS_WRITE("workflows:write"),
    EXECUTIONS_READ("executions:read"),
    EXECUTIONS_RUN("executions:run"),
    /** Deciding approvals that name no approvers (anyone of the organisation who may run workflows). */
    EXECUTIONS_APPROVE("executions:approve"),
    CREDENTIALS_READ("credentials:read"),
    CREDENTIALS_WRITE("credentials:write"),
    DOCUMENTS_READ("documents:read"),
    DOCUMENTS_WRITE("documents:write"),
    LOGS_READ("logs:read"),
    /** The audit trail: who did what; only admins and owners may grant it. */
    AUDIT_READ("audit:read");

    private final String wireName;

    Scope(String wireName) {
        this.wireName = wireName;
    }

    @JsonValue
    public String wireName() {
        return wireName;
    }

    @JsonCreator
    public static Scope fromWireName(String name) {
        return Arrays.stream(values()).filter(scope -> scope.wireName.equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown scope '" + name + "'"));
    }

    /** The least role whose users may hand this scope to a key. */
    public Role leastRoleToGrant() {
        return switch (this) {
            case WORKFLOWS_READ, EXECUTIONS_READ, DOCUMENTS_READ, LOGS_READ, CREDENTIALS_READ -> Role.VIEWER;
            case WORKFLOWS_WRITE, EXECUTIONS_RUN, EXECUTIONS_APPROVE, DOCUMENTS_WRITE, CREDENTIALS_WRITE -> Role.EDITOR;
            case AUDIT_READ -> Role.ADMIN;
        };
    }
}
