package io.dhcpshield.enforcement.action;

import java.util.Objects;

/**
 * Who took an action: an operator, an automation rule, the analysis (LLM) verdict or a bulk job, with its name or
 * id.
 */
public record Actor(Kind kind, String name) {
    public enum Kind { USER, AUTOMATION_RULE, ANALYSIS, SYSTEM, BULK_JOB }

    public Actor {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(name, "name");
    }

    public static Actor user(String name) { return new Actor(Kind.USER, name); }
    public static Actor rule(String ruleId) { return new Actor(Kind.AUTOMATION_RULE, ruleId); }
    public static Actor analysis(String id) { return new Actor(Kind.ANALYSIS, id); }
    public static Actor bulkJob(String jobId) { return new Actor(Kind.BULK_JOB, jobId); }
    /** The manager itself (reconcile, expiry). */
    public static final Actor SYSTEM = new Actor(Kind.SYSTEM, "action-manager");

    @Override
    public String toString() { return kind.name().toLowerCase(java.util.Locale.ROOT) + ":" + name; }
}
