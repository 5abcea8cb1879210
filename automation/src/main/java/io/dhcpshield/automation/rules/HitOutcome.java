package io.dhcpshield.automation.rules;

import java.util.List;

/**
 * What became of one hit in a run: acted on (its clients now carry the tier's action), alarmed (alarm-only tier),
 * suppressed (fired within the suppression time at the same or a higher tier), superseded (every client went to a
 * higher-priority rule), failed (the Action Manager refused), or a dry run's "would".
 *
 * @param clients the clients it kept after priority resolution (a dry run: every client it resolved to)
 * @param detail  the action's reason, or the error
 */
public record HitOutcome(RuleHit hit, List<HitClient> clients, Status status, String detail) {

    public enum Status { ACTED, ALARMED, SUPPRESSED, SUPERSEDED, FAILED, WOULD_ACT, WOULD_ALARM, WOULD_BE_SUPPRESSED }

    public HitOutcome {
        clients = List.copyOf(clients);
    }
}
