package io.dhcpshield.core.pipeline;

import io.netty.buffer.ByteBuf;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
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

    private record Waiting(byte[] payload, Entry entry) {
    }

    private final int capacity;
    private final Map<Integer, ArrayDeque<Waiting>> byHash = new HashMap<>();
    private final ArrayDeque<Waiting> order = new ArrayDeque<>();
    private final AtomicLong recorded = new AtomicLong();
    private final AtomicLong matched = new AtomicLong();
    private final AtomicLong unmatched = new AtomicLong();
    private final AtomicLong evicted = new AtomicLong();

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

    /** Records the payload (copied) about to be re-injected. */
    public void record(byte[] payload, Entry entry) {
        Waiting w = new Waiting(payload.clone(), entry);
        synchronized (this) {
            if (order.size() >= capacity) {
                Waiting old = order.pollFirst();
                remove(old);
                evicted.incrementAndGet();
            }
            order.addLast(w);
            byHash.computeIfAbsent(Arrays.hashCode(w.payload), h -> new ArrayDeque<>()).addLast(w);
        }
        recorded.incrementAndGet();
    }

    /** Takes the oldest record whose payload equals {@code length} bytes at {@code index}, or null (counted). */
    public Entry take(ByteBuf buf, int index, int length) {
        byte[] payload = new byte[length];
        buf.getBytes(index, payload);
        synchronized (this) {
            ArrayDeque<Waiting> same = byHash.get(Arrays.hashCode(payload));
            if (same != null) {
                for (Waiting w : same) {
                    if (Arrays.equals(w.payload, payload)) {
                        same.remove(w);
                        if (same.isEmpty()) {
                            byHash.remove(Arrays.hashCode(payload));
                        }
                        order.remove(w);
                        matched.incrementAndGet();
                        return w.entry;
                    }
                }
            }
        }
        unmatched.incrementAndGet();
        return null;
    }

    private void remove(Waiting w) {
        int h = Arrays.hashCode(w.payload);
        ArrayDeque<Waiting> same = byHash.get(h);
        if (same != null) {
            same.remove(w);
            if (same.isEmpty()) {
                byHash.remove(h);
            }
        }
    }

    /** Records made, matched by the queue, not matched (a copy with no record), evicted unmatched. */
    public record Snapshot(long recorded, long matched, long unmatched, long evicted, int waiting) {
    }

    public Snapshot snapshot() {
        int waiting;
        synchronized (this) {
            waiting = order.size();
        }
        return new Snapshot(recorded.get(), matched.get(), unmatched.get(), evicted.get(), waiting);
    }
}
