package io.dhcpshield.api.http;

import com.fasterxml.jackson.databind.JsonNode;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/** What a handler answers: a status, a body with its content type, and extra headers. */
public record Response(int status, byte[] body, String contentType, Map<String, String> headers) {

    public static Response json(int status, JsonNode body) {
        return new Response(status, Json.bytes(body), "application/json", Map.of());
    }

    public static Response ok(JsonNode body) {
        return json(200, body);
    }

    public static Response created(JsonNode body) {
        return json(201, body);
    }

    public static Response noContent() {
        return new Response(204, new byte[0], null, Map.of());
    }

    public static Response text(int status, String body, String contentType) {
        return new Response(status, body.getBytes(StandardCharsets.UTF_8), contentType, Map.of());
    }
}
