package io.weft.gateway.identity;

import io.smallrye.mutiny.Uni;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import io.vertx.core.http.HttpServerRequest;
import io.weft.gateway.audit.AuditLog;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.ResponseStatus;

@Path("/api/auth")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "auth")
public class AuthResource {
    private final AuthService auth;

    AuthResource(AuthService auth) {
        this.auth = auth;
    }

    @POST
    @Path("/signup")
    @ResponseStatus(201)
    @Operation(summary = "Create an organisation (tenant) and its owner; answers with the owner's tokens")
    public Uni<TokenResponse> signup(@NotNull @Valid AuthRequests.Signup request, @Context HttpServerRequest http) {
        return auth.signup(request, AuditLog.sourceIp(http));
    }

    @POST
    @Path("/login")
    @Operation(summary = "Exchange email and password for an access token and a refresh token")
    public Uni<TokenResponse> login(@NotNull @Valid AuthRequests.Login request, @Context HttpServerRequest http) {
        return auth.login(request, AuditLog.sourceIp(http));
    }

    @POST
    @Path("/refresh")
    @Operation(summary = "Spend a refresh token for a new pair; a spent token presented again revokes its family")
    public Uni<TokenResponse> refresh(@NotNull @Valid AuthRequests.Refresh request, @Context HttpServerRequest http) {
        return auth.refresh(request, AuditLog.sourceIp(http));
    }

    @POST
    @Path("/logout")
    @ResponseStatus(204)
    @Operation(summary = "Revoke the refresh token's family; access tokens expire on their own")
    public Uni<Void> logout(@NotNull @Valid AuthRequests.Refresh request, @Context HttpServerRequest http) {
        return auth.logout(request, AuditLog.sourceIp(http));
    }
}
