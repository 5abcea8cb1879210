package io.dhcpshield.enforcement.action;

import io.dhcpshield.enforcement.ruleset.EnforcementSet;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/**
 * The seven actions of seed 002/003. Five write the client mark into one {@code llm_*_marks} set with a default
 * duration; deny is permanent ({@link Duration#ZERO}); cleanup removes the client from every set; analyze only
 * enqueues the client for analysis.
 */
public enum ActionType {
    BLOCK(EnforcementSet.LLM_BLOCKED_MARKS, Duration.ofHours(2)),
    DENY(EnforcementSet.LLM_DENIED_MARKS, Duration.ZERO),
    THROTTLE(EnforcementSet.LLM_THROTTLED_MARKS, Duration.ofDays(1)),
    MONITOR(EnforcementSet.LLM_MONITORED_MARKS, Duration.ofDays(7)),
    ALLOW(EnforcementSet.LLM_ALLOWED_MARKS, Duration.ofDays(30)),
    CLEANUP(null, Duration.ZERO),
    ANALYZE(null, Duration.ZERO);

    private final EnforcementSet set;
    private final Duration defaultDuration;

    ActionType(EnforcementSet set, Duration defaultDuration) {
        this.set = set;
        this.defaultDuration = defaultDuration;
    }

    /** The set this action writes, empty for cleanup and analyze. */
    public Optional<EnforcementSet> set() { return Optional.ofNullable(set); }

    /** Seed 003's default duration; {@link Duration#ZERO} means permanent (deny) or not applicable. */
    public Duration defaultDuration() { return defaultDuration; }

    public boolean writesSet() { return set != null; }

    /** The operator's word: {@code block}, {@code deny}, ... */
    public String label() { return name().toLowerCase(Locale.ROOT); }

    public static ActionType parse(String s) { return valueOf(s.trim().toUpperCase(Locale.ROOT)); }
}
