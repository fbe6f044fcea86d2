package io.weft.gateway.identity;

/** What sign-up, login and refresh answer: a bearer access token, its refresh token and the user. */
public record TokenResponse(String accessToken, String tokenType, long expiresIn, String refreshToken,
                            long refreshExpiresIn, UserView user) {

    static TokenResponse of(AccessTokens.Issued access, RefreshTokens.Issued refresh, User user) {
        return new TokenResponse(access.token(), "Bearer", access.expiresInSeconds(), refresh.token(),
                refresh.expiresInSeconds(), user.view());
    }
}
