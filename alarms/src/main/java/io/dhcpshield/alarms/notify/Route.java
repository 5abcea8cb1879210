package io.dhcpshield.alarms.notify;

import io.dhcpshield.alarms.Alarm;
import io.dhcpshield.alarms.Channel;
import io.dhcpshield.alarms.Severity;

import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A notification route: which alarm changes go to which sinks. Matches on channel, category, a minimum severity and a
 * regex on the source key, compiled once when the route is loaded (matching is then a set lookup and one
 * {@code find()}). Empty channel or category sets and an empty regex match everything.
 */
public record Route(String id, String name, boolean enabled, Set<Channel> channels, Set<String> categories,
                   Severity minSeverity, String sourceKeyRegex, Pattern sourceKey, List<String> sinks) {

    /** The categories alarms have. */
    public static final Set<String> CATEGORIES = Set.of("security", "traffic", "client", "health");

    public Route {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        channels = Set.copyOf(channels);
        categories = Set.copyOf(categories);
        Objects.requireNonNull(minSeverity, "minSeverity");
        sourceKeyRegex = sourceKeyRegex == null ? "" : sourceKeyRegex;
        sinks = List.copyOf(sinks);
    }

    /** Character reads one regex match may make before it is given up as no match (catastrophic backtracking). */
    static final int MATCH_BUDGET = 200_000;

    public boolean matches(Alarm a) {
        return enabled
                && (channels.isEmpty() || channels.contains(a.channel()))
                && (categories.isEmpty() || categories.contains(a.category()))
                && a.severity().compareTo(minSeverity) >= 0
                && (sourceKey == null || find(a.sourceKey()));
    }

    /**
     * The regex against a source key, which may carry wire data (a circuit id): a pattern that backtracks
     * catastrophically on it is stopped after {@link #MATCH_BUDGET} character reads and counts as no match, so an
     * operator's regex and a client's bytes together cannot stall the engine.
     */
    private boolean find(String key) {
        try {
            return sourceKey.matcher(new Budgeted(key, MATCH_BUDGET)).find();
        } catch (Budgeted.Exhausted e) {
            return false;
        }
    }

    /** A string whose characters may be read a bounded number of times. */
    private static final class Budgeted implements CharSequence {
        static final class Exhausted extends RuntimeException {
            Exhausted() {
                super(null, null, false, false);
            }
        }

        private final String s;
        private final int[] left;

        Budgeted(String s, int budget) {
            this(s, new int[] {budget});
        }

        private Budgeted(String s, int[] left) {
            this.s = s;
            this.left = left;
        }

        @Override
        public int length() {
            return s.length();
        }

        @Override
        public char charAt(int i) {
            if (--left[0] < 0) {
                throw new Exhausted();
            }
            return s.charAt(i);
        }

        @Override
        public CharSequence subSequence(int from, int to) {
            return new Budgeted(s.substring(from, to), left);
        }

        @Override
        public String toString() {
            return s;
        }
    }
}
