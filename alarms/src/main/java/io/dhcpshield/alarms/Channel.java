package io.dhcpshield.alarms;

import java.util.Locale;

/**
 * Where an alarm came from, the first thing a notification route matches: {@code dhcp} (the event rules: rogue
 * server, starvation, storms), {@code detector} (automation's built-in detectors), {@code automation} (rules whose
 * action is alarm) and {@code system} (the appliance's own health).
 */
public enum Channel {
    DHCP, DETECTOR, AUTOMATION, SYSTEM;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Channel of(String s) {
        for (Channel v : values()) {
            if (v.label().equals(s)) {
                return v;
            }
        }
        throw new IllegalArgumentException("channel must be one of dhcp, detector, automation, system, was " + s);
    }
}
