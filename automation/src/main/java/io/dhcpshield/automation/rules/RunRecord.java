package io.dhcpshield.automation.rules;

import java.time.Instant;

/**
 * One run of one rule, as {@code automation_runs} stores it: when, why, how long, and what it found and did.
 *
 * @param matched    groups at or above the lowest threshold
 * @param acted      clients an action was applied to (records the Action Manager wrote)
 * @param suppressed groups not acted on again within the rule's suppression time
 * @param superseded clients left to a higher-priority rule that hit them in the same cycle
 * @param error      why the run failed ("" when it did not); a failed run counts zero
 */
public record RunRecord(Instant at, String ruleId, String ruleName, Trigger trigger, long durationMs, int matched,
                        int acted, int suppressed, int superseded, String error) {

    public RunRecord {
        error = error == null ? "" : error;
    }

    public boolean failed() {
        return !error.isEmpty();
    }
}
