package io.dhcpshield.cli.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code dpictl}'s way to the API: JSON over HTTP with the session's access token, refreshed (and the session file
 * updated) when the API says it expired. API errors come back as {@link ApiException} carrying the API's code,
 * message and field.
 */
final class ApiClient {

    static final ObjectMapper JSON = new ObjectMapper();

    /** An error the API answered with (its one error shape), or a connection failure (status 0). */
    static final class ApiException extends Exception {
        final int status;
        final String code;
        final String field;

        ApiException(int status, String code, String message, String field) {
            super(message);
            this.status = status;
            this.code = code;
            this.field = field;
        }
    }

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String api;
    private Session session;
    private final String fixedToken;

    ApiClient(String api, Session session, String fixedToken) {
        this.api = api.endsWith("/") ? api.substring(0, api.length() - 1) : api;
        this.session = session;
        this.fixedToken = fixedToken;
    }

    String api() {
        return api;
    }

    /** The access token requests carry. */
    String token() {
        return fixedToken != null ? fixedToken : session != null ? session.accessToken() : null;
    }

    JsonNode get(String path, Map<String, String> query) throws ApiException {
        return send("GET", path + query(query), null, true);
    }

    JsonNode post(String path, JsonNode body) throws ApiException {
        return send("POST", path, body, true);
    }

    JsonNode put(String path, JsonNode body) throws ApiException {
        return send("PUT", path, body, true);
    }

    JsonNode patch(String path, JsonNode body) throws ApiException {
        return send("PATCH", path, body, true);
    }

    JsonNode delete(String path) throws ApiException {
        return send("DELETE", path, null, true);
    }

    /** The readiness report: its body both when ready (200) and when not (503). */
    JsonNode ready() throws ApiException {
        HttpResponse<byte[]> r = exchange("GET", "/api/v1/ready", null, false);
        if (r.statusCode() == 503) {
            try {
                JsonNode n = JSON.readTree(r.body());
                if (n != null && n.has("ready")) {
                    return n;
                }
            } catch (IOException e) {
                // not the readiness report: fall through to the error shape
            }
        }
        return parse(r);
    }

    /** A request without the session's token (login, refresh). */
    JsonNode anonymous(String method, String path, JsonNode body) throws ApiException {
        return send(method, path, body, false);
    }

    private JsonNode send(String method, String path, JsonNode body, boolean withToken) throws ApiException {
        HttpResponse<byte[]> r = exchange(method, path, body, withToken);
        if (r.statusCode() == 401 && withToken && fixedToken == null && session != null
                && session.refreshToken() != null) {
            refresh();
            r = exchange(method, path, body, true);
        }
        return parse(r);
    }

    private HttpResponse<byte[]> exchange(String method, String path, JsonNode body, boolean withToken)
            throws ApiException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(api + path)).timeout(Duration.ofSeconds(60));
        String token = token();
        if (withToken && token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        try {
            if (body != null) {
                b.header("Content-Type", "application/json")
                        .method(method, HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)));
            } else {
                b.method(method, HttpRequest.BodyPublishers.noBody());
            }
            return http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new ApiException(0, "unreachable", "cannot reach the API at " + api + ": " + reason(e)
                    + (token == null ? " (not logged in: dpictl login --api URL, or --api / $DPICTL_API)" : ""), null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiException(0, "interrupted", "interrupted", null);
        }
    }

    private void refresh() throws ApiException {
        JsonNode t = parse(exchange("POST", "/api/v1/auth/refresh",
                JSON.createObjectNode().put("refresh_token", session.refreshToken()), false));
        session = new Session(session.api(), session.username(), t.path("access_token").asText(),
                t.path("refresh_token").asText());
        try {
            session.save();
        } catch (IOException e) {
            throw new ApiException(0, "session", "cannot save the refreshed session: " + e.getMessage(), null);
        }
    }

    private static JsonNode parse(HttpResponse<byte[]> r) throws ApiException {
        JsonNode n = null;
        if (r.body().length > 0) {
            try {
                n = JSON.readTree(r.body());
            } catch (IOException e) {
                if (r.statusCode() / 100 == 2) {
                    return JSON.createObjectNode().put("text", new String(r.body(), StandardCharsets.UTF_8));
                }
            }
        }
        if (r.statusCode() / 100 != 2) {
            JsonNode e = n == null ? null : n.path("error");
            if (e != null && e.isObject()) {
                throw new ApiException(r.statusCode(), e.path("code").asText(), e.path("message").asText(),
                        e.path("field").isNull() ? null : e.path("field").asText());
            }
            throw new ApiException(r.statusCode(), "http_" + r.statusCode(), "the API answered " + r.statusCode(),
                    null);
        }
        return n == null ? JSON.createObjectNode() : n;
    }

    static String query(Map<String, String> params) {
        if (params == null || params.isEmpty()) {
            return "";
        }
        StringBuilder sb = new StringBuilder("?");
        for (Map.Entry<String, String> e : params.entrySet()) {
            if (e.getValue() == null) {
                continue;
            }
            if (sb.length() > 1) {
                sb.append('&');
            }
            sb.append(URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8)).append('=')
                    .append(URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8));
        }
        return sb.length() == 1 ? "" : sb.toString();
    }

    static Map<String, String> params(String... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i + 1 < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }

    /** What went wrong, also when the JDK gives no message (a refused connection is a bare ConnectException). */
    static String reason(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getMessage() != null && !t.getMessage().isBlank()) {
                return t.getMessage();
            }
        }
        return e instanceof java.net.ConnectException ? "connection refused"
                : e instanceof java.net.http.HttpTimeoutException ? "timed out" : e.getClass().getSimpleName();
    }
}
