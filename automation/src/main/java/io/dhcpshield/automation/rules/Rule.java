package io.dhcpshield.automation.rules;

import io.dhcpshield.enforcement.action.ActionType;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * An automation rule (seed 003): every {@code everyMinutes}, look at {@code source} over the last
 * {@code windowMinutes}, keep the rows matching {@code filters}, group them by up to three keys, compute the
 * {@code metric} per group, and for each group at or above the lowest threshold take the action of the highest
 * threshold it reached. The record holds what the operator wrote; {@link #problems()} says what is wrong with it, each
 * problem naming its field as the JSON spells it ({@code thresholds[1].value}). JSON: {@link RuleJson}.
 */
public record Rule(String id, String name, String description, boolean enabled, int priority, int everyMinutes,
                   Source source, int windowMinutes, List<Filter> filters, List<GroupKey> groupBy, Metric metric,
                   List<Tier> thresholds, int suppressMinutes, Severity severity) {

    public static final int MAX_PRIORITY = 1000;
    public static final int MAX_EVERY_MINUTES = 1440;
    public static final int MAX_FILTERS = 10;
    public static final int MAX_GROUP_KEYS = 3;
    public static final int MAX_TIERS = 5;
    public static final int MAX_TEXT = 256;
    /** A week: the longest window a Stage-1 view is read over. */
    public static final int MAX_WINDOW_MINUTES = 7 * 24 * 60;
    /** A day: the longest window over raw events (a scan of dhcp_events). */
    public static final int MAX_EVENTS_WINDOW_MINUTES = 24 * 60;

    private static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");

    public Rule {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        description = description == null ? "" : description;
        filters = List.copyOf(filters);
        groupBy = List.copyOf(groupBy);
        thresholds = List.copyOf(thresholds);
    }

    /** Where a rule reads: one of the Stage-1 views of storage V002, or the raw events. */
    public enum Source {
        CLIENT_MINUTE_STATS("client_minute_stats", "minute", 1, MAX_WINDOW_MINUTES,
                EnumSet.of(Field.MESSAGE_TYPE, Field.FAMILY, Field.SITE),
                EnumSet.of(GroupKey.CLIENT, GroupKey.SITE),
                EnumSet.of(Metric.COUNT, Metric.RATE, Metric.DISTINCT_MACS, Metric.NEVER_COMPLETED)),
        RELAY_MINUTE_STATS("relay_minute_stats", "minute", 1, MAX_WINDOW_MINUTES,
                EnumSet.of(Field.MESSAGE_TYPE, Field.FAMILY, Field.SITE, Field.RELAY, Field.CIRCUIT, Field.REMOTE_ID),
                EnumSet.of(GroupKey.RELAY, GroupKey.CIRCUIT, GroupKey.SITE),
                EnumSet.of(Metric.COUNT, Metric.RATE, Metric.DISTINCT_CIRCUITS)),
        VENDOR_CLASS_HOUR_STATS("vendor_class_hour_stats", "hour", 60, MAX_WINDOW_MINUTES,
                EnumSet.of(Field.MESSAGE_TYPE, Field.FAMILY, Field.SITE, Field.VENDOR_CLASS),
                EnumSet.of(GroupKey.VENDOR_CLASS, GroupKey.SITE),
                EnumSet.of(Metric.COUNT, Metric.RATE)),
        DHCP_EVENTS("dhcp_events", "event_time", 1, MAX_EVENTS_WINDOW_MINUTES,
                EnumSet.allOf(Field.class), EnumSet.allOf(GroupKey.class), EnumSet.allOf(Metric.class));

        private final String table;
        private final String timeColumn;
        private final int granularityMinutes;
        private final int maxWindowMinutes;
        private final Set<Field> fields;
        private final Set<GroupKey> keys;
        private final Set<Metric> metrics;

        Source(String table, String timeColumn, int granularityMinutes, int maxWindowMinutes, Set<Field> fields,
               Set<GroupKey> keys, Set<Metric> metrics) {
            this.table = table;
            this.timeColumn = timeColumn;
            this.granularityMinutes = granularityMinutes;
            this.maxWindowMinutes = maxWindowMinutes;
            this.fields = fields;
            this.keys = keys;
            this.metrics = metrics;
        }

        public String table() { return table; }
        public String timeColumn() { return timeColumn; }
        /** The width of one row's time bucket: windows are whole buckets. */
        public int granularityMinutes() { return granularityMinutes; }
        public int maxWindowMinutes() { return maxWindowMinutes; }
        public Set<Field> fields() { return fields; }
        public Set<GroupKey> keys() { return keys; }
        public Set<Metric> metrics() { return metrics; }
        /** True for the Stage-1 views (SummingMergeTree rows carrying {@code events}). */
        public boolean aggregated() { return this != DHCP_EVENTS; }
        public String label() { return table; }

        public static Optional<Source> byLabel(String s) {
            for (Source v : values()) if (v.table.equals(s)) return Optional.of(v);
            return Optional.empty();
        }
    }

    /** What a filter looks at. */
    public enum Field {
        MESSAGE_TYPE, FAMILY, DIRECTION, RELAY, CIRCUIT, REMOTE_ID, VENDOR_CLASS, HOSTNAME,
        /** The Parameter Request List as the client ordered it (option 55 / DHCPv6 ORO), e.g. {@code 1,3,6,15}. */
        FINGERPRINT, SITE;

        public String label() { return name().toLowerCase(Locale.ROOT); }

        public static Optional<Field> byLabel(String s) { return Labels.find(values(), s, Field::label); }
    }

    /** How a filter compares: the whole value, a {@code *}/{@code ?} wildcard, or an RE2 regular expression. */
    public enum Match {
        EXACT, WILDCARD, REGEX;

        public String label() { return name().toLowerCase(Locale.ROOT); }

        public static Optional<Match> byLabel(String s) { return Labels.find(values(), s, Match::label); }
    }

    /** What a rule groups by. A client is its 24-bit mark with its MAC (0 when it has none). */
    public enum GroupKey {
        CLIENT, RELAY, CIRCUIT, SITE, VENDOR_CLASS;

        public String label() { return name().toLowerCase(Locale.ROOT); }

        public static Optional<GroupKey> byLabel(String s) { return Labels.find(values(), s, GroupKey::label); }
    }

    /** What a rule measures per group over the window. */
    public enum Metric {
        /** Messages. */
        COUNT,
        /** Messages per minute of the window. */
        RATE,
        /** Distinct client MACs (clients without one are not counted). */
        DISTINCT_MACS,
        /** Distinct DHCPv6 DUIDs. */
        DISTINCT_DUIDS,
        /** Distinct circuit-ids (Option 82 / interface-id). */
        DISTINCT_CIRCUITS,
        /**
         * DISCOVERs and SOLICITs of a client that got no ACK or REPLY in the whole window (0 once one completed):
         * clients that never finish a DORA or SARR.
         */
        NEVER_COMPLETED;

        public String label() { return name().toLowerCase(Locale.ROOT); }

        public static Optional<Metric> byLabel(String s) { return Labels.find(values(), s, Metric::label); }
    }

    /** The seven things a threshold can do: the Action Manager's six enforcement actions, or raise an alarm only. */
    public enum Outcome {
        BLOCK(ActionType.BLOCK), DENY(ActionType.DENY), THROTTLE(ActionType.THROTTLE), MONITOR(ActionType.MONITOR),
        ALLOW(ActionType.ALLOW), ANALYZE(ActionType.ANALYZE), ALARM(null);

        private final ActionType action;

        Outcome(ActionType action) { this.action = action; }

        /** The Action Manager's action; empty for alarm only. */
        public Optional<ActionType> action() { return Optional.ofNullable(action); }

        /** True when it acts on clients (everything but alarm). */
        public boolean acts() { return action != null; }

        /** True when a duration applies (the actions that write a set, except the permanent deny). */
        public boolean timed() { return action != null && action.writesSet() && action != ActionType.DENY; }

        public String label() { return name().toLowerCase(Locale.ROOT); }

        public static Optional<Outcome> byLabel(String s) { return Labels.find(values(), s, Outcome::label); }
    }

    public enum Severity {
        INFO, WARNING, CRITICAL;

        public String label() { return name().toLowerCase(Locale.ROOT); }

        public static Optional<Severity> byLabel(String s) { return Labels.find(values(), s, Severity::label); }
    }

    /** One condition on the rows read; {@code negate} keeps the rows that do not match. */
    public record Filter(Field field, Match match, String value, boolean negate) {
        public Filter {
            Objects.requireNonNull(field, "field");
            Objects.requireNonNull(match, "match");
            Objects.requireNonNull(value, "value");
        }

        public static Filter exact(Field field, String value) { return new Filter(field, Match.EXACT, value, false); }
    }

    /**
     * One step of escalation: at or above {@code value}, do {@code outcome} for {@code durationMinutes} (null: the
     * action's default duration; always null for deny, analyze and alarm).
     */
    public record Tier(double value, Outcome outcome, Integer durationMinutes) {
        public Tier {
            Objects.requireNonNull(outcome, "outcome");
        }
    }

    /** True when every group key names a client: hits are clients. Otherwise hits are relays, circuits or sites. */
    public boolean groupsByClient() {
        return groupBy.contains(GroupKey.CLIENT);
    }

    /** The tier a metric value reaches (the highest threshold at or below it), or -1 below the lowest. */
    public int tierOf(double value) {
        int t = -1;
        for (int i = 0; i < thresholds.size(); i++) if (value >= thresholds.get(i).value()) t = i;
        return t;
    }

    /** The same rule enabled or not. */
    public Rule withEnabled(boolean on) {
        return new Rule(id, name, description, on, priority, everyMinutes, source, windowMinutes, filters, groupBy,
                metric, thresholds, suppressMinutes, severity);
    }

    /** Everything wrong with this rule, each naming its field; empty when the rule is valid. */
    public List<String> problems() {
        List<String> p = new ArrayList<>();
        if (!ID.matcher(id).matches()) {
            p.add("id must be 1-63 lower-case letters, digits or '-', starting with a letter or digit, was '" + id + "'");
        }
        if (name.isBlank()) p.add("name must not be empty");
        if (name.length() > 120) p.add("name must be at most 120 characters");
        if (description.length() > 2000) p.add("description must be at most 2000 characters");
        if (priority < 0 || priority > MAX_PRIORITY) p.add("priority must be 0.." + MAX_PRIORITY + ", was " + priority);
        if (everyMinutes < 1 || everyMinutes > MAX_EVERY_MINUTES) {
            p.add("every_minutes must be 1.." + MAX_EVERY_MINUTES + ", was " + everyMinutes);
        }
        if (source == null) {
            p.add("source is required");
        }
        if (metric == null) p.add("metric is required");
        if (severity == null) p.add("severity is required");
        if (source != null) {
            if (windowMinutes < source.granularityMinutes() || windowMinutes > source.maxWindowMinutes()) {
                p.add("window_minutes must be " + source.granularityMinutes() + ".." + source.maxWindowMinutes()
                        + " for source " + source.label() + ", was " + windowMinutes
                        + (source == Source.DHCP_EVENTS ? " (raw events; use a Stage-1 view for longer windows)" : ""));
            } else if (windowMinutes % source.granularityMinutes() != 0) {
                p.add("window_minutes must be whole hours (a multiple of 60) for source " + source.label() + ", was "
                        + windowMinutes);
            }
        }
        if (suppressMinutes < 0 || suppressMinutes > MAX_WINDOW_MINUTES) {
            p.add("suppress_minutes must be 0.." + MAX_WINDOW_MINUTES + ", was " + suppressMinutes);
        }
        if (filters.size() > MAX_FILTERS) p.add("filters must have at most " + MAX_FILTERS + " entries");
        for (int i = 0; i < filters.size(); i++) filterProblems("filters[" + i + "]", filters.get(i), p);
        if (groupBy.isEmpty() || groupBy.size() > MAX_GROUP_KEYS) {
            p.add("group_by must have 1.." + MAX_GROUP_KEYS + " keys, had " + groupBy.size());
        }
        for (int i = 0; i < groupBy.size(); i++) {
            GroupKey k = groupBy.get(i);
            if (groupBy.indexOf(k) != i) p.add("group_by[" + i + "]: " + k.label() + " is listed twice");
            if (source != null && !source.keys().contains(k)) {
                p.add("group_by[" + i + "]: " + k.label() + " is not available in source " + source.label()
                        + " (available: " + labels(source.keys()) + ")");
            }
        }
        if (metric != null && source != null && !source.metrics().contains(metric)) {
            p.add("metric: " + metric.label() + " is not available in source " + source.label() + " (available: "
                    + labels(source.metrics()) + ")");
        }
        if (metric == Metric.DISTINCT_MACS && groupsByClient()) {
            p.add("metric: distinct_macs counts clients, so group_by must not contain client");
        }
        if (metric == Metric.NEVER_COMPLETED) {
            if (!groupsByClient()) p.add("metric: never_completed is per client, so group_by must contain client");
            for (int i = 0; i < filters.size(); i++) {
                if (filters.get(i).field() == Field.MESSAGE_TYPE) {
                    p.add("filters[" + i + "]: message_type cannot be used with metric never_completed (it reads"
                            + " DISCOVER/SOLICIT and ACK/REPLY itself)");
                }
            }
        }
        if (thresholds.isEmpty() || thresholds.size() > MAX_TIERS) {
            p.add("thresholds must have 1.." + MAX_TIERS + " entries, had " + thresholds.size());
        }
        for (int i = 0; i < thresholds.size(); i++) {
            Tier t = thresholds.get(i);
            String f = "thresholds[" + i + "]";
            if (!Double.isFinite(t.value()) || t.value() <= 0 || t.value() > 1e15) {
                p.add(f + ".value must be a number above 0 (and at most 1e15), was " + t.value());
            }
            if (i > 0 && !(t.value() > thresholds.get(i - 1).value())) {
                p.add(f + ".value must be greater than thresholds[" + (i - 1) + "].value (thresholds ascend), was "
                        + RuleJson.number(t.value()) + " after " + RuleJson.number(thresholds.get(i - 1).value()));
            }
            if (t.durationMinutes() != null) {
                if (!t.outcome().timed()) {
                    p.add(f + ".duration_minutes does not apply to " + t.outcome().label()
                            + (t.outcome() == Outcome.DENY ? " (deny is permanent; use block for a timed drop)" : ""));
                } else if (t.durationMinutes() < 1 || t.durationMinutes() > 365 * 24 * 60) {
                    p.add(f + ".duration_minutes must be 1..525600, was " + t.durationMinutes());
                }
            }
        }
        return p;
    }

    /** This rule, or a {@link RuleValidationException} listing every problem. */
    public Rule validated() {
        List<String> p = problems();
        if (!p.isEmpty()) throw new RuleValidationException(p);
        return this;
    }

    private void filterProblems(String at, Filter f, List<String> p) {
        if (source != null && !source.fields().contains(f.field())) {
            p.add(at + ".field: " + f.field().label() + " is not available in source " + source.label()
                    + " (available: " + labels(source.fields()) + ")");
        }
        if (f.value().isEmpty() && f.match() != Match.EXACT) p.add(at + ".value must not be empty");
        if (f.value().length() > MAX_TEXT) p.add(at + ".value must be at most " + MAX_TEXT + " characters");
        switch (f.field()) {
            case FAMILY -> {
                if (f.match() != Match.EXACT) p.add(at + ".match must be exact for family");
                else if (!f.value().equals("4") && !f.value().equals("6")) p.add(at + ".value must be 4 or 6 for family");
            }
            case DIRECTION -> {
                if (f.match() != Match.EXACT) p.add(at + ".match must be exact for direction");
                else if (!Set.of("client_to_server", "server_to_client", "other").contains(f.value())) {
                    p.add(at + ".value must be client_to_server, server_to_client or other for direction");
                }
            }
            case MESSAGE_TYPE -> {
                if (regexProblem(f) == null && MessageTypes.matching(f.match(), f.value()).isEmpty()) {
                    p.add(at + ".value matches no DHCPv4 or DHCPv6 message type ('" + f.value()
                            + "'; names as DISCOVER, SOLICIT, REQUEST, ACK, REPLY, NAK, ...)");
                }
            }
            case RELAY -> {
                if (f.match() == Match.EXACT && RuleSql.relayAddress(f.value()) == null) {
                    p.add(at + ".value must be an IPv4 or IPv6 address for an exact relay match, was '" + f.value()
                            + "'");
                }
            }
            default -> {
            }
        }
        String re = regexProblem(f);
        if (re != null) p.add(at + ".value " + re);
    }

    /** Why a regex filter cannot run in ClickHouse (RE2), or null. Java-only constructs are refused here. */
    private static String regexProblem(Filter f) {
        if (f.match() != Match.REGEX) return null;
        try {
            Pattern.compile(f.value());
        } catch (PatternSyntaxException e) {
            return "is not a regular expression: " + e.getDescription();
        }
        if (f.value().matches("(?s).*(\\(\\?<?[=!]|\\(\\?>|\\\\[1-9]|[*+?}]\\+).*")) {
            return "uses lookaround, atomic groups, possessive quantifiers or back-references, which ClickHouse"
                    + " (RE2) does not support";
        }
        return null;
    }

    private static String labels(Set<? extends Enum<?>> set) {
        return String.join(", ", set.stream().map(e -> e.name().toLowerCase(Locale.ROOT)).toList());
    }

    private static final class Labels {
        static <E> Optional<E> find(E[] values, String s, java.util.function.Function<E, String> label) {
            for (E v : values) if (label.apply(v).equals(s)) return Optional.of(v);
            return Optional.empty();
        }
    }
}
