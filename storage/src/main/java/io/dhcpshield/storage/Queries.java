package io.dhcpshield.storage;

import io.dhcpshield.core.net.IpAddress;
import io.dhcpshield.core.net.MacAddress;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The product's query templates, loaded from {@code queries.sql} beside this class: the same file the chdb harness
 * ({@code storage/chdb/check.js}) runs on ClickHouse 26.x, so the two cannot drift. Each template declares its
 * parameter types; {@link #bind} checks every value against them and writes it with {@link Sql#literal}, so nothing
 * from a request is ever concatenated into SQL.
 */
public final class Queries {

    /** One named template and the types of its {@code ?} parameters: string, int, time, mac, ip. */
    public record Template(String name, List<String> params, String sql) {
    }

    private static final Map<String, Template> ALL = load();

    private Queries() {
    }

    /** Every template, in file order. */
    public static Map<String, Template> all() {
        return ALL;
    }

    public static Template get(String name) {
        Template t = ALL.get(name);
        if (t == null) {
            throw new IllegalArgumentException("no query named " + name);
        }
        return t;
    }

    /** The template {@code name} with each parameter bound (type-checked, escaped). */
    public static String bind(String name, Object... values) {
        Template t = get(name);
        if (values.length != t.params().size()) {
            throw new IllegalArgumentException(name + " takes " + t.params() + ", got " + values.length + " values");
        }
        for (int i = 0; i < values.length; i++) {
            Object v = values[i];
            String type = t.params().get(i);
            boolean ok = switch (type) {
                case "string" -> v instanceof String;
                case "int" -> v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte;
                case "time" -> v instanceof Instant;
                case "mac" -> v instanceof MacAddress;
                case "ip" -> v instanceof IpAddress;
                default -> false;
            };
            if (!ok) {
                throw new IllegalArgumentException(name + " parameter " + (i + 1) + " must be a " + type + ", was "
                        + (v == null ? "null" : v.getClass().getSimpleName()));
            }
        }
        return Sql.bind(t.sql(), values);
    }

    /**
     * The switch of an optional criterion written as {@code (? = 0 OR col = ?)}: 1 when the criterion is given (its
     * clause applies), 0 when it is null (the clause is true for every row).
     */
    static int given(Object criterion) {
        return criterion == null ? 0 : 1;
    }

    /** The value bound for an optional text criterion: itself, or "" when absent (its clause is off then). */
    static String textOrEmpty(String criterion) {
        return criterion == null ? "" : criterion;
    }

    static Map<String, Template> parse(String text) {
        Map<String, Template> out = new LinkedHashMap<>();
        String name = null;
        List<String> params = List.of();
        StringBuilder sql = new StringBuilder();
        for (String line : (text + "\n-- name: \n").split("\n")) {
            String l = line.strip();
            if (l.startsWith("-- name:")) {
                if (name != null) {
                    String s = sql.toString().strip();
                    if (s.endsWith(";")) {
                        s = s.substring(0, s.length() - 1).strip();
                    }
                    if (s.isEmpty() || out.put(name, new Template(name, params, s)) != null) {
                        throw new IllegalStateException("queries.sql: empty or duplicate query " + name);
                    }
                    if (s.chars().filter(c -> c == '?').count() != params.size()) {
                        throw new IllegalStateException("queries.sql: " + name + " has a different number of ? than"
                                + " params");
                    }
                }
                name = l.substring("-- name:".length()).strip();
                params = List.of();
                sql.setLength(0);
            } else if (l.startsWith("-- params:")) {
                String p = l.substring("-- params:".length()).strip();
                params = p.isEmpty() ? List.of() : List.copyOf(Arrays.asList(p.split("\\s+")));
            } else if (!l.startsWith("--") && name != null) {
                sql.append(line).append('\n');
            }
        }
        return Collections.unmodifiableMap(out);
    }

    private static Map<String, Template> load() {
        return parse(Migrations.resource("queries.sql"));
    }

    /** Names of every template (for tests). */
    static List<String> names() {
        return new ArrayList<>(ALL.keySet());
    }
}
