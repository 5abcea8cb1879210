package io.dhcpshield.api.resources;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dhcpshield.api.auth.Accounts;
import io.dhcpshield.api.auth.Passwords;
import io.dhcpshield.api.http.Access;
import io.dhcpshield.api.http.ApiError;
import io.dhcpshield.api.http.Json;
import io.dhcpshield.api.http.Principal;
import io.dhcpshield.api.http.Response;
import io.dhcpshield.api.http.Role;
import io.dhcpshield.api.http.Route;

import java.util.List;

/** {@code /api/v1/users}: admins manage users; anyone reads and changes their own (password with the current one). */
public final class UserResource {

    private final Accounts accounts;

    public UserResource(Accounts accounts) {
        this.accounts = accounts;
    }

    public List<Route> routes() {
        return List.of(
                new Route("GET", "/api/v1/users", Access.ADMIN, r -> {
                    r.params().only();
                    return accounts.list().collectList().map(list -> {
                        ObjectNode n = Views.object();
                        ArrayNode a = n.putArray("users");
                        list.forEach(u -> a.add(Views.user(u)));
                        return Response.ok(n);
                    });
                }),
                new Route("POST", "/api/v1/users", Access.ADMIN, r -> {
                    ObjectNode b = r.json();
                    Json.onlyFields(b, "username", "password", "role");
                    return accounts.create(r.caller().username(), Json.string(b, "username", 64),
                                    Json.string(b, "password", Passwords.MAX_LENGTH), role(b))
                            .map(u -> Response.created(Views.user(u)));
                }),
                new Route("GET", "/api/v1/users/{username}", Access.VIEWER, r -> {
                    String name = r.path("username");
                    self(r.caller(), name);
                    return accounts.find(name).map(u -> Response.ok(Views.user(u)))
                            .switchIfEmpty(reactor.core.publisher.Mono.error(ApiError.notFound("no user '" + name
                                    + "'")));
                }),
                new Route("PATCH", "/api/v1/users/{username}", Access.VIEWER, r -> {
                    String name = r.path("username");
                    self(r.caller(), name);
                    ObjectNode b = r.json();
                    Json.onlyFields(b, "role", "disabled", "password", "current_password");
                    JsonNode disabled = b.get("disabled");
                    if (disabled != null && !disabled.isBoolean()) {
                        throw ApiError.badRequest("disabled", "disabled must be true or false");
                    }
                    return accounts.update(r.caller(), name, b.has("role") ? role(b) : null,
                                    disabled == null ? null : disabled.asBoolean(),
                                    Json.optionalString(b, "password", Passwords.MAX_LENGTH),
                                    Json.optionalString(b, "current_password", Passwords.MAX_LENGTH))
                            .map(u -> Response.ok(Views.user(u)));
                }),
                new Route("DELETE", "/api/v1/users/{username}", Access.ADMIN, r ->
                        accounts.delete(r.caller(), r.path("username")).thenReturn(Response.noContent())));
    }

    private static void self(Principal caller, String name) {
        if (caller.role() != Role.ADMIN && !caller.username().equals(name)) {
            throw ApiError.forbidden("only an admin reads or changes other users");
        }
    }

    private static Role role(ObjectNode b) {
        String s = Json.string(b, "role", 16);
        try {
            return Role.parse(s);
        } catch (IllegalArgumentException e) {
            throw ApiError.badRequest("role", e.getMessage());
        }
    }
}
