package io.weft.contracts.identity;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** What a user may do inside their tenant, from most to least powerful. */
public enum Role {
    OWNER,
    ADMIN,
    EDITOR,
    VIEWER;

    /** The lower-case name used in tokens, the database and JSON. */
    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static Role fromWireName(String name) {
        for (Role role : values()) {
            if (role.wireName().equals(name)) {
                return role;
            }
        }
        throw new IllegalArgumentException("unknown role '" + name + "'; one of owner, admin, editor, viewer");
    }

    /** True when this role has at least the rights of {@code other}. */
    public boolean atLeast(Role other) {
        return ordinal() <= other.ordinal();
    }
}
