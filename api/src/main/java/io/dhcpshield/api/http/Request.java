package io.dhcpshield.api.http;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;

/**
 * One API request as a handler sees it: the matched route, path parameters, query parameters, the caller (null on
 * public routes) and the body, already read within the size limit.
 */
public record Request(Route route, String method, String path, Map<String, String> pathParams,
                      Map<String, List<String>> query, Principal principal, InetSocketAddress remote,
                      byte[] body) {

    /** A path parameter (always present when the route matched). */
    public String path(String name) {
        return pathParams.get(name);
    }

    /** The body as one JSON object (400 otherwise). */
    public ObjectNode json() {
        return Json.object(body);
    }

    /** Query parameters, validated. */
    public Params params() {
        return new Params(query);
    }

    /** The caller, on a protected route. */
    public Principal caller() {
        if (principal == null) {
            throw ApiError.unauthorized("authentication required");
        }
        return principal;
    }

    /** The caller's source address as text. */
    public String remoteAddress() {
        return remote == null || remote.getAddress() == null ? "unknown" : remote.getAddress().getHostAddress();
    }
}
