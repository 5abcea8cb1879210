package io.dhcpshield.alarms;

import java.util.Locale;

/** How urgent an alarm is; ordered, so that a route can ask for "warning and above". */
public enum Severity {
    INFO, WARNING, CRITICAL;

    /** The lower-case spelling of the API, the table and config. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The severity of that spelling; fails with the accepted ones. */
    public static Severity of(String s) {
        if (s != null) {
            for (Severity v : values()) {
                if (v.label().equals(s.strip().toLowerCase(Locale.ROOT))) {
                    return v;
                }
            }
        }
        throw new IllegalArgumentException("severity must be one of info, warning, critical, was " + s);
    }
}
