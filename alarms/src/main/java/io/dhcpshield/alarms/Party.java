package io.dhcpshield.alarms;

import java.time.Instant;
import java.util.Objects;

/**
 * One party in an alarm's context: an offending client, relay, circuit or server (or, for health alarms, a queue, a
 * writer, a service) with how often it was seen and when first and last.
 *
 * @param role  {@code client}, {@code server}, {@code relay}, {@code circuit}, {@code queue}, {@code writer},
 *              {@code service}
 * @param id    how the operator searches for it: a MAC, an IP address, {@code relay/circuit}, a queue number
 * @param mac   the party's MAC when known and not already the id ("" otherwise)
 * @param count times seen in this alarm
 */
public record Party(String role, String id, String mac, long count, Instant firstSeen, Instant lastSeen) {

    public Party {
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(id, "id");
        mac = mac == null ? "" : mac;
        Objects.requireNonNull(firstSeen, "firstSeen");
        Objects.requireNonNull(lastSeen, "lastSeen");
    }

    /** The key of this party within one alarm. */
    public String key() {
        return role + "|" + id;
    }

    /** This party seen {@code n} more times, the last at {@code at} (a known MAC is kept). */
    public Party seen(long n, Instant at, String newMac) {
        return new Party(role, id, newMac == null || newMac.isEmpty() ? mac : newMac, count + n,
                at.isBefore(firstSeen) ? at : firstSeen, at.isAfter(lastSeen) ? at : lastSeen);
    }
}
