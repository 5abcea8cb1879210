package io.dhcpshield.transport.tzsp.agent;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.dhcpshield.transport.tzsp.Tzsp;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The queue, the TZSP framing and the sender against real UDP sockets on the loopback: what a collector receives,
 * what a full queue drops, and a collector that is down and comes back.
 */
@Timeout(30)
class TzspSenderTest {

    private static final ByteBufAllocator ALLOC = ByteBufAllocator.DEFAULT;

    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }

    @Test
    void aFullQueueDropsTheNewestFramesCountsThemAndSendsTheOldest() throws Exception {
        DatagramSocket collector = listen(0);
        Collector target = collectorAt(collector.getLocalPort());
        AgentCounters counters = new AgentCounters(List.of(target));
        FrameQueue queue = new FrameQueue(4, counters);

        // No sender drains yet: the fifth offer on finds the queue full.
        for (int i = 0; i < 10; i++) {
            queue.offer(datagram(frame(i, 60)));
        }
        assertEquals(6, counters.snapshot().dropped(AgentCounters.DropReason.QUEUE_FULL));
        assertEquals(4, counters.snapshot().queueDepth());

        start(queue, List.of(target), counters);
        for (int i = 0; i < 4; i++) {
            ByteBuf received = Unpooled.wrappedBuffer(receive(collector));
            Tzsp.Frame decoded = Tzsp.decode(received).frame();
            assertNotNull(decoded);
            assertEquals(i, received.getByte(decoded.index()), "frames 0..3 were queued first and go out in order");
        }
        await(() -> counters.snapshot().sent() == 4, counters);
        assertEquals(6, counters.snapshot().dropped(AgentCounters.DropReason.QUEUE_FULL));
    }

    @Test
    void everyCollectorReceivesTheCapturedFrameAsTzspWithTheSensorId() throws Exception {
        DatagramSocket first = listen(0);
        DatagramSocket second = listen(0);
        List<Collector> targets = List.of(collectorAt(first.getLocalPort()), collectorAt(second.getLocalPort()));
        AgentConfig config = AgentConfig.of("eth-test", targets).withSensorId("site-7").withSnaplen(200);
        AgentCounters counters = new AgentCounters(targets);
        FrameQueue queue = new FrameQueue(16, counters);
        CaptureLoop capture = new CaptureLoop(config, queue, counters, ALLOC);
        start(queue, targets, counters);

        byte[] dhcp = frame(1, 342);
        byte[] small = frame(2, 60);
        capture.frame(ByteBuffer.wrap(small), small.length);
        capture.frame(ByteBuffer.wrap(new byte[10]), 10);              // runt
        capture.frame(ByteBuffer.wrap(dhcp, 0, 200), dhcp.length);      // cut by the snaplen
        capture.frame(ByteBuffer.wrap(dhcp, 0, 200), 200);

        for (DatagramSocket collector : List.of(first, second)) {
            for (byte[] expected : List.of(small, Arrays.copyOf(dhcp, 200))) {
                ByteBuf received = Unpooled.wrappedBuffer(receive(collector));
                Tzsp.Decoded decoded = Tzsp.decode(received);
                assertNull(decoded.drop(), () -> "dropped as " + decoded.drop());
                Tzsp.Frame f = decoded.frame();
                assertEquals(Tzsp.TYPE_RECEIVED, f.type());
                assertEquals(Tzsp.ENCAP_ETHERNET, f.encapsulation());
                assertEquals("site-7", f.sensorId());
                byte[] carried = new byte[f.length()];
                received.getBytes(f.index(), carried);
                assertArrayEquals(expected, carried);
            }
        }
        await(() -> counters.snapshot().sent() == 4, counters);
        AgentCounters.Snapshot s = counters.snapshot();
        assertEquals(4, s.captured());
        assertEquals(1, s.dropped(AgentCounters.DropReason.RUNT));
        assertEquals(1, s.dropped(AgentCounters.DropReason.OVERSIZE));
        assertEquals(0, s.sendErrors());
        s.sentByCollector().values().forEach(v -> assertEquals(2L, v));
    }

    @Test
    void aCollectorThatIsDownCostsNothingAndReceivesAgainOnceItListens() throws Exception {
        int port;
        try (DatagramSocket probe = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        Collector target = collectorAt(port);
        AgentCounters counters = new AgentCounters(List.of(target));
        FrameQueue queue = new FrameQueue(64, counters);
        start(queue, List.of(target), counters);

        // Nothing listens: each datagram draws an ICMP port-unreachable, which the unconnected socket never sees.
        for (int i = 0; i < 20; i++) {
            queue.offer(datagram(frame(i, 60)));
        }
        await(() -> counters.snapshot().sent() == 20, counters);
        assertEquals(0, counters.snapshot().sendErrors());

        DatagramSocket collector = listen(port);
        byte[] back = frame(99, 80);
        queue.offer(datagram(back));
        ByteBuf received = Unpooled.wrappedBuffer(receive(collector));
        Tzsp.Frame f = Tzsp.decode(received).frame();
        byte[] carried = new byte[f.length()];
        received.getBytes(f.index(), carried);
        assertArrayEquals(back, carried);
        await(() -> counters.snapshot().sent() == 21, counters);
        assertEquals(0, counters.snapshot().dropped(AgentCounters.DropReason.QUEUE_FULL));
    }

    private void start(FrameQueue queue, List<Collector> targets, AgentCounters counters) throws Exception {
        TzspSender sender = new TzspSender(queue, targets, counters);
        open.add(sender);
        sender.start();
    }

    private DatagramSocket listen(int port) throws IOException {
        DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        s.setSoTimeout(10_000);
        open.add(s);
        return s;
    }

    private static Collector collectorAt(int port) {
        return new Collector("127.0.0.1", port);
    }

    private static byte[] receive(DatagramSocket s) throws IOException {
        DatagramPacket p = new DatagramPacket(new byte[4096], 4096);
        try {
            s.receive(p);
        } catch (SocketTimeoutException e) {
            throw new AssertionError("no datagram on port " + s.getLocalPort() + " within 10 s", e);
        }
        return Arrays.copyOf(p.getData(), p.getLength());
    }

    /** A TZSP datagram as the capture thread builds it, without a sensor id. */
    private static ByteBuf datagram(byte[] frame) {
        ByteBuf b = ALLOC.directBuffer();
        Tzsp.encodeHeader(b, null);
        b.writeBytes(frame);
        return b;
    }

    /** A recognisable Ethernet-sized frame: its number in the first bytes, then a pattern. */
    private static byte[] frame(int number, int length) {
        byte[] f = new byte[length];
        for (int i = 0; i < length; i++) {
            f[i] = (byte) (i * 7 + number);
        }
        f[0] = (byte) number;
        return f;
    }

    private static void await(BooleanSupplier condition, AgentCounters counters) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out; counters: " + counters.snapshot());
            }
            Thread.sleep(5);
        }
    }
}
