package io.dhcpshield.enforcement.ruleset;

import java.util.Arrays;
import java.util.Optional;

/** The seven mark sets of seed 001/002 with their shipped default timeout and size cap. */
public enum EnforcementSet {
    BLOCKED_MACS("blocked_macs", 120, 2_500_000),
    TRACKED_MARKS("tracked_marks", 60, 2_500_000),
    LLM_BLOCKED_MARKS("llm_blocked_marks", 2 * 3600, 1_000_000),
    LLM_DENIED_MARKS("llm_denied_marks", 2 * 3600, 1_000_000),
    LLM_THROTTLED_MARKS("llm_throttled_marks", 7 * 86400, 1_000_000),
    LLM_ALLOWED_MARKS("llm_allowed_marks", 30 * 86400, 1_000_000),
    LLM_MONITORED_MARKS("llm_monitored_marks", 14 * 86400, 1_000_000);

    private final String setName;
    private final long defaultTimeoutSeconds;
    private final int defaultSize;

    EnforcementSet(String setName, long defaultTimeoutSeconds, int defaultSize) {
        this.setName = setName;
        this.defaultTimeoutSeconds = defaultTimeoutSeconds;
        this.defaultSize = defaultSize;
    }

    public String setName() { return setName; }
    public long defaultTimeoutSeconds() { return defaultTimeoutSeconds; }
    public int defaultSize() { return defaultSize; }

    public static Optional<EnforcementSet> byName(String name) {
        return Arrays.stream(values()).filter(s -> s.setName.equals(name)).findFirst();
    }
}
