package io.dhcpshield.core.pipeline;

import io.dhcpshield.core.codec.Classification;
import io.dhcpshield.core.codec.Framing;
import io.dhcpshield.core.codec.PacketClassifier;
import io.dhcpshield.core.event.DhcpEvent;
import io.dhcpshield.core.event.EventFanout;
import io.dhcpshield.core.event.Origin;
import io.dhcpshield.core.net.MacAddress;
import io.netty.buffer.ByteBuf;

import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * The inspection pipeline's second input: packets that are observed, not queued (frames mirrored from remote sites
 * over TZSP). Each is classified like a queued packet and becomes an event with its framing, site and origin, but
 * gets no verdict and no mark: nothing waits for it. Denied clients give no event, as on the verdict path.
 *
 * <p>Like the pipeline's per-queue context, an observer is a flyweight owned by one thread (the collector's event
 * loop): {@link #observe} reuses one {@link Classification} and writes its counters without synchronisation.
 * Counters: {@code received}, {@code dhcp}, {@code non_dhcp}, {@code denied}, {@code events}, {@code event_failures},
 * by type code and by decode error, in a {@link QueueCounters} of queue 0 ({@code verdicted} stays 0).
 */
public final class Observer {

    /** What became of one observed packet. */
    public enum Outcome {
        /** An event was published. */
        EVENT,
        /** DHCP, but nothing listens to events (counted as DHCP, no event built). */
        NO_SUBSCRIBERS,
        /** DHCP from a denied client: no event. */
        DENIED,
        /** Not DHCP (or too damaged to tell): counted by its decode error. */
        NOT_DHCP,
        /** The event could not be built or published (counted). */
        FAILED
    }

    private final DenySet denySet;
    private final EventFanout<DhcpEvent> events;
    private final LongSupplier clockMicros;
    private final QueueCounters counters = new QueueCounters(0);
    private final Classification classification = new Classification();

    public Observer(DenySet denySet, EventFanout<DhcpEvent> events, LongSupplier clockMicros) {
        this.denySet = Objects.requireNonNull(denySet, "denySet");
        this.events = Objects.requireNonNull(events, "events");
        this.clockMicros = Objects.requireNonNull(clockMicros, "clockMicros");
    }

    /**
     * Classifies {@code length} bytes at {@code index} of {@code buf}, framed as {@code framing}, and publishes the
     * event of a DHCP packet with {@code siteId} and {@code agent} (where it came from). The buffer is not retained.
     */
    public Outcome observe(ByteBuf buf, int index, int length, Framing framing, String siteId, String agent) {
        QueueCounters n = counters;
        n.inc(QueueCounters.RECEIVED);
        Classification c = classification;
        PacketClassifier.classify(buf, index, length, framing, c);
        if (!c.isDhcp()) {
            n.inc(QueueCounters.NON_DHCP);
            if (c.error() != null) {
                n.error(c.error());
            }
            return Outcome.NOT_DHCP;
        }
        n.inc(QueueCounters.DHCP);
        n.typeCode(c.typeCode());
        if (c.error() != null) {
            n.error(c.error());
        }
        if (denySet.contains(c.clientMark())) {
            n.inc(QueueCounters.DENIED);
            return Outcome.DENIED;
        }
        if (!events.hasSubscribers()) {
            return Outcome.NO_SUBSCRIBERS;
        }
        try {
            MacAddress l2Destination = framing == Framing.ETHERNET && length >= 6 ? MacAddress.read(buf, index) : null;
            events.publish(DhcpEvent.observed(buf, index, length, c, clockMicros.getAsLong(), siteId,
                    Origin.mirrored(agent, l2Destination)));
            n.inc(QueueCounters.EVENTS);
            return Outcome.EVENT;
        } catch (RuntimeException e) {
            n.inc(QueueCounters.EVENT_FAILURES);
            return Outcome.FAILED;
        }
    }

    public QueueCounters.Snapshot counters() {
        return counters.snapshot();
    }
}
