package io.dhcpshield.alarms;

import java.util.Locale;

/** Where an alarm is in its life: raised → acknowledged → cleared (raised → cleared when nobody acknowledged it). */
public enum AlarmState {
    RAISED, ACKNOWLEDGED, CLEARED;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public boolean open() {
        return this != CLEARED;
    }

    public static AlarmState of(String s) {
        for (AlarmState v : values()) {
            if (v.label().equals(s)) {
                return v;
            }
        }
        throw new IllegalArgumentException("state must be one of raised, acknowledged, cleared, was " + s);
    }
}
