package io.dhcpshield.storage;

import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactories;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.Row;
import io.r2dbc.spi.RowMetadata;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.function.BiFunction;
import java.util.function.Consumer;

/**
 * The two ways the product talks to ClickHouse: R2DBC (clickhouse-r2dbc) for DDL and reads, and a plain HTTP POST
 * for bulk inserts, because the driver's {@code bind()/add()} sends one request per row (see docs/storage.md).
 * Both are HTTP and stateless, so one instance is shared by every caller. A request that finds the server unreachable
 * ({@link Unreachable}) is also told to the {@link #onUnreachable} listener, so readiness follows the latest request
 * rather than the next periodic probe.
 */
public final class ClickHouseClient implements AutoCloseable {

    private final ClickHouseConfig config;
    private final ConnectionFactory factory;
    private final Mono<Connection> connection;
    private final HttpClient http;
    private final String authorization;
    private volatile Consumer<String> unreachableListener = why -> { };

    public ClickHouseClient(ClickHouseConfig config) {
        this.config = Objects.requireNonNull(config, "config");
        this.factory = ConnectionFactories.get(config.r2dbcUrl());
        this.connection = Mono.<Connection>from(factory.create()).cache();
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(config.requestTimeout()).build();
        this.authorization = "Basic " + Base64.getEncoder().encodeToString(
                (config.user() + ":" + config.password()).getBytes(StandardCharsets.UTF_8));
    }

    public ClickHouseConfig config() {
        return config;
    }

    /**
     * {@code listener} hears the reason ({@link Unreachable#reason}) of every request that found ClickHouse
     * unreachable: the writer's inserts, the API's reads, the probes. One listener; it must not block or throw.
     */
    public void onUnreachable(Consumer<String> listener) {
        this.unreachableListener = Objects.requireNonNull(listener, "listener");
    }

    private void failed(Throwable e) {
        Unreachable.reason(e).ifPresent(why -> {
            try {
                unreachableListener.accept(why);
            } catch (RuntimeException ignored) {
                // a listener's bug must not replace the caller's error
            }
        });
    }

    /**
     * Fails unless {@code SELECT 1} returns exactly one row holding 1: a driver that silently returns no rows (the
     * 18.16 failure mode without {@link ClickHouseConfig#COMPAT_DRIVER_OPTIONS}) stops the start here.
     */
    public Mono<Void> selfCheck() {
        return query(Queries.bind("schema.self_check"), (row, meta) -> String.valueOf(row.get(0))).collectList()
                .flatMap(rows -> rows.size() == 1 && "1".equals(rows.get(0)) ? Mono.<Void>empty()
                        : Mono.error(new IllegalStateException("ClickHouse self-check: SELECT 1 returned " + rows
                        + " through " + redacted() + "; check clickhouse.driver_options (18.16 needs "
                        + ClickHouseConfig.COMPAT_DRIVER_OPTIONS + ")")));
    }

    /** Runs one statement (DDL, ALTER, INSERT ... VALUES) and completes when the server answered. */
    public Mono<Void> execute(String sql) {
        return connection.flatMapMany(c -> c.createStatement(sql).execute())
                .flatMap(r -> Flux.from(r.getRowsUpdated()).onErrorResume(e -> Mono.empty())).then()
                .doOnError(this::failed);
    }

    /** Runs a query and maps each row; the SQL must be built with {@link Sql#bind}. */
    public <T> Flux<T> query(String sql, BiFunction<Row, RowMetadata, T> mapper) {
        return connection.flatMapMany(c -> c.createStatement(sql).execute()).concatMap(r -> r.map(mapper))
                .doOnError(this::failed);
    }

    /**
     * POSTs {@code body} as {@code INSERT INTO table (columns) FORMAT format}; blocking, for the writer's own thread.
     *
     * @throws IOException when the server is unreachable, slow past the request timeout, or answers an error
     */
    public void insert(String table, List<String> columns, String format, byte[] body) throws IOException {
        insert(table, columns, format, body, body.length);
    }

    /** {@link #insert(String, List, String, byte[])} of the first {@code length} bytes of {@code body}. */
    public void insert(String table, List<String> columns, String format, byte[] body, int length)
            throws IOException {
        String sql = "INSERT INTO " + table + " (" + String.join(", ", columns) + ") FORMAT " + format;
        post(config.database(), sql, body, length);
    }

    /** POSTs a query with an optional data body over plain HTTP and returns the response text. */
    public String post(String sql, byte[] body) throws IOException {
        return post(config.database(), sql, body, body == null ? 0 : body.length);
    }

    /**
     * Creates the configured database when it is missing ({@code CREATE DATABASE IF NOT EXISTS}, sent without a
     * database so the server runs it in the user's default one); blocking.
     *
     * @throws IOException when the server is unreachable or refuses (say, a read-only user)
     */
    public void createDatabaseIfMissing() throws IOException {
        post(null, "CREATE DATABASE IF NOT EXISTS " + config.database(), null, 0);
    }

    private String post(String database, String sql, byte[] body, int length) throws IOException {
        URI uri = URI.create(config.endpoint() + "/?" + (database != null ? "database=" + database + "&" : "")
                + "query=" + URLEncoder.encode(sql, StandardCharsets.UTF_8));
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(config.requestTimeout())
                .header("Authorization", authorization)
                .POST(body == null ? HttpRequest.BodyPublishers.ofByteArray(new byte[0])
                        : HttpRequest.BodyPublishers.ofByteArray(body, 0, length)).build();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } catch (IOException e) {
            failed(e);
            throw e;
        }
        if (response.statusCode() != 200) {
            String text = response.body();
            throw new ServerRefused("ClickHouse HTTP " + response.statusCode() + ": "
                    + (text.length() > 500 ? text.substring(0, 500) : text).trim());
        }
        return response.body();
    }

    /** The server answered, with an error (as opposed to being unreachable or too slow). */
    public static final class ServerRefused extends IOException {
        ServerRefused(String message) {
            super(message);
        }
    }

    private String redacted() {
        return config.r2dbcUrl().replaceFirst("://([^:]*):[^@]*@", "://$1:***@");
    }

    @Override
    public void close() {
        connection.flatMap(c -> Mono.from(c.close())).onErrorResume(e -> Mono.empty()).subscribe();
        // java.net.http.HttpClient has no close() before Java 21; its threads are daemons.
    }
}
