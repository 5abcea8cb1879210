package io.dhcpshield.automation.rules;

import io.dhcpshield.automation.rules.Rule.Filter;
import io.dhcpshield.automation.rules.Rule.GroupKey;
import io.dhcpshield.automation.rules.Rule.Source;
import io.dhcpshield.core.net.IpAddress;
import io.dhcpshield.storage.Sql;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A rule's SQL. The text is assembled from fixed fragments chosen by the rule's enums (table, columns, metric,
 * comparison); every value the operator wrote (filter values, thresholds) and every time is a {@code ?} bound by
 * {@link Sql#bind}, an escaped typed literal: nothing typed by a person is concatenated. Wildcards become
 * {@code LIKE} patterns with {@code %}, {@code _} and {@code \} escaped; regular expressions go to {@code match()}
 * (RE2). Only SQL that ClickHouse 18.16 and 26.x both run: the committed {@code storage/chdb/automation_rules.sql}
 * holds the statements of the seed rules and is run by {@code storage/chdb/check.js}.
 *
 * <p>A window is whole time buckets of the source, the last ones completed before "now": a 10-minute window at
 * 12:05:40 reads 11:55:00-12:05:00 (the minute in progress is read by the next run), a 2-hour window of the hourly
 * view at 12:30 reads 10:00-12:00. Raw events use the same bounds, so both agree.
 */
public final class RuleSql {

    /** Most groups one run reports (the busiest, by metric). */
    public static final int MAX_HITS = 1000;
    /** Most clients acted on under one relay, circuit, site or vendor class (the busiest in the window). */
    public static final int MAX_CLIENTS_PER_KEY = 256;

    /** The text of a relay address as shown to people: dotted IPv4 for the mapped form. */
    static final String RELAY_TEXT = "replaceRegexpOne(IPv6NumToString(relay_ip), '^::ffff:', '')";

    /** The time range a run reads: {@code [from, to)}. */
    public record Window(Instant from, Instant to) {
        public long minutes() {
            return Duration.between(from, to).toMinutes();
        }
    }

    private RuleSql() {
    }

    /** The window a run of {@code rule} at {@code now} reads. */
    public static Window window(Rule rule, Instant now) {
        long bucket = rule.source().granularityMinutes() * 60L;
        long end = Math.floorDiv(now.getEpochSecond(), bucket) * bucket;
        return new Window(Instant.ofEpochSecond(end - rule.windowMinutes() * 60L), Instant.ofEpochSecond(end));
    }

    /** The keys other than client, in the rule's order: the text columns a hit row starts with. */
    public static List<GroupKey> textKeys(Rule rule) {
        return rule.groupBy().stream().filter(k -> k != GroupKey.CLIENT).toList();
    }

    /**
     * The groups at or above the rule's lowest threshold, highest metric first, at most {@link #MAX_HITS}. Columns:
     * one text column per {@link #textKeys} key, then the client's mark, MAC, DUID (empty unless
     * the source is dhcp_events), all 0/empty when the rule does not group by client, then the metric (Float64).
     */
    public static String hits(Rule rule, Window w) {
        Source src = rule.source();
        Builder b = new Builder();
        b.sql("SELECT ");
        for (GroupKey k : textKeys(rule)) b.sql(keyText(k)).sql(" AS k_").sql(k.label()).sql(", ");
        if (rule.groupsByClient()) {
            b.sql("client_mark AS c_mark, client_mac AS c_mac, ").sql(src.aggregated() ? "''" : "max(duid)")
                    .sql(" AS c_duid, ");
        } else {
            // Aliases never reuse a column's name: ClickHouse aliases are query-wide, so "0 AS client_mac" would
            // turn the metric's client_mac into that constant.
            b.sql("toUInt32(0) AS c_mark, toUInt64(0) AS c_mac, '' AS c_duid, ");
        }
        metric(rule, w, b);
        b.sql(" AS metric_value\nFROM ").sql(src.table()).sql("\nWHERE ");
        where(rule, src, w, b);
        b.sql("\nGROUP BY ").sql(String.join(", ", groupColumns(rule.groupBy())));
        b.sql("\nHAVING metric_value >= toFloat64(?)", RuleJson.number(rule.thresholds().get(0).value()));
        b.sql("\nORDER BY metric_value DESC");
        for (String c : groupColumns(rule.groupBy())) b.sql(", ").sql(c);
        b.sql("\nLIMIT ?", MAX_HITS);
        return b.bind();
    }

    /**
     * The clients seen under the given keys in the window (rules that do not group by client act on them), read
     * from dhcp_events with the rule's filters: per key at most {@link #MAX_CLIENTS_PER_KEY}, busiest first.
     * Columns: the key texts as in {@link #hits}, {@code client_mark}, {@code client_mac}, a DUID, the events.
     *
     * @param keys each key's texts in {@link #textKeys} order, as {@link #hits} returned them
     */
    public static String members(Rule rule, Window w, List<List<String>> keys) {
        List<GroupKey> text = textKeys(rule);
        if (rule.groupsByClient() || text.isEmpty()) throw new IllegalArgumentException("rule groups by client");
        if (keys.isEmpty()) throw new IllegalArgumentException("no keys");
        Builder b = new Builder();
        b.sql("SELECT ");
        for (GroupKey k : text) b.sql(keyText(k)).sql(" AS k_").sql(k.label()).sql(", ");
        b.sql("client_mark AS c_mark, client_mac AS c_mac, max(duid) AS c_duid, count() AS n\nFROM dhcp_events\nWHERE ");
        where(rule, Source.DHCP_EVENTS, w, b);
        b.sql("\n  AND ");
        if (text.size() == 1) {
            b.sql(keyText(text.get(0))).sql(" IN (");
            for (int i = 0; i < keys.size(); i++) b.sql(i == 0 ? "?" : ", ?", keys.get(i).get(0));
            b.sql(")");
        } else {
            b.sql("(").sql(String.join(", ", text.stream().map(RuleSql::keyText).toList())).sql(") IN (");
            for (int i = 0; i < keys.size(); i++) {
                List<String> key = keys.get(i);
                if (key.size() != text.size()) throw new IllegalArgumentException("key " + key + " has the wrong size");
                b.sql(i == 0 ? "(" : ", (");
                for (int j = 0; j < key.size(); j++) b.sql(j == 0 ? "?" : ", ?", key.get(j));
                b.sql(")");
            }
            b.sql(")");
        }
        List<String> cols = groupColumns(text);
        b.sql("\nGROUP BY ").sql(String.join(", ", cols)).sql(", client_mark, client_mac");
        b.sql("\nORDER BY n DESC, client_mark, client_mac");
        b.sql("\nLIMIT ? BY ", MAX_CLIENTS_PER_KEY).sql(String.join(", ", cols));
        return b.bind();
    }

    /** An exact relay filter's address, or null when the text is not one. */
    static IpAddress relayAddress(String text) {
        try {
            return IpAddress.parse(text.strip());
        } catch (RuntimeException e) {
            return null;
        }
    }

    // ---------------------------------------------------------------- fragments

    private static void where(Rule rule, Source src, Window w, Builder b) {
        b.sql(src.timeColumn()).sql(" >= ?", w.from()).sql(" AND ").sql(src.timeColumn()).sql(" < ?", w.to());
        for (Filter f : rule.filters()) {
            b.sql("\n  AND ");
            if (f.negate()) b.sql("NOT ");
            b.sql("(");
            filter(f, src, b);
            b.sql(")");
        }
    }

    private static void filter(Filter f, Source src, Builder b) {
        switch (f.field()) {
            case MESSAGE_TYPE -> {
                List<MessageTypes.Type> types = MessageTypes.matching(f.match(), f.value());
                b.sql("(family, ").sql(src.aggregated() ? "message_type" : "inner_type").sql(") IN (");
                for (int i = 0; i < types.size(); i++) {
                    b.sql(i == 0 ? "(?, ?)" : ", (?, ?)", types.get(i).family(), types.get(i).code());
                }
                b.sql(")");
            }
            case FAMILY -> b.sql("family = ?", Integer.parseInt(f.value()));
            case DIRECTION -> b.sql("direction = ?", f.value());
            case RELAY -> {
                if (f.match() == Rule.Match.EXACT) b.sql("relay_ip = ?", Objects.requireNonNull(relayAddress(f.value())));
                else compare(RELAY_TEXT, f, b);
            }
            default -> compare(column(f.field()), f, b);
        }
    }

    private static void compare(String expr, Filter f, Builder b) {
        switch (f.match()) {
            case EXACT -> b.sql(expr).sql(" = ?", f.value());
            case WILDCARD -> b.sql(expr).sql(" LIKE ?", like(f.value()));
            case REGEX -> b.sql("match(").sql(expr).sql(", ?)", f.value());
        }
    }

    /** A wildcard ({@code *} any run, {@code ?} one character) as a LIKE pattern, LIKE's own characters escaped. */
    static String like(String wildcard) {
        StringBuilder sb = new StringBuilder();
        for (char c : wildcard.toCharArray()) {
            switch (c) {
                case '*' -> sb.append('%');
                case '?' -> sb.append('_');
                case '%', '_', '\\' -> sb.append('\\').append(c);
                default -> sb.append(c);
            }
        }
        return sb.toString();
    }

    private static String column(Rule.Field f) {
        return switch (f) {
            case CIRCUIT -> "circuit_id";
            case REMOTE_ID -> "remote_id";
            case VENDOR_CLASS -> "vendor_class";
            case HOSTNAME -> "hostname";
            case FINGERPRINT -> "requested_options";
            case SITE -> "site_id";
            default -> throw new IllegalArgumentException(f.label() + " has no plain column");
        };
    }

    private static String keyText(GroupKey k) {
        return switch (k) {
            case RELAY -> RELAY_TEXT;
            case CIRCUIT -> "circuit_id";
            case SITE -> "site_id";
            case VENDOR_CLASS -> "vendor_class";
            case CLIENT -> throw new IllegalArgumentException("client is not a text key");
        };
    }

    private static List<String> groupColumns(List<GroupKey> keys) {
        List<String> out = new ArrayList<>();
        for (GroupKey k : keys) {
            switch (k) {
                case CLIENT -> {
                    out.add("client_mark");
                    out.add("client_mac");
                }
                case RELAY -> out.add("relay_ip");
                default -> out.add(keyText(k));
            }
        }
        return out;
    }

    private static void metric(Rule rule, Window w, Builder b) {
        boolean agg = rule.source().aggregated();
        String count = agg ? "toFloat64(sum(events))" : "toFloat64(count())";
        String type = agg ? "message_type" : "inner_type";
        switch (rule.metric()) {
            case COUNT -> b.sql(count);
            case RATE -> b.sql(count).sql(" / ?", w.minutes());
            case DISTINCT_MACS -> b.sql("toFloat64(uniqExactIf(client_mac, client_mac != 0))");
            case DISTINCT_DUIDS -> b.sql("toFloat64(uniqExactIf(duid, duid != ''))");
            case DISTINCT_CIRCUITS -> b.sql("toFloat64(uniqExactIf(circuit_id, circuit_id != ''))");
            case NEVER_COMPLETED -> {
                String n = agg ? "sumIf(events, " : "countIf(";
                b.sql("if(").sql(n).sql("(family = 4 AND ").sql(type).sql(" = 5) OR (family = 6 AND ").sql(type)
                        .sql(" = 7)) = 0, toFloat64(").sql(n).sql(type).sql(" = 1)), toFloat64(0))");
            }
        }
    }

    /** SQL text with {@code ?} placeholders and their values, bound once at the end. */
    private static final class Builder {
        private final StringBuilder sql = new StringBuilder();
        private final List<Object> values = new ArrayList<>();

        /** Appends a fixed fragment (never a value) and the values of its placeholders. */
        Builder sql(String fragment, Object... vals) {
            sql.append(fragment);
            values.addAll(List.of(vals));
            return this;
        }

        String bind() {
            return Sql.bind(sql.toString(), values.toArray());
        }
    }
}
