package io.dhcpshield.enforcement.action;

import java.util.List;

/**
 * What reconcile found on start. {@code reapplied}: active actions whose kernel entry was missing (the table was
 * re-created) and were written again. {@code unrecorded}: kernel entries in the action sets that no active action
 * explains; they are reported and left in place. {@code error} is non-empty when the kernel could not be read or
 * written.
 */
public record ReconcileReport(List<ActionRecord> reapplied, List<UnrecordedEntry> unrecorded, long blockedMacs,
                              String error) {
    /** A kernel set element with no action record behind it. */
    public record UnrecordedEntry(String set, int clientMark, long expiresInSeconds) {
        @Override
        public String toString() { return String.format("%s 0x%06x (expires in %d s)", set, clientMark, expiresInSeconds); }
    }

    public ReconcileReport {
        reapplied = List.copyOf(reapplied);
        unrecorded = List.copyOf(unrecorded);
        error = error == null ? "" : error;
    }

    public boolean ok() { return error.isEmpty(); }
}
