package io.dhcpshield.transport.tzsp;

import org.junit.jupiter.api.Test;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TzspCollectorTest {

    private static final byte[] FRAME = HexFormat.of().parseHex(
            "ffffffffffff02000000000108004500001c0001000040117ad00a000001ffffffff00440043000800000102");

    private static TzspCollector.Config config(List<String> allowed) {
        return new TzspCollector.Config("127.0.0.1", 0, allowed, 1 << 20, 16);
    }

    private static byte[] tzsp(String sensor, byte[] frame) {
        return Tzsp.datagram(sensor, frame);
    }

    private static void send(DatagramSocket s, InetSocketAddress to, byte[] datagram) throws Exception {
        s.send(new DatagramPacket(datagram, datagram.length, to));
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.onSpinWait();
            Thread.sleep(1);
        }
    }

    @Test
    void validFramesReachTheHandlerAndMalformedOnesAreCountedByReason() throws Exception {
        List<byte[]> got = new CopyOnWriteArrayList<>();
        List<String> sensors = new CopyOnWriteArrayList<>();
        try (TzspCollector c = TzspCollector.start(config(List.of()), (buf, f, agent) -> {
            byte[] b = new byte[f.length()];
            buf.getBytes(f.index(), b);
            got.add(b);
            sensors.add(f.sensorId() + "@" + agent.getAddress().getHostAddress());
        }, System::currentTimeMillis); DatagramSocket s = new DatagramSocket()) {
            InetSocketAddress to = c.localAddress();
            send(s, to, tzsp("site-a", FRAME));
            send(s, to, tzsp(null, FRAME));
            send(s, to, HexFormat.of().parseHex("0200000101aa"));          // bad version
            send(s, to, HexFormat.of().parseHex("0100001201aa"));          // 802.11: not Ethernet
            send(s, to, HexFormat.of().parseHex("010000010a"));            // a tag cut off
            send(s, to, HexFormat.of().parseHex("01000001000000"));        // no END
            send(s, to, HexFormat.of().parseHex("0104000001"));            // keepalive
            await(() -> c.snapshot().datagrams() == 7, "7 datagrams");
            TzspCollector.Snapshot snap = c.snapshot();
            assertEquals(2, snap.frames());
            assertEquals(5, snap.droppedTotal());
            assertEquals(1L, snap.dropped().get(TzspCollector.Reason.BAD_VERSION));
            assertEquals(1L, snap.dropped().get(TzspCollector.Reason.UNSUPPORTED_ENCAPSULATION));
            assertEquals(1L, snap.dropped().get(TzspCollector.Reason.TRUNCATED_TAG));
            assertEquals(1L, snap.dropped().get(TzspCollector.Reason.MISSING_END));
            assertEquals(1L, snap.dropped().get(TzspCollector.Reason.KEEPALIVE));
            assertArrayEquals(FRAME, got.get(0));
            assertEquals(List.of("site-a@127.0.0.1", "null@127.0.0.1"), sensors);
            TzspCollector.AgentSnapshot agent = c.agents().get(0);
            assertEquals("127.0.0.1", agent.address());
            assertEquals("site-a", agent.sensorId());
            assertEquals(7, agent.datagrams());
            assertEquals(2, agent.frames());
            assertEquals(4, agent.malformed(), "keepalives are not malformed");
            assertTrue(agent.lastSeenMillis() > 0);
        }
    }

    @Test
    void agentsOutsideTheAllowListAreCountedAndDropped() throws Exception {
        List<byte[]> got = new CopyOnWriteArrayList<>();
        try (TzspCollector c = TzspCollector.start(config(List.of("10.0.0.0/8", "192.0.2.7")),
                (buf, f, agent) -> got.add(new byte[0]), System::currentTimeMillis);
             DatagramSocket s = new DatagramSocket()) {
            send(s, c.localAddress(), tzsp("x", FRAME));
            await(() -> c.snapshot().datagrams() == 1, "1 datagram");
            assertEquals(1L, c.snapshot().dropped().get(TzspCollector.Reason.NOT_ALLOWED));
            assertEquals(0, got.size());
            assertTrue(c.agents().isEmpty(), "no per-agent entry for a refused sender");
        }
        try (TzspCollector c = TzspCollector.start(config(List.of("127.0.0.0/8")), (buf, f, agent) -> { },
                System::currentTimeMillis); DatagramSocket s = new DatagramSocket()) {
            send(s, c.localAddress(), tzsp("x", FRAME));
            await(() -> c.snapshot().frames() == 1, "1 frame from an allowed agent");
        }
    }

    @Test
    void aBadAllowListEntryIsAClearError() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> config(List.of("10.0.0.0/40")));
        assertTrue(e.getMessage().contains("10.0.0.0/40"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> config(List.of("agent.example.com")));
    }

    @Test
    void aThrowingHandlerIsCountedAndTheCollectorKeepsServing() throws Exception {
        try (TzspCollector c = TzspCollector.start(config(List.of()), (buf, f, agent) -> {
            throw new IllegalStateException("boom");
        }, System::currentTimeMillis); DatagramSocket s = new DatagramSocket()) {
            for (int i = 0; i < 3; i++) {
                send(s, c.localAddress(), tzsp(null, FRAME));
            }
            await(() -> c.snapshot().datagrams() == 3, "3 datagrams");
            assertEquals(3L, c.snapshot().dropped().get(TzspCollector.Reason.HANDLER_ERROR));
            assertEquals(0, c.snapshot().frames());
        }
    }

    /** Random and mutated datagrams: nothing escapes, every datagram is counted once. */
    @Test
    void fuzzedDatagramsAreEachCountedOnce() throws Exception {
        Random random = new Random(13);
        byte[] valid = tzsp("fuzz", FRAME);
        int n = 3000;
        try (TzspCollector c = TzspCollector.start(config(List.of()), (buf, f, agent) -> {
            // Read the whole frame as a consumer would: a bad index would throw here.
            buf.getBytes(f.index(), new byte[f.length()]);
        }, System::currentTimeMillis); DatagramSocket s = new DatagramSocket()) {
            for (int i = 0; i < n; i++) {
                byte[] d;
                if (i % 2 == 0) {
                    d = new byte[random.nextInt(80)];
                    random.nextBytes(d);
                    if (d.length > 0 && random.nextBoolean()) {
                        d[0] = 1;
                    }
                } else {
                    d = java.util.Arrays.copyOf(valid, random.nextInt(valid.length + 1));
                    if (d.length > 0) {
                        d[random.nextInt(d.length)] = (byte) random.nextInt(256);
                    }
                }
                send(s, c.localAddress(), d);
                if (i % 500 == 499) {
                    int sent = i + 1;
                    await(() -> c.snapshot().datagrams() == sent, sent + " datagrams");
                }
            }
            TzspCollector.Snapshot snap = c.snapshot();
            assertEquals(n, snap.datagrams());
            assertEquals(n, snap.frames() + snap.droppedTotal());
            assertEquals(0L, snap.dropped().get(TzspCollector.Reason.HANDLER_ERROR));
        }
    }
}
