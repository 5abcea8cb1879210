package io.dhcpshield.processor.logging;

import org.slf4j.event.Level;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The level of every logger: a root level and overrides by logger-name prefix ({@code io.netty: warn}), the longest
 * prefix winning. Replaced as a whole (config.yaml's {@code logging} section once it is read), so a logger created
 * before the config was read still follows it. Thread-safe.
 */
public final class LogLevels {

    /** Level names as config.yaml spells them. */
    public static final List<String> NAMES = List.of("error", "warn", "info", "debug", "trace");

    private record Rules(Level root, List<Map.Entry<String, Level>> byPrefix) {
    }

    private static volatile Rules rules = new Rules(initialRoot(), List.of());

    private LogLevels() {
    }

    /** The root level before the config is read: {@code -Ddhcpshield.log.level} or {@code $DHCP_SHIELD_LOG_LEVEL}. */
    private static Level initialRoot() {
        String v = System.getProperty("dhcpshield.log.level", System.getenv("DHCP_SHIELD_LOG_LEVEL"));
        return v != null && NAMES.contains(v.trim().toLowerCase(Locale.ROOT)) ? parse(v) : Level.INFO;
    }

    /** {@code error}, {@code warn}, {@code info}, {@code debug} or {@code trace}, any case. */
    public static Level parse(String name) {
        String n = Objects.requireNonNull(name, "level").trim().toLowerCase(Locale.ROOT);
        if (!NAMES.contains(n)) {
            throw new IllegalArgumentException("must be one of " + String.join(", ", NAMES) + ", was '" + name + "'");
        }
        return Level.valueOf(n.toUpperCase(Locale.ROOT));
    }

    /** Replaces every level: {@code root}, and {@code loggers} (logger name or package prefix to level name). */
    public static void configure(String root, Map<String, String> loggers) {
        Map<String, Level> m = new LinkedHashMap<>();
        loggers.forEach((k, v) -> m.put(k, parse(v)));
        List<Map.Entry<String, Level>> sorted = m.entrySet().stream()
                .sorted(Comparator.comparingInt((Map.Entry<String, Level> e) -> e.getKey().length()).reversed())
                .map(e -> Map.entry(e.getKey(), e.getValue())).toList();
        rules = new Rules(parse(root), sorted);
    }

    /** The level of logger {@code name}. */
    static Level of(String name) {
        Rules r = rules;
        for (Map.Entry<String, Level> e : r.byPrefix()) {
            String p = e.getKey();
            if (name.startsWith(p) && (name.length() == p.length() || name.charAt(p.length()) == '.')) {
                return e.getValue();
            }
        }
        return r.root();
    }

    static boolean enabled(String name, Level level) {
        return level.toInt() >= of(name).toInt();
    }
}
