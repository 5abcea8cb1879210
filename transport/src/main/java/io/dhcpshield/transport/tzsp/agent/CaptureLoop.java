package io.dhcpshield.transport.tzsp.agent;

import io.dhcpshield.transport.pcap.LiveCapture;
import io.dhcpshield.transport.pcap.PcapException;
import io.dhcpshield.transport.tzsp.Tzsp;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.nio.ByteBuffer;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The capture thread: reads frames from libpcap, wraps each in a TZSP header in a fresh buffer and offers it to the
 * queue, never waiting for the sender. Publishes the kernel's drop counters every {@value #STATS_EVERY_MILLIS} ms.
 * A capture error (the interface went away or down) closes the capture and reopens it after
 * {@value #REOPEN_MILLIS} ms, until it opens again or the agent stops.
 */
final class CaptureLoop implements Runnable, LiveCapture.FrameHandler {

    private static final Logger log = LoggerFactory.getLogger(CaptureLoop.class);

    static final int POLL_MILLIS = 100;
    static final int STATS_EVERY_MILLIS = 1000;
    static final long REOPEN_MILLIS = 1000;
    private static final int ETHERNET_HEADER = 14;

    private final LiveCapture.Options options;
    private final byte[] sensorId;
    private final FrameQueue queue;
    private final AgentCounters counters;
    private final ByteBufAllocator allocator;
    private final CountDownLatch stopRequested = new CountDownLatch(1);
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile boolean running = true;
    private volatile LiveCapture capture;
    /** System.nanoTime() of the loop's latest turn: a read returns at least every POLL_MILLIS. */
    private volatile long aliveNanos = System.nanoTime();
    /* Kernel counters of captures closed before the current one (a reopened capture counts from zero). */
    private long previousKernelDrops;
    private long previousInterfaceDrops;
    private LiveCapture.Stats lastStats = new LiveCapture.Stats(0, 0, 0);
    private long nextStatsNanos;

    CaptureLoop(AgentConfig config, FrameQueue queue, AgentCounters counters, ByteBufAllocator allocator) {
        this.options = new LiveCapture.Options(config.interfaceName(), config.snaplen(), true, config.bufferBytes(),
                POLL_MILLIS, config.filter());
        this.sensorId = Tzsp.sensorIdBytes(config.sensorId());
        this.queue = queue;
        this.counters = counters;
        this.allocator = allocator;
    }

    /** Opens the capture on the calling thread, so that a bad interface or filter fails the agent's start. */
    void open() {
        capture = LiveCapture.open(options);
    }

    @Override
    public void run() {
        try {
            while (running) {
                aliveNanos = System.nanoTime();
                LiveCapture c = capture;
                if (c == null) {
                    c = reopen();
                    if (c == null) {
                        continue;
                    }
                }
                try {
                    readUntilStoppedOrFailed(c);
                } catch (PcapException e) {
                    if (running) {
                        counters.captureFailures.increment();
                        log.warn("{}; reopening in {} ms", e.getMessage(), REOPEN_MILLIS);
                    }
                } finally {
                    closeCapture(c);
                }
            }
        } finally {
            stopped.countDown();
        }
    }

    private void readUntilStoppedOrFailed(LiveCapture c) {
        nextStatsNanos = System.nanoTime();
        while (running) {
            if (c.next(this) == LiveCapture.Read.STOPPED) {
                return;
            }
            long now = System.nanoTime();
            aliveNanos = now;
            if (now - nextStatsNanos >= 0) {
                publishStats(c);
                nextStatsNanos = now + TimeUnit.MILLISECONDS.toNanos(STATS_EVERY_MILLIS);
            }
        }
    }

    private LiveCapture reopen() {
        try {
            if (stopRequested.await(REOPEN_MILLIS, TimeUnit.MILLISECONDS) || !running) {
                return null;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
            return null;
        }
        try {
            LiveCapture c = LiveCapture.open(options);
            capture = c;
            if (!running) {
                // stop() may have run between the check above and the assignment, finding no capture to break.
                c.breakLoop();
            }
            log.info("capturing on {} again", options.device());
            return c;
        } catch (PcapException e) {
            counters.captureFailures.increment();
            log.warn("{}; retrying in {} ms", e.getMessage(), REOPEN_MILLIS);
            return null;
        }
    }

    private void publishStats(LiveCapture c) {
        try {
            lastStats = c.stats();
            counters.kernelDrops = previousKernelDrops + lastStats.dropped();
            counters.interfaceDrops = previousInterfaceDrops + lastStats.interfaceDropped();
        } catch (PcapException e) {
            log.debug("{}", e.getMessage());
        }
    }

    private void closeCapture(LiveCapture c) {
        publishStats(c);
        previousKernelDrops += lastStats.dropped();
        previousInterfaceDrops += lastStats.interfaceDropped();
        lastStats = new LiveCapture.Stats(0, 0, 0);
        capture = null;
        c.close();
    }

    @Override
    public void frame(ByteBuffer data, int originalLength) {
        counters.captured.increment();
        int length = data.remaining();
        counters.capturedBytes.add(length);
        if (length < ETHERNET_HEADER) {
            counters.drop(AgentCounters.DropReason.RUNT);
            return;
        }
        if (originalLength > length) {
            counters.drop(AgentCounters.DropReason.OVERSIZE);
            return;
        }
        ByteBuf datagram = allocator.directBuffer(Tzsp.headerLength(sensorId) + length);
        Tzsp.encodeHeader(datagram, sensorId);
        datagram.writeBytes(data);
        queue.offer(datagram);
    }

    /** When the loop last turned (System.nanoTime()): a read, a timeout or a reopen attempt. */
    long aliveNanos() {
        return aliveNanos;
    }

    /** Ends the loop: wakes a read in progress and waits up to {@code timeoutMillis} for the thread to finish. */
    boolean stop(long timeoutMillis) throws InterruptedException {
        running = false;
        stopRequested.countDown();
        LiveCapture c = capture;
        if (c != null) {
            c.breakLoop();
        }
        return stopped.await(timeoutMillis, TimeUnit.MILLISECONDS);
    }
}
