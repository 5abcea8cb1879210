package io.dhcpshield.automation.rules;

import java.util.Locale;

/** Why a rule ran: its schedule, an operator's "run now", or a dry run (acts on nothing). automation_runs.trigger. */
public enum Trigger {
    SCHEDULE, MANUAL, DRY_RUN;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Trigger byLabel(String s) {
        return valueOf(s.trim().toUpperCase(Locale.ROOT));
    }
}
