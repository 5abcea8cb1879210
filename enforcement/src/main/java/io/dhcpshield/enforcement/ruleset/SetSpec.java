package io.dhcpshield.enforcement.ruleset;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Timeout (seconds) and size cap of one enforcement set in a profile. */
public record SetSpec(@JsonProperty("timeout_seconds") long timeoutSeconds, @JsonProperty("size") long size) {
    /** Kernel set size is a u32; we refuse absurd caps well below that (64M entries). */
    public static final long MAX_SIZE = 64L * 1024 * 1024;

    String problem(String where) {
        if (timeoutSeconds <= 0) return where + ": timeout_seconds must be > 0, got " + timeoutSeconds;
        if (timeoutSeconds > 365L * 86400) return where + ": timeout_seconds above one year: " + timeoutSeconds;
        if (size <= 0 || size > MAX_SIZE) return where + ": size must be in 1.." + MAX_SIZE + ", got " + size;
        return "";
    }
}
