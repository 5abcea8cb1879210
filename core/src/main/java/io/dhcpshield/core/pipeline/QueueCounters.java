package io.dhcpshield.core.pipeline;

import io.dhcpshield.core.codec.DecodeError;

import java.util.EnumMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The inspection counters of one queue. Written only by the queue's event-loop thread (so increments are plain
 * ordered writes, no CAS), read from any thread.
 */
public final class QueueCounters {

    static final int RECEIVED = 0;
    static final int VERDICTED = 1;
    static final int DHCP = 2;
    static final int NON_DHCP = 3;
    static final int NON_DHCP_DROPPED = 4;
    static final int DENIED = 5;
    static final int RULE_MATCHED = 6;
    static final int EVENTS = 7;
    static final int EVENT_FAILURES = 8;
    static final int MIRRORED = 9;
    static final int MIRRORED_UNMATCHED = 10;
    static final int MIRRORED_LEAVING = 11;
    static final int EVENTS_SHED = 12;
    static final int EVENTS_SHED_BACKLOG = 13;
    private static final int SCALARS = 14;

    private final int queue;
    private final AtomicLongArray scalars = new AtomicLongArray(SCALARS);
    private final AtomicLongArray byTypeCode = new AtomicLongArray(256);
    private final AtomicLongArray byError = new AtomicLongArray(DecodeError.values().length);

    public QueueCounters(int queue) {
        this.queue = queue;
    }

    void inc(int counter) {
        scalars.lazySet(counter, scalars.get(counter) + 1);
    }

    void add(int counter, long n) {
        scalars.lazySet(counter, scalars.get(counter) + n);
    }

    void typeCode(int code) {
        byTypeCode.lazySet(code, byTypeCode.get(code) + 1);
    }

    void error(DecodeError e) {
        int i = e.ordinal();
        byError.lazySet(i, byError.get(i) + 1);
    }

    public int queue() {
        return queue;
    }

    /** A consistent-enough copy for logs, metrics and tests. */
    public Snapshot snapshot() {
        Map<Integer, Long> types = new TreeMap<>();
        for (int i = 0; i < 256; i++) {
            long v = byTypeCode.get(i);
            if (v != 0) {
                types.put(i, v);
            }
        }
        Map<DecodeError, Long> errors = new EnumMap<>(DecodeError.class);
        for (DecodeError e : DecodeError.values()) {
            long v = byError.get(e.ordinal());
            if (v != 0) {
                errors.put(e, v);
            }
        }
        return new Snapshot(queue, scalars.get(RECEIVED), scalars.get(VERDICTED), scalars.get(DHCP),
                scalars.get(NON_DHCP), scalars.get(NON_DHCP_DROPPED), scalars.get(DENIED), scalars.get(RULE_MATCHED),
                scalars.get(EVENTS), scalars.get(EVENT_FAILURES), scalars.get(EVENTS_SHED),
                scalars.get(EVENTS_SHED_BACKLOG), scalars.get(MIRRORED), scalars.get(MIRRORED_UNMATCHED),
                scalars.get(MIRRORED_LEAVING), types, errors);
    }

    /**
     * Counts of one queue. {@code byTypeCode} is keyed by the mark's high byte; {@code byError} counts packets by the
     * error that classified them (malformed DHCP and non-DHCP reasons alike). The mirror counts are of the collector's
     * re-injected copies: {@code mirrored} arrived with the collector's record of the original frame (its event is the
     * frame's), {@code mirroredUnmatched} arrived without one, {@code mirroredLeaving} were seen on the output hook (no
     * event there). {@code eventsShed} are events not built because every subscriber's buffer was full when their
     * read began (each subscriber counts them as dropped); {@code eventsShedBacklog} are events not built because
     * their read found the queue backlogged and was not one of the sampled reads (never published: no subscriber
     * counts them).
     */
    public record Snapshot(int queue, long received, long verdicted, long dhcp, long nonDhcp, long nonDhcpDropped,
                           long denied, long ruleMatched, long events, long eventFailures, long eventsShed,
                           long eventsShedBacklog,
                           long mirrored, long mirroredUnmatched, long mirroredLeaving,
                           Map<Integer, Long> byTypeCode, Map<DecodeError, Long> byError) {

        /** Sums snapshots of several queues (queue = 0). */
        public static Snapshot sum(Iterable<Snapshot> all) {
            long r = 0, v = 0, d = 0, n = 0, nd = 0, den = 0, rm = 0, ev = 0, ef = 0, es = 0, eb = 0, mi = 0, mu = 0;
            long ml = 0;
            Map<Integer, Long> types = new TreeMap<>();
            Map<DecodeError, Long> errors = new EnumMap<>(DecodeError.class);
            for (Snapshot s : all) {
                r += s.received;
                v += s.verdicted;
                d += s.dhcp;
                n += s.nonDhcp;
                nd += s.nonDhcpDropped;
                den += s.denied;
                rm += s.ruleMatched;
                ev += s.events;
                ef += s.eventFailures;
                es += s.eventsShed;
                eb += s.eventsShedBacklog;
                mi += s.mirrored;
                mu += s.mirroredUnmatched;
                ml += s.mirroredLeaving;
                s.byTypeCode.forEach((k, x) -> types.merge(k, x, Long::sum));
                s.byError.forEach((k, x) -> errors.merge(k, x, Long::sum));
            }
            return new Snapshot(0, r, v, d, n, nd, den, rm, ev, ef, es, eb, mi, mu, ml, types, errors);
        }
    }
}
