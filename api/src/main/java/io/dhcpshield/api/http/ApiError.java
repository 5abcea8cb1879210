package io.dhcpshield.api.http;

import java.time.Duration;

/**
 * A request the API refuses, with the one error shape every route answers: {@code {"error": {"code", "message",
 * "field"}}}. Codes are stable and documented in the OpenAPI document; messages are for people.
 */
public final class ApiError extends RuntimeException {

    private final int status;
    private final String code;
    private final String field;
    private final Duration retryAfter;

    public ApiError(int status, String code, String message, String field, Duration retryAfter) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
        this.field = field;
        this.retryAfter = retryAfter;
    }

    /** 400: a parameter or body field is missing or wrong; names the field. */
    public static ApiError badRequest(String field, String message) {
        return new ApiError(400, "invalid_request", message, field, null);
    }

    public static ApiError unauthorized(String message) {
        return new ApiError(401, "unauthorized", message, null, null);
    }

    public static ApiError forbidden(String message) {
        return new ApiError(403, "forbidden", message, null, null);
    }

    public static ApiError notFound(String message) {
        return new ApiError(404, "not_found", message, null, null);
    }

    public static ApiError methodNotAllowed(String message) {
        return new ApiError(405, "method_not_allowed", message, null, null);
    }

    public static ApiError conflict(String message) {
        return new ApiError(409, "conflict", message, null, null);
    }

    public static ApiError tooLarge(int limit) {
        return new ApiError(413, "body_too_large", "request body larger than " + limit + " bytes", null, null);
    }

    public static ApiError unsupportedMediaType(String message) {
        return new ApiError(415, "unsupported_media_type", message, null, null);
    }

    public static ApiError tooManyRequests(String message, Duration retryAfter) {
        return new ApiError(429, "too_many_requests", message, null, retryAfter);
    }

    public static ApiError notReady(String component, String reason) {
        return new ApiError(503, "not_ready", component + " not ready: " + reason, null, Duration.ofSeconds(5));
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    public String field() {
        return field;
    }

    public Duration retryAfter() {
        return retryAfter;
    }
}
