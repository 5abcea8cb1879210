package io.dhcpshield.core.pipeline;

import io.netty.buffer.ByteBuf;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The collector's re-injection mode (the seed's way): a mirrored frame's DHCP payload is sent to a local port
 * (1067 for DHCPv4, 1547 for DHCPv6) so that the queue sees it; the copy loses the frame's site and original
 * addresses. The collector records each re-injected payload here with its frame, site and agent; the pipeline, meeting
 * the copy on a mirror port, takes the record by the payload's bytes and emits the event of the original frame.
 * Bounded: the oldest records are evicted (counted) when {@code capacity} are waiting.
 */
public final class MirrorLedger {

    public static final int PORT_V4 = 1067;
    public static final int PORT_V6 = 1547;

    /** The original frame (Ethernet) of a re-injected payload, with its site and agent. */
    public record Entry(byte[] frame, String site, String agent) {
        public Entry {
            Objects.requireNonNull(frame, "frame");
            Objects.requireNonNull(site, "site");
            Objects.requireNonNull(agent, "agent");
        }
    }

    /** A payload compared by its bytes. */
    private static final class Payload {
        final byte[] bytes;
        final int hash;

        Payload(byte[] bytes) {
            this.bytes = bytes;
            this.hash = Arrays.hashCode(bytes);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Payload p && p.hash == hash && Arrays.equals(p.bytes, bytes);
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }

    /** A record waiting for its copy (identity: two records of the same payload are two waits). */
    private static final class Waiting {
        final Payload payload;
        final Entry entry;

        Waiting(Payload payload, Entry entry) {
            this.payload = payload;
            this.entry = entry;
        }
    }

    private final int capacity;
    /** The records of each payload, oldest first. */
    private final Map<Payload, ArrayDeque<Waiting>> byPayload = new HashMap<>();
    /** Every record, oldest first; removing one from the middle (a copy matched out of order) is O(1). */
    private final Set<Waiting> order = new LinkedHashSet<>();
    private final AtomicLong recorded = new AtomicLong();
    private final AtomicLong matched = new AtomicLong();
    private final AtomicLong unmatched = new AtomicLong();
    private final AtomicLong evicted = new AtomicLong();
    private final AtomicLong withdrawn = new AtomicLong();

    public MirrorLedger(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be positive");
        }
        this.capacity = capacity;
    }

    /** True for the destination ports re-injected copies are sent to. */
    public static boolean isMirrorPort(int port) {
        return port == PORT_V4 || port == PORT_V6;
    }

    /** Records the payload (copied) about to be re-injected; at capacity the oldest record is evicted (counted). */
    public void record(byte[] payload, Entry entry) {
        Waiting w = new Waiting(new Payload(payload.clone()), Objects.requireNonNull(entry, "entry"));
        synchronized (this) {
            if (order.size() >= capacity) {
                Iterator<Waiting> oldest = order.iterator();
                Waiting old = oldest.next();
                oldest.remove();
                // The oldest record of all is the oldest of its payload's records: the head of its deque.
                poll(old.payload, true);
                evicted.incrementAndGet();
            }
            order.add(w);
            byPayload.computeIfAbsent(w.payload, k -> new ArrayDeque<>()).addLast(w);
        }
        recorded.incrementAndGet();
    }

    /**
     * Takes the oldest record whose payload equals {@code length} bytes at {@code index}, or null (counted). Constant
     * time in the number of waiting records: a hash lookup, the head of that payload's records, an unlink.
     */
    public Entry take(ByteBuf buf, int index, int length) {
        byte[] bytes = new byte[length];
        buf.getBytes(index, bytes);
        Payload key = new Payload(bytes);
        synchronized (this) {
            Waiting w = poll(key, true);
            if (w != null) {
                order.remove(w);
                matched.incrementAndGet();
                return w.entry;
            }
        }
        unmatched.incrementAndGet();
        return null;
    }

    /** Withdraws the newest record of {@code payload} (its copy was never sent); true when there was one. */
    public boolean withdraw(byte[] payload) {
        synchronized (this) {
            Waiting w = poll(new Payload(payload), false);
            if (w == null) {
                return false;
            }
            order.remove(w);
        }
        withdrawn.incrementAndGet();
        return true;
    }

    /** Takes the oldest (or newest) record of {@code key} from its payload's records; null when it has none. */
    private Waiting poll(Payload key, boolean oldest) {
        ArrayDeque<Waiting> same = byPayload.get(key);
        if (same == null) {
            return null;
        }
        Waiting w = oldest ? same.pollFirst() : same.pollLast();
        if (same.isEmpty()) {
            byPayload.remove(key);
        }
        return w;
    }

    /**
     * Records made, matched by the queue, not matched (a copy with no record), evicted unmatched, withdrawn (never
     * sent), waiting: {@code recorded = matched + evicted + withdrawn + waiting}.
     */
    public record Snapshot(long recorded, long matched, long unmatched, long evicted, long withdrawn, int waiting) {
    }

    public Snapshot snapshot() {
        int waiting;
        synchronized (this) {
            waiting = order.size();
        }
        return new Snapshot(recorded.get(), matched.get(), unmatched.get(), evicted.get(), withdrawn.get(), waiting);
    }
}
