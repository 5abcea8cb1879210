package io.dhcpshield.transport.tzsp.agent;

import io.dhcpshield.core.metrics.MetricWriter;
import io.dhcpshield.core.service.Readiness;
import io.dhcpshield.core.service.Service;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The capture-and-forward agent: a capture thread on one Ethernet interface, a bounded queue, and a UDP sender that
 * wraps every frame in TZSP for each collector. {@link #start()} fails when the interface cannot be captured (no such
 * interface, not Ethernet, no CAP_NET_RAW) or a collector does not resolve; afterwards capture errors reopen the
 * interface and send errors are counted, and neither stops the agent.
 */
public final class TzspAgent implements Service {

    private static final Logger log = LoggerFactory.getLogger(TzspAgent.class);
    private static final long STOP_MILLIS = 2000;

    private final AgentConfig config;
    private final AgentCounters counters;
    private final FrameQueue queue;
    private final ByteBufAllocator allocator;
    private TzspSender sender;
    private CaptureLoop capture;
    private Thread captureThread;

    public TzspAgent(AgentConfig config) {
        this(config, PooledByteBufAllocator.DEFAULT);
    }

    TzspAgent(AgentConfig config, ByteBufAllocator allocator) {
        this.config = Objects.requireNonNull(config, "config");
        this.allocator = Objects.requireNonNull(allocator, "allocator");
        this.counters = new AgentCounters(config.collectors());
        this.queue = new FrameQueue(config.queueSize(), counters);
    }

    @Override
    public String name() {
        return "agent";
    }

    public AgentConfig config() {
        return config;
    }

    public AgentCounters counters() {
        return counters;
    }

    @Override
    public synchronized void start() throws Exception {
        if (captureThread != null) {
            throw new IllegalStateException("already started");
        }
        sender = new TzspSender(queue, config.collectors(), counters);
        sender.start();
        capture = new CaptureLoop(config, queue, counters, allocator);
        try {
            capture.open();
        } catch (RuntimeException e) {
            sender.close();
            throw e;
        }
        captureThread = new Thread(capture, "dhcp-agent-capture");
        captureThread.setDaemon(true);
        captureThread.start();
        log.info("capturing on {} (snaplen {}, filter '{}'), queue {}, sensor id {}", config.interfaceName(),
                config.snaplen(), config.filter(), config.queueSize(),
                config.sensorId() == null ? "none" : "'" + config.sensorId() + "'");
    }

    /** Stops capturing, sends what is queued (up to 2 s), closes the socket. */
    @Override
    public synchronized void stop() throws InterruptedException {
        if (captureThread == null) {
            return;
        }
        if (!capture.stop(STOP_MILLIS)) {
            log.warn("the capture thread did not stop within {} ms", STOP_MILLIS);
        }
        sender.close();
        captureThread = null;
    }

    /**
     * "" when the capture loop turned and the send loop ran within {@code maxAgeNanos}; else which one is stuck (for
     * a watchdog: a wedged capture or send loop should get the agent restarted).
     */
    public synchronized String stuck(long maxAgeNanos) {
        if (captureThread == null) {
            return "not started";
        }
        long now = System.nanoTime();
        long capturing = now - capture.aliveNanos();
        if (capturing > maxAgeNanos) {
            return String.format(java.util.Locale.ROOT, "capture loop silent for %.1f s", capturing / 1e9);
        }
        long sending = now - sender.aliveNanos();
        if (sending > maxAgeNanos) {
            return String.format(java.util.Locale.ROOT, "send loop silent for %.1f s", sending / 1e9);
        }
        return "";
    }

    @Override
    public void metrics(MetricWriter out) {
        counters.metrics(out);
    }

    @Override
    public Readiness readiness() {
        return captureThread != null ? Readiness.up() : Readiness.notReady("not started");
    }
}
