package io.dhcpshield.enforcement.ruleset;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The {@code inet dhcp_inspection} table as data: named counters, sets, chains (base chains with hook and
 * priority) and rules in order. Built by {@link RulesetBuilder}, rendered by {@link RulesetJson}.
 */
public record Ruleset(String family, String table, ThrottlingProfile profile, QueueMode queueMode,
                      List<NamedCounter> counters, List<NamedSet> sets, List<Chain> chains, List<Rule> rules) {
    public static final String FAMILY = "inet";
    public static final String TABLE = "dhcp_inspection";

    public Ruleset {
        Objects.requireNonNull(profile, "profile");
        Objects.requireNonNull(queueMode, "queueMode");
        counters = List.copyOf(counters);
        sets = List.copyOf(sets);
        chains = List.copyOf(chains);
        rules = List.copyOf(rules);
    }

    public record NamedCounter(String name) {}

    /** A mark set; {@code elementLimit} is a per-element stateful limit every element carries (throttle). */
    public record NamedSet(String name, String type, List<String> flags, long timeoutSeconds, long size,
                           RateLimit elementLimit) {
        public Optional<RateLimit> limit() { return Optional.ofNullable(elementLimit); }
    }

    public record Hook(String type, String hook, int priority, String policy) {}

    /** A chain; {@code hook} is null for regular chains reached by jump. */
    public record Chain(String name, Hook hook) {
        public boolean isBase() { return hook != null; }
    }

    public record Rule(String chain, List<JsonNode> expr) {
        public Rule {
            expr = List.copyOf(expr);
        }
    }

    public List<Rule> rulesOf(String chain) {
        return rules.stream().filter(r -> r.chain().equals(chain)).toList();
    }
}
