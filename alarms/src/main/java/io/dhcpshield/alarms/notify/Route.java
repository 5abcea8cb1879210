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

    public boolean matches(Alarm a) {
        return enabled
                && (channels.isEmpty() || channels.contains(a.channel()))
                && (categories.isEmpty() || categories.contains(a.category()))
                && a.severity().compareTo(minSeverity) >= 0
                && (sourceKey == null || sourceKey.matcher(a.sourceKey()).find());
    }
}
