package io.dhcpshield.storage;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;

/**
 * Where and how to reach ClickHouse (Core config: YAML, read at start). {@code driverOptions} is appended to the
 * R2DBC URL as is; its default makes the R2DBC driver work against ClickHouse 18.16 (no compressed responses, TSV
 * results with names and types) and works on modern servers too, which may drop it to get RowBinary and
 * compression.
 *
 * @param endpoint       the HTTP interface, e.g. {@code http://127.0.0.1:8123}
 * @param database       database holding every table
 * @param user           ClickHouse user
 * @param password       its password (may be empty)
 * @param driverOptions  query options for the R2DBC URL, without the leading {@code ?}
 * @param requestTimeout time limit of one HTTP request (inserts, queries)
 */
public record ClickHouseConfig(String endpoint, String database, String user, String password, String driverOptions,
                               Duration requestTimeout) {

    /** The options measured to make clickhouse-r2dbc 0.9.6 return rows from 18.16 (see docs/storage.md). */
    public static final String COMPAT_DRIVER_OPTIONS = "compress=false&format=TabSeparatedWithNamesAndTypes"
            + "&custom_settings=default_format%3DTabSeparatedWithNamesAndTypes";

    public ClickHouseConfig {
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(database, "database");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(password, "password");
        Objects.requireNonNull(driverOptions, "driverOptions");
        Objects.requireNonNull(requestTimeout, "requestTimeout");
        if (endpoint.endsWith("/")) {
            endpoint = endpoint.substring(0, endpoint.length() - 1);
        }
        if (!database.matches("[A-Za-z_][A-Za-z0-9_]*")) {
            throw new IllegalArgumentException("database name must be an identifier, was '" + database + "'");
        }
    }

    /** The product's database unless configured otherwise. */
    public static final String DEFAULT_DATABASE = "dhcp_shield";

    /**
     * Compiled defaults, the only place they are written: a local server, database {@value #DEFAULT_DATABASE}
     * (created at start when missing), user {@code default}.
     */
    public static ClickHouseConfig defaults() {
        return new ClickHouseConfig("http://127.0.0.1:8123", DEFAULT_DATABASE, "default", "", COMPAT_DRIVER_OPTIONS,
                Duration.ofSeconds(30));
    }

    public ClickHouseConfig withUser(String newUser, String newPassword) {
        return new ClickHouseConfig(endpoint, database, newUser, newPassword, driverOptions, requestTimeout);
    }

    public ClickHouseConfig withDriverOptions(String options) {
        return new ClickHouseConfig(endpoint, database, user, password, options, requestTimeout);
    }

    public ClickHouseConfig withEndpoint(String newEndpoint) {
        return new ClickHouseConfig(newEndpoint, database, user, password, driverOptions, requestTimeout);
    }

    public ClickHouseConfig withDatabase(String newDatabase) {
        return new ClickHouseConfig(endpoint, newDatabase, user, password, driverOptions, requestTimeout);
    }

    public ClickHouseConfig withRequestTimeout(Duration timeout) {
        return new ClickHouseConfig(endpoint, database, user, password, driverOptions, timeout);
    }

    /**
     * The R2DBC URL: {@code r2dbc:clickhouse:http://user:password@host:port/database?driverOptions}. clickhouse-r2dbc
     * 0.9.6 ignores the database in the path (queries ran in {@code default}), so the database is also sent as a
     * server setting through {@code custom_settings}, which the driver passes on as a URL parameter.
     */
    public String r2dbcUrl() {
        URI u = URI.create(endpoint);
        String auth = enc(user) + ":" + enc(password) + "@";
        String url = "r2dbc:clickhouse:" + u.getScheme() + "://" + auth + u.getHost() + ":" + port(u) + "/" + database;
        String options = driverOptions;
        if (options.contains("custom_settings=")) {
            options = options.replaceFirst("custom_settings=([^&]*)", "custom_settings=$1%2Cdatabase%3D" + database);
        } else {
            options = (options.isEmpty() ? "" : options + "&") + "custom_settings=database%3D" + database;
        }
        return url + "?" + options;
    }

    static int port(URI u) {
        if (u.getPort() > 0) {
            return u.getPort();
        }
        return "https".equals(u.getScheme()) ? 8443 : 8123;
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
