package io.dhcpshield.api.http;

/** Verifies a bearer access token; throws {@link ApiError} 401 for anything that is not a valid, live one. */
@FunctionalInterface
public interface Authenticator {
    Principal authenticate(String accessToken);
}
