package io.dhcpshield.automation.rules;

import java.time.Instant;

/** A rule as {@code automation_rules} holds it: the newest version, who wrote it and when. */
public record StoredRule(Rule rule, long version, String updatedBy, Instant updatedAt) {
}
