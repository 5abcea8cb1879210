package io.dhcpshield.storage;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Versioned schema migrations, applied in order at start. A migration's statements are all {@code IF NOT EXISTS} (an
 * {@code ALTER TABLE t ADD COLUMN c}, which ClickHouse 18.16 cannot say {@code IF NOT EXISTS}, is skipped when
 * {@code system.columns} already has the column), and its version is recorded in {@code schema_migrations} after it
 * ran, so a re-run (or a crash half way) is safe.
 * Not safe against two daemons migrating the same database at the same instant; one daemon per database.
 */
public final class Migrations {

    /** The migration files, in order; each is {@code migrations/V<version>__<name>.sql} beside this class. */
    static final List<String> FILES = List.of(
            "V001__dhcp_events.sql",
            "V002__stage1_views.sql",
            "V003__operational_config.sql",
            "V004__logs.sql",
            "V005__actions_detail.sql",
            "V006__auth.sql",
            "V007__audit_micros.sql",
            "V008__automation.sql",
            "V009__l2_source.sql",
            "V010__alarm_history.sql",
            "V011__firewall_rulesets.sql",
            "V012__bulk_jobs.sql",
            "V013__observed.sql");
    // New migrations: add the file here; ClusterDdl and the chdb harness pick it up from this list / the folder.

    static final String CREATE_TABLE = "CREATE TABLE IF NOT EXISTS schema_migrations ("
            + "version UInt32, name String, checksum String, applied_at DateTime"
            + ") ENGINE = MergeTree ORDER BY version";

    private static final Pattern FILE_NAME = Pattern.compile("V(\\d+)__(\\w+)\\.sql");

    /** One migration: its version, name, statements and the checksum of its text. */
    public record Migration(int version, String name, List<String> statements, String checksum) {
    }

    private Migrations() {
    }

    /** Every migration shipped with this build, in version order. */
    public static List<Migration> all() {
        List<Migration> out = new ArrayList<>();
        for (String file : FILES) {
            Matcher m = FILE_NAME.matcher(file);
            if (!m.matches()) {
                throw new IllegalStateException("bad migration file name " + file);
            }
            String text = resource("migrations/" + file);
            out.add(new Migration(Integer.parseInt(m.group(1)), m.group(2), statements(text), sha256(text)));
        }
        return out;
    }

    /** Every DDL statement the product issues, in order (for the engine-compatibility harness). */
    public static List<String> allStatements() {
        List<String> out = new ArrayList<>();
        out.add(CREATE_TABLE);
        all().forEach(m -> out.addAll(m.statements()));
        return out;
    }

    /** Applies the migrations not yet recorded; emits the versions applied now (none when up to date). */
    public static Flux<Integer> apply(ClickHouseClient client) {
        return client.execute(CREATE_TABLE)
                .thenMany(client.query(Queries.bind("schema.applied_versions"),
                        (row, meta) -> Integer.parseInt(String.valueOf(row.get(0)))))
                .collect(TreeSet<Integer>::new, Set::add)
                .flatMapMany(done -> Flux.fromIterable(all()).filter(m -> !done.contains(m.version())))
                .concatMap(m -> Flux.fromIterable(m.statements()).concatMap(sql -> execute(client, sql))
                        .then(client.execute(Queries.bind("schema.record_migration",
                                m.version(), m.name(), m.checksum(), Instant.now())))
                        .then(Mono.just(m.version())));
    }

    /** Runs one migration statement; an ADD COLUMN whose column is already there is skipped. */
    static Mono<Void> execute(ClickHouseClient client, String sql) {
        Matcher add = ADD_COLUMN.matcher(sql);
        if (!add.lookingAt()) {
            return client.execute(sql);
        }
        return client.query(Queries.bind("schema.column_exists", add.group(1), add.group(2)),
                        (row, meta) -> Long.parseLong(String.valueOf(row.get(0))))
                .next()
                .flatMap(n -> n > 0 ? Mono.<Void>empty() : client.execute(sql));
    }

    /** {@code ALTER TABLE <table> ADD COLUMN <column>}: the one statement form without IF NOT EXISTS here. */
    static final Pattern ADD_COLUMN = Pattern.compile("ALTER TABLE (\\w+) ADD COLUMN (\\w+)");

    /** Splits a migration file into statements: {@code --} comment lines removed, split on {@code ;}. */
    static List<String> statements(String text) {
        StringBuilder sb = new StringBuilder();
        for (String line : text.split("\n")) {
            if (!line.strip().startsWith("--")) {
                sb.append(line).append('\n');
            }
        }
        List<String> out = new ArrayList<>();
        for (String s : sb.toString().split(";")) {
            if (!s.isBlank()) {
                out.add(s.strip());
            }
        }
        return out;
    }

    static String resource(String name) {
        try (InputStream in = Migrations.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
