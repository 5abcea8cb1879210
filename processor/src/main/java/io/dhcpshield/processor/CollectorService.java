package io.dhcpshield.processor;

import io.dhcpshield.core.codec.Classification;
import io.dhcpshield.core.codec.DecodeError;
import io.dhcpshield.core.codec.PacketClassifier;
import io.dhcpshield.core.codec.Framing;
import io.dhcpshield.core.event.DhcpEvent;
import io.dhcpshield.core.event.EventFanout;
import io.dhcpshield.core.metrics.MetricWriter;
import io.dhcpshield.core.pipeline.DenySet;
import io.dhcpshield.core.pipeline.MirrorLedger;
import io.dhcpshield.core.pipeline.Observer;
import io.dhcpshield.core.pipeline.QueueCounters;
import io.dhcpshield.core.service.Readiness;
import io.dhcpshield.core.service.Service;
import io.dhcpshield.core.time.Time;
import io.dhcpshield.processor.systemd.Liveness;
import io.dhcpshield.processor.systemd.LoopHeartbeat;
import io.dhcpshield.transport.tzsp.Tzsp;
import io.dhcpshield.transport.tzsp.TzspCollector;
import io.netty.buffer.ByteBuf;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.concurrent.atomic.AtomicLong;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The TZSP collector as a service of the daemon ({@code dhcp-collector}): the transport's {@link TzspCollector}
 * feeding the inspection pipeline's observe input ({@link Observer}) on the collector's event loop. Each frame's
 * site is the agent's sensor id, else the agent's address. In passive mode this is the daemon's only input.
 */
final class CollectorService implements Service, Liveness {

    private final TzspCollector.Config config;
    private final Time time;
    private final Observer observer;
    private final FrameSink sink;
    private volatile TzspCollector collector;
    private volatile LoopHeartbeat heartbeat;

    /** Where a valid frame goes: the observe input, or the re-injector. */
    interface FrameSink {
        void frame(ByteBuf datagram, Tzsp.Frame frame, String site, String agent);
    }

    private final Reinjector reinjector;

    /**
     * @param mirrors null: observe mode (frames go to the observe input); else reinject mode (each frame's DHCP payload
     *                is recorded there and sent to the local mirror port for the queue)
     */
    CollectorService(TzspCollector.Config config, DenySet denySet, EventFanout<DhcpEvent> events, Time time,
                     MirrorLedger mirrors) {
        this(config, denySet, events, time, mirrors, Reinjector.MIRROR_V4, Reinjector.MIRROR_V6);
    }

    /** With the mirror ports' addresses given (tests receive the re-injected copies on sockets of their own). */
    CollectorService(TzspCollector.Config config, DenySet denySet, EventFanout<DhcpEvent> events, Time time,
                     MirrorLedger mirrors, InetSocketAddress mirrorV4, InetSocketAddress mirrorV6) {
        this.config = Objects.requireNonNull(config, "config");
        this.time = time;
        this.observer = new Observer(denySet, events, time::epochMicros);
        if (mirrors == null) {
            this.reinjector = null;
            this.sink = (buf, f, site, agent) -> observer.observe(buf, f.index(), f.length(), Framing.ETHERNET, site,
                    agent);
        } else {
            this.reinjector = new Reinjector(mirrors, mirrorV4, mirrorV6);
            this.sink = reinjector::reinject;
        }
    }

    @Override
    public String name() {
        return "collector";
    }

    @Override
    public void start() throws java.io.IOException {
        if (reinjector != null) {
            reinjector.open();
        }
        collector = TzspCollector.start(config, (buf, frame, agent) -> sink.frame(buf, frame, site(frame, agent),
                agentLabel(agent)), time::milliseconds);
        heartbeat = LoopHeartbeat.start("collector event loop", collector.eventLoop());
    }

    @Override
    public String stuck(long maxAgeNanos) {
        LoopHeartbeat h = heartbeat;
        return h == null ? "collector not started" : h.stuck(maxAgeNanos);
    }

    /** The event's site: the agent's sensor id, else its address. */
    static String site(Tzsp.Frame frame, InetSocketAddress agent) {
        String sensor = frame.sensorId();
        return sensor != null && !sensor.isBlank() ? sensor : agent.getAddress().getHostAddress();
    }

    static String agentLabel(InetSocketAddress agent) {
        String host = agent.getAddress().getHostAddress();
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + agent.getPort();
    }

    @Override
    public void stop() {
        LoopHeartbeat h = heartbeat;
        if (h != null) {
            h.stop();
        }
        TzspCollector c = collector;
        if (c != null) {
            c.close();
        }
        if (reinjector != null) {
            reinjector.close();
        }
    }

    TzspCollector collector() {
        return collector;
    }

    Observer observer() {
        return observer;
    }

    @Override
    public Readiness readiness() {
        TzspCollector c = collector;
        if (c == null || !c.isOpen()) {
            return Readiness.notReady("collector not listening");
        }
        TzspCollector.Snapshot s = c.snapshot();
        QueueCounters.Snapshot o = observer.counters();
        List<Map<String, Object>> agents = c.agents().stream().map(a -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("address", a.address());
            if (a.sensorId() != null) {
                m.put("sensor_id", a.sensorId());
            }
            m.put("datagrams", a.datagrams());
            m.put("frames", a.frames());
            m.put("malformed", a.malformed());
            m.put("bytes", a.bytes());
            m.put("last_seen", java.time.Instant.ofEpochMilli(a.lastSeenMillis()).toString());
            return m;
        }).toList();
        Map<String, Long> dropped = new LinkedHashMap<>();
        s.dropped().forEach((r, n) -> {
            if (n > 0) {
                dropped.put(r.label(), n);
            }
        });
        return Readiness.up()
                .with("listen", c.localAddress().toString())
                .with("mode", reinjector != null ? "reinject" : "observe")
                .with("datagrams", s.datagrams())
                .with("frames", s.frames())
                .with("dropped", dropped)
                .with("observed_dhcp", o.dhcp())
                .with("observed_events", o.events())
                .with("agents", agents);
    }

    @Override
    public void metrics(MetricWriter out) {
        TzspCollector c = collector;
        if (c == null) {
            return;
        }
        TzspCollector.Snapshot s = c.snapshot();
        out.counter("tzsp_datagrams", "TZSP datagrams received (each is a frame or a drop)", s.datagrams());
        out.counter("tzsp_bytes", "TZSP datagram bytes received", s.bytes());
        out.counter("tzsp_frames", "frames handed to the pipeline's observe input", s.frames());
        s.dropped().forEach((r, n) -> out.counter("tzsp_dropped", "TZSP datagrams dropped, by reason", n,
                "reason", r.label()));
        for (TzspCollector.AgentSnapshot a : c.agents()) {
            String sensor = a.sensorId() != null ? a.sensorId() : "";
            out.counter("tzsp_agent_datagrams", "datagrams from one agent", a.datagrams(), "agent", a.address(),
                    "sensor_id", sensor);
            out.counter("tzsp_agent_frames", "frames from one agent", a.frames(), "agent", a.address(),
                    "sensor_id", sensor);
            out.counter("tzsp_agent_malformed", "malformed datagrams from one agent", a.malformed(), "agent",
                    a.address(), "sensor_id", sensor);
            out.gauge("tzsp_agent_last_seen_seconds", "when the agent's last datagram arrived (unix time)",
                    a.lastSeenMillis() / 1000.0, "agent", a.address(), "sensor_id", sensor);
        }
        if (reinjector != null) {
            reinjector.metrics(out);
            return;
        }
        QueueCounters.Snapshot o = observer.counters();
        out.counter("observed_packets", "frames the observe input classified", o.received());
        out.counter("observed_dhcp", "observed DHCP packets (malformed included)", o.dhcp());
        out.counter("observed_non_dhcp", "observed frames that are not DHCP", o.nonDhcp());
        out.counter("observed_denied", "observed packets of denied clients (no event)", o.denied());
        out.counter("observed_events", "events the observe input published", o.events());
        out.counter("observed_event_failures", "observed events lost while being built", o.eventFailures());
        o.byTypeCode().forEach((code, n) -> out.counter("observed_by_type", "observed DHCP packets by the mark's "
                + "type code", n, "type_code", String.format("0x%02x", code)));
        for (var e : o.byError().entrySet()) {
            DecodeError err = e.getKey();
            out.counter("observed_by_error", "observed packets by the decode error that classified them",
                    e.getValue(), "reason", err.label(),
                    "category", err.category().name().toLowerCase(Locale.ROOT).replace('_', '-'));
        }
    }

    /**
     * Reinject mode: each frame's DHCP payload is recorded in the ledger with the frame, site and agent, then sent from
     * the loopback to port 1067 (DHCPv4) or 1547 (DHCPv6) so that the queue inspects the copy and the drop_mirrored
     * chain drops it. Runs on the collector's event loop; the sockets never block (a full buffer is a counted drop).
     */
    private static final class Reinjector {
        private static final InetSocketAddress MIRROR_V4 = new InetSocketAddress("127.0.0.1", MirrorLedger.PORT_V4);
        private static final InetSocketAddress MIRROR_V6 = new InetSocketAddress("::1", MirrorLedger.PORT_V6);

        private final MirrorLedger mirrors;
        private final InetSocketAddress targetV4;
        private final InetSocketAddress targetV6;
        private final Classification classification = new Classification();
        private final AtomicLong sent4 = new AtomicLong();
        private final AtomicLong sent6 = new AtomicLong();
        private final AtomicLong notDhcp = new AtomicLong();
        private final AtomicLong failed = new AtomicLong();
        private DatagramChannel v4;
        private DatagramChannel v6;

        Reinjector(MirrorLedger mirrors, InetSocketAddress targetV4, InetSocketAddress targetV6) {
            this.mirrors = Objects.requireNonNull(mirrors, "mirrors");
            this.targetV4 = Objects.requireNonNull(targetV4, "targetV4");
            this.targetV6 = Objects.requireNonNull(targetV6, "targetV6");
        }

        void open() throws java.io.IOException {
            v4 = DatagramChannel.open(java.net.StandardProtocolFamily.INET);
            v4.configureBlocking(false);
            v4.bind(new InetSocketAddress("127.0.0.1", 0));
            v6 = DatagramChannel.open(java.net.StandardProtocolFamily.INET6);
            v6.configureBlocking(false);
            v6.bind(new InetSocketAddress("::1", 0));
        }

        void close() {
            for (DatagramChannel ch : new DatagramChannel[] {v4, v6}) {
                try {
                    if (ch != null) {
                        ch.close();
                    }
                } catch (java.io.IOException ignored) {
                    // closing: nothing left to do
                }
            }
        }

        void reinject(ByteBuf buf, Tzsp.Frame f, String site, String agent) {
            Classification c = PacketClassifier.classify(buf, f.index(), f.length(), Framing.ETHERNET, classification);
            if (!c.isDhcp()) {
                notDhcp.incrementAndGet();
                return;
            }
            byte[] frame = new byte[f.length()];
            buf.getBytes(f.index(), frame);
            byte[] payload = new byte[c.dhcpLength()];
            buf.getBytes(c.dhcpIndex(), payload);
            mirrors.record(payload, new MirrorLedger.Entry(frame, site, agent));
            boolean six = c.family() == 6;
            int n;
            try {
                n = six ? v6.send(ByteBuffer.wrap(payload), targetV6) : v4.send(ByteBuffer.wrap(payload), targetV4);
            } catch (java.io.IOException | RuntimeException e) {
                n = 0;
            }
            if (n == 0) {
                // Not sent (the kernel refused it, or the socket's buffer was full): no copy will come for the record.
                mirrors.withdraw(payload);
                failed.incrementAndGet();
            } else {
                (six ? sent6 : sent4).incrementAndGet();
            }
        }

        void metrics(MetricWriter out) {
            String help = "DHCP payloads re-injected to the local mirror port";
            out.counter("tzsp_reinjected", help, sent4.get(), "family", "4");
            out.counter("tzsp_reinjected", help, sent6.get(), "family", "6");
            String skipped = "mirrored frames not re-injected, by reason";
            out.counter("tzsp_reinject_skipped", skipped, notDhcp.get(), "reason", "not_dhcp");
            out.counter("tzsp_reinject_skipped", skipped, failed.get(), "reason", "send_failed");
            MirrorLedger.Snapshot m = mirrors.snapshot();
            out.counter("mirror_ledger_recorded", "re-injected payloads recorded for the queue", m.recorded());
            out.counter("mirror_ledger_matched", "re-injected copies the queue matched to their frame", m.matched());
            out.counter("mirror_ledger_unmatched", "copies on a mirror port with no record", m.unmatched());
            out.counter("mirror_ledger_evicted", "records evicted before their copy arrived", m.evicted());
            out.counter("mirror_ledger_withdrawn", "records withdrawn because their copy was not sent", m.withdrawn());
            out.gauge("mirror_ledger_waiting", "records waiting for their copy", m.waiting());
        }
    }
}
