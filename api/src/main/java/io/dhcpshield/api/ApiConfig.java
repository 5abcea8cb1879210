package io.dhcpshield.api;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * How the HTTP/JSON API, the live stream and the metrics endpoint are served (Core config, {@code api.*}). The
 * defaults live here and only here: {@link #defaults()}.
 *
 * @param enabled            serve the API at all
 * @param listenAddress      address to bind ({@code 0.0.0.0} for every interface)
 * @param port               TCP port
 * @param tlsCertificate     PEM certificate chain; with {@code tlsKey}, the API is served over HTTPS only
 * @param tlsKey             PEM private key (PKCS#8)
 * @param stateDirectory     where the generated signing key and the first admin's one-time password are kept
 * @param signingKeyFile     the JWT signing key (a JWK, 0600); generated at first start when missing
 * @param issuer             {@code iss} of every token, checked on every request
 * @param audience           {@code aud} of every token, checked on every request
 * @param accessTokenTtl     lifetime of an access token (short: revocation of a user bites within it)
 * @param refreshTokenTtl    lifetime of a refresh token (each use rotates it)
 * @param maxBodyBytes       larger request bodies get 413
 * @param loginFailuresPerUser     failed logins per user within {@code loginWindow} before 429
 * @param loginFailuresPerAddress  failed logins per source address within {@code loginWindow} before 429
 * @param loginWindow        the window of the login limits
 * @param maxPageSize        the largest {@code limit} a list accepts
 * @param maxTimeRange       the longest [from, to) an event or history query accepts
 * @param streamQueue        messages held per stream client before it counts as not keeping up
 * @param streamSlowClose    how long a client may stay not keeping up before it is closed (code 4008)
 * @param streamPingInterval how often the server pings each stream client
 * @param streamIdleTimeout  a client that answers no ping for this long is closed
 * @param streamAuthTimeout  how long a client that sent no token in its handshake has to send it
 */
public record ApiConfig(boolean enabled, String listenAddress, int port, Path tlsCertificate, Path tlsKey,
                        Path stateDirectory, Path signingKeyFile, String issuer, String audience,
                        Duration accessTokenTtl, Duration refreshTokenTtl, int maxBodyBytes,
                        int loginFailuresPerUser, int loginFailuresPerAddress, Duration loginWindow,
                        int maxPageSize, Duration maxTimeRange, int streamQueue, Duration streamSlowClose,
                        Duration streamPingInterval, Duration streamIdleTimeout, Duration streamAuthTimeout) {

    public static final Path DEFAULT_STATE_DIRECTORY = Path.of("/var/lib/dhcp-shield");

    public ApiConfig {
        Objects.requireNonNull(listenAddress, "listenAddress");
        Objects.requireNonNull(stateDirectory, "stateDirectory");
        Objects.requireNonNull(issuer, "issuer");
        Objects.requireNonNull(audience, "audience");
        signingKeyFile = signingKeyFile != null ? signingKeyFile : stateDirectory.resolve("jwt-signing-key.json");
        check(port >= 0 && port <= 65535, "port must be 0..65535, was " + port);
        check((tlsCertificate == null) == (tlsKey == null), "tls_certificate and tls_key go together");
        check(positive(accessTokenTtl) && positive(refreshTokenTtl), "token lifetimes must be positive");
        check(refreshTokenTtl.compareTo(accessTokenTtl) >= 0, "refresh_token_ttl must be at least access_token_ttl");
        check(maxBodyBytes >= 1024 && maxBodyBytes <= 16 << 20, "max_body_bytes must be 1024..16777216, was "
                + maxBodyBytes);
        check(loginFailuresPerUser >= 1 && loginFailuresPerAddress >= 1 && positive(loginWindow),
                "login limits must be positive");
        check(maxPageSize >= 1 && maxPageSize <= 10_000, "max_page_size must be 1..10000, was " + maxPageSize);
        check(positive(maxTimeRange), "max_time_range must be positive");
        check(streamQueue >= 16 && streamQueue <= 1_000_000, "stream queue must be 16..1000000, was " + streamQueue);
        check(positive(streamSlowClose) && positive(streamPingInterval) && positive(streamIdleTimeout)
                && positive(streamAuthTimeout), "stream timeouts must be positive");
    }

    /** Compiled defaults. */
    public static ApiConfig defaults() {
        return new ApiConfig(false, "127.0.0.1", 8080, null, null, DEFAULT_STATE_DIRECTORY, null, "dhcp-shield",
                "dhcp-shield-api", Duration.ofMinutes(15), Duration.ofDays(7), 1 << 20, 5, 20,
                Duration.ofMinutes(15), 1000, Duration.ofDays(31), 4096, Duration.ofSeconds(10),
                Duration.ofSeconds(15), Duration.ofSeconds(45), Duration.ofSeconds(5));
    }

    public boolean tls() {
        return tlsCertificate != null;
    }

    /** The file the first admin's one-time password is written to (0600). */
    public Path initialPasswordFile() {
        return stateDirectory.resolve("initial-admin-password");
    }

    private static boolean positive(Duration d) {
        return d != null && !d.isNegative() && !d.isZero();
    }

    private static void check(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException("api: " + message);
        }
    }
}
