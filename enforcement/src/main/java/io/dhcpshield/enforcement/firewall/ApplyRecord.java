package io.dhcpshield.enforcement.firewall;

import java.time.Instant;
import java.util.List;

/**
 * One apply (or rollback, or the daemon's start) of rulesets to the kernel, kept for the history and for rollback.
 *
 * @param rulesets   {@code name@version} in apply order
 * @param stage      done, structure, dry-run, commit or xt-queue
 * @param rollbackOf the apply this one rolled back to ("" for none)
 */
public record ApplyRecord(String id, Instant at, String actor, String mode, List<String> rulesets, boolean ok,
                          String stage, String error, double millis, String rollbackOf) {
    public ApplyRecord {
        rulesets = List.copyOf(rulesets);
        error = error == null ? "" : error;
        rollbackOf = rollbackOf == null ? "" : rollbackOf;
    }
}
