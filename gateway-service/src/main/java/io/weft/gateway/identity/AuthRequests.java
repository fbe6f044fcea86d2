package io.weft.gateway.identity;

import io.weft.contracts.identity.Role;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/** Request bodies of the identity endpoints, with their limits. */
public final class AuthRequests {
    /** Names are shown in UIs and stored as text: no control characters (which also keeps NUL out of PostgreSQL). */
    static final String PRINTABLE = "[^\\p{Cntrl}]*";

    private AuthRequests() {
    }

    public record Signup(
            @NotBlank @Size(max = 200) @Pattern(regexp = PRINTABLE, message = "must not contain control characters") String organisation,
            @NotBlank @Email @Size(max = 254) String email,
            @NotNull @Size(min = 12, max = 128) String password,
            @Size(max = 200) @Pattern(regexp = PRINTABLE, message = "must not contain control characters") String displayName) {

        public Signup {
            email = strip(email);
        }
    }

    public record Login(
            @NotBlank @Size(max = 254) @Pattern(regexp = PRINTABLE, message = "must not contain control characters") String email,
            @NotNull @Size(max = 128) String password) {

        public Login {
            email = strip(email);
        }
    }

    public record Refresh(@NotBlank @Size(max = 100) String refreshToken) {
    }

    public record NewUser(
            @NotBlank @Email @Size(max = 254) String email,
            @Size(max = 200) @Pattern(regexp = PRINTABLE, message = "must not contain control characters") String displayName,
            @NotNull Role role,
            @NotNull @Size(min = 12, max = 128) String password) {

        public NewUser {
            email = strip(email);
        }
    }

    /** Pasted addresses often carry spaces around them. */
    private static String strip(String email) {
        return email == null ? null : email.strip();
    }

    /** Lower-cased, so that one address cannot open two accounts. */
    static String normaliseEmail(String email) {
        return email.toLowerCase(java.util.Locale.ROOT);
    }

    static String displayNameOr(String displayName, String email) {
        return displayName == null || displayName.isBlank() ? email.substring(0, email.indexOf('@')) : displayName.strip();
    }
}
