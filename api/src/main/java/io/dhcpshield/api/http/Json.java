package io.dhcpshield.api.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;

/** The API's JSON: one mapper, strict parsing of request bodies with small nesting and size limits. */
public final class Json {

    public static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY);

    static {
        // A request body is a small object: deep nesting or huge strings are refused while parsing.
        MAPPER.getFactory().setStreamReadConstraints(StreamReadConstraints.builder()
                .maxNestingDepth(16).maxStringLength(64 * 1024).maxNumberLength(32).build());
    }

    private Json() {
    }

    /** Parses a request body that must be one JSON object; 400 otherwise. */
    public static ObjectNode object(byte[] body) {
        if (body.length == 0) {
            throw ApiError.badRequest("body", "a JSON object is required");
        }
        JsonNode n;
        try {
            n = MAPPER.readTree(body);
        } catch (JsonProcessingException e) {
            throw ApiError.badRequest("body", "not valid JSON: " + e.getOriginalMessage());
        } catch (java.io.IOException e) {
            throw ApiError.badRequest("body", "unreadable body");
        }
        if (n == null || !n.isObject()) {
            throw ApiError.badRequest("body", "a JSON object is required");
        }
        return (ObjectNode) n;
    }

    /** A required string field of a body; 400 naming it when absent, empty, too long or not a string. */
    public static String string(ObjectNode body, String field, int maxLength) {
        String s = optionalString(body, field, maxLength);
        if (s == null || s.isEmpty()) {
            throw ApiError.badRequest(field, field + " is required");
        }
        return s;
    }

    /** An optional string field; null when absent or null; 400 when not a string or too long. */
    public static String optionalString(ObjectNode body, String field, int maxLength) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw ApiError.badRequest(field, field + " must be a string");
        }
        String s = v.asText();
        if (s.length() > maxLength) {
            throw ApiError.badRequest(field, field + " is longer than " + maxLength + " characters");
        }
        if (s.indexOf('\0') >= 0) {
            throw ApiError.badRequest(field, field + " contains a NUL character");
        }
        return s;
    }

    /** Refuses fields the route does not know (a typo should not be silently ignored). */
    public static void onlyFields(ObjectNode body, String... allowed) {
        java.util.Set<String> ok = java.util.Set.of(allowed);
        body.fieldNames().forEachRemaining(f -> {
            if (!ok.contains(f)) {
                throw ApiError.badRequest(f, "unknown field '" + f + "'; expected " + String.join(", ", allowed));
            }
        });
    }

    public static byte[] bytes(JsonNode n) {
        try {
            return MAPPER.writeValueAsBytes(n);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The error body. */
    public static byte[] error(ApiError e) {
        ObjectNode root = MAPPER.createObjectNode();
        ObjectNode err = root.putObject("error");
        err.put("code", e.code());
        err.put("message", e.getMessage());
        if (e.field() != null) {
            err.put("field", e.field());
        } else {
            err.putNull("field");
        }
        return bytes(root);
    }

    public static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}
