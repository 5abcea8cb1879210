package io.dhcpshield.api.http;

import com.fasterxml.jackson.databind.JsonNode;

import reactor.core.publisher.Flux;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * What a handler answers: a status, a body with its content type, and extra headers; or, for a large download, a
 * {@code stream} of chunks sent as they are read (then {@code body} is empty).
 */
public record Response(int status, byte[] body, String contentType, Map<String, String> headers,
                       Flux<byte[]> stream) {

    public Response(int status, byte[] body, String contentType, Map<String, String> headers) {
        this(status, body, contentType, headers, null);
    }

    /** A download sent chunk by chunk. */
    public static Response streamed(String contentType, Map<String, String> headers, Flux<byte[]> chunks) {
        return new Response(200, new byte[0], contentType, headers, chunks);
    }

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
