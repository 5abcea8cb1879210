package io.dhcpshield.api.resources;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dhcpshield.api.auth.Accounts;
import io.dhcpshield.api.auth.Passwords;
import io.dhcpshield.api.auth.TokenService;
import io.dhcpshield.api.http.Access;
import io.dhcpshield.api.http.Json;
import io.dhcpshield.api.http.Principal;
import io.dhcpshield.api.http.Response;
import io.dhcpshield.api.http.Route;
import reactor.core.publisher.Mono;

import java.util.List;

/** {@code /api/v1/auth/*}: login, refresh (rotation), logout, and who am I. */
public final class AuthResource {

    private final Accounts accounts;

    public AuthResource(Accounts accounts) {
        this.accounts = accounts;
    }

    public List<Route> routes() {
        return List.of(
                new Route("POST", "/api/v1/auth/login", Access.PUBLIC, r -> {
                    ObjectNode b = r.json();
                    Json.onlyFields(b, "username", "password");
                    String user = Json.string(b, "username", 64);
                    String password = Json.string(b, "password", Passwords.MAX_LENGTH);
                    return accounts.login(user, password, r.remoteAddress()).map(AuthResource::tokens);
                }),
                new Route("POST", "/api/v1/auth/refresh", Access.PUBLIC, r -> {
                    ObjectNode b = r.json();
                    Json.onlyFields(b, "refresh_token");
                    String token = Json.string(b, "refresh_token", TokenService.MAX_TOKEN_LENGTH + 1);
                    return accounts.refresh(token).map(AuthResource::tokens);
                }),
                new Route("POST", "/api/v1/auth/logout", Access.VIEWER, r ->
                        accounts.logout(r.caller()).thenReturn(Response.noContent())),
                new Route("GET", "/api/v1/auth/me", Access.VIEWER, r -> {
                    Principal p = r.caller();
                    ObjectNode n = Views.object().put("username", p.username()).put("role", p.role().label())
                            .put("expires_at", p.expiresAt().toString());
                    return Mono.just(Response.ok(n));
                }));
    }

    private static Response tokens(TokenService.Tokens t) {
        ObjectNode n = Views.object();
        n.put("access_token", t.accessToken());
        n.put("refresh_token", t.refreshToken());
        n.put("token_type", "Bearer");
        n.put("expires_in", t.expiresIn());
        n.put("refresh_expires_at", t.refreshExpiresAt().toString());
        return Response.ok(n);
    }
}
