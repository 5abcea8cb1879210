package io.dhcpshield.capture;

import java.util.Locale;

/** Why a capture session stopped. */
public enum StopReason {
    /** Stopped (or deleted) through the API. */
    OPERATOR,
    /** It wrote its {@code max_packets}. */
    MAX_PACKETS,
    /** The next packet would have taken its file past {@code max_bytes}. */
    MAX_BYTES,
    /** {@code max_seconds} passed. */
    MAX_SECONDS,
    /** The daemon stopped (or died: found running at the next start). */
    SHUTDOWN,
    /** Its file could not be written (disk full, ...). */
    WRITE_ERROR;

    /** The JSON and metric spelling: {@code max_packets}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The reason of a label; IllegalArgumentException for another word. */
    public static StopReason of(String label) {
        return valueOf(label.toUpperCase(Locale.ROOT));
    }
}
