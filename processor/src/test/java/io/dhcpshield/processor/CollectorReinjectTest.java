package io.dhcpshield.processor;

import io.dhcpshield.core.event.DhcpEvent;
import io.dhcpshield.core.event.EventFanout;
import io.dhcpshield.core.metrics.MetricSamples;
import io.dhcpshield.core.pipeline.DenySet;
import io.dhcpshield.core.pipeline.MirrorLedger;
import io.dhcpshield.core.time.Time;
import io.dhcpshield.transport.tzsp.Tzsp;
import io.dhcpshield.transport.tzsp.TzspCollector;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * The collector's reinject mode over real sockets: TZSP in, each frame's DHCP payload out to the mirror port (here
 * sockets of the test's own instead of 1067/1547) with its record in the ledger; what is not DHCP is skipped, a send
 * the kernel refuses is counted and its record withdrawn.
 */
class CollectorReinjectTest {

    private static final HexFormat HEX = HexFormat.of();

    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : open) {
            c.close();
        }
    }

    private static byte[] dhcp4Payload(int xid) {
        byte[] b = new byte[244];
        b[0] = 1;
        b[1] = 1;
        b[2] = 6;
        b[4] = (byte) (xid >>> 24);
        b[5] = (byte) (xid >>> 16);
        b[6] = (byte) (xid >>> 8);
        b[7] = (byte) xid;
        System.arraycopy(HEX.parseHex("02005e100001"), 0, b, 28, 6);
        System.arraycopy(HEX.parseHex("63825363350101ff"), 0, b, 236, 8);
        return b;
    }

    /** 02:00:5e:10:00:01 → broadcast, 0.0.0.0:68 → 255.255.255.255:67. */
    private static byte[] frame4(byte[] payload) {
        ByteBuf b = Unpooled.buffer();
        b.writeBytes(HEX.parseHex("ffffffffffff02005e1000010800"));
        b.writeBytes(HEX.parseHex("4500" + String.format("%04x", 28 + payload.length) + "0000000040110000"
                + "00000000ffffffff"));
        b.writeShort(68).writeShort(67).writeShort(8 + payload.length).writeShort(0).writeBytes(payload);
        return bytes(b);
    }

    /** A SOLICIT with a DUID-LL client id. */
    private static final byte[] DHCP6 = HEX.parseHex("01abcdef" + "0001000a00030001" + "02005e100002");

    /** 02:00:5e:10:00:02 → 33:33:00:01:00:02, fe80::1:546 → ff02::1:2:547. */
    private static byte[] frame6(byte[] payload) {
        ByteBuf b = Unpooled.buffer();
        b.writeBytes(HEX.parseHex("33330001000202005e10000286dd"));
        b.writeInt(0x60000000).writeShort(8 + payload.length).writeByte(17).writeByte(64);
        b.writeBytes(HEX.parseHex("fe800000000000000000000000000001" + "ff020000000000000000000000010002"));
        b.writeShort(546).writeShort(547).writeShort(8 + payload.length).writeShort(0).writeBytes(payload);
        return bytes(b);
    }

    private static final byte[] ARP = HEX.parseHex("ffffffffffff02005e1000010806" + "0001080006040001"
            + "02005e100001c0000201" + "000000000000c0000202");

    private static byte[] bytes(ByteBuf b) {
        byte[] out = new byte[b.readableBytes()];
        b.readBytes(out);
        return out;
    }

    private static byte[] tzsp(String sensor, byte[] frame) {
        return Tzsp.datagram(sensor, frame);
    }

    private DatagramChannel receiver(StandardProtocolFamily family, String address) throws Exception {
        DatagramChannel ch = DatagramChannel.open(family);
        ch.bind(new InetSocketAddress(address, 0));
        ch.configureBlocking(false);
        open.add(ch);
        return ch;
    }

    private CollectorService start(MirrorLedger ledger, InetSocketAddress v4, InetSocketAddress v6) throws Exception {
        CollectorService s = new CollectorService(new TzspCollector.Config("127.0.0.1", 0, List.of(), 1 << 20, 16),
                new DenySet(), new EventFanout<DhcpEvent>(), Time.SYSTEM, ledger, v4, v6);
        s.start();
        open.add(s::stop);
        return s;
    }

    private static void send(CollectorService s, byte[]... datagrams) throws Exception {
        try (DatagramChannel agent = DatagramChannel.open(StandardProtocolFamily.INET)) {
            agent.bind(new InetSocketAddress("127.0.0.1", 0));
            for (byte[] d : datagrams) {
                agent.send(ByteBuffer.wrap(d), s.collector().localAddress());
            }
        }
    }

    private static MetricSamples metrics(CollectorService s) {
        MetricSamples m = new MetricSamples();
        s.metrics(m);
        return m;
    }

    private static double metric(MetricSamples m, String name, String... labels) {
        List<String> want = Arrays.asList(labels);
        return m.samples().stream().filter(x -> x.name().equals(name)).filter(x -> {
            for (int i = 0; i < want.size(); i += 2) {
                if (!want.get(i + 1).equals(x.labels().get(want.get(i)))) {
                    return false;
                }
            }
            return true;
        }).mapToDouble(MetricSamples.Sample::value).sum();
    }

    /** The datagrams waiting on {@code ch}, until {@code n} have come. */
    private static List<byte[]> receive(DatagramChannel ch, int n) {
        List<byte[]> got = new ArrayList<>();
        ByteBuffer buf = ByteBuffer.allocate(65_536);
        Lab.await(Duration.ofSeconds(10), () -> {
            try {
                while (ch.receive(buf.clear()) != null) {
                    buf.flip();
                    byte[] d = new byte[buf.remaining()];
                    buf.get(d);
                    got.add(d);
                }
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
            return got.size() >= n;
        }, n + " re-injected copies");
        return got;
    }

    @Test
    void eachDhcpPayloadGoesToItsFamilysMirrorPortWithItsRecordAndTheRestIsSkipped() throws Exception {
        DatagramChannel port4 = receiver(StandardProtocolFamily.INET, "127.0.0.1");
        DatagramChannel port6 = receiver(StandardProtocolFamily.INET6, "::1");
        MirrorLedger ledger = new MirrorLedger(64);
        CollectorService s = start(ledger, (InetSocketAddress) port4.getLocalAddress(),
                (InetSocketAddress) port6.getLocalAddress());
        byte[] v4 = dhcp4Payload(0x1234);
        send(s, tzsp("branch-7", frame4(v4)), tzsp(null, frame6(DHCP6)), tzsp("branch-7", ARP));

        List<byte[]> got4 = receive(port4, 1);
        List<byte[]> got6 = receive(port6, 1);
        assertArrayEquals(v4, got4.get(0), "the DHCP payload alone, byte for byte");
        assertArrayEquals(DHCP6, got6.get(0));
        Lab.await(Duration.ofSeconds(10), () -> metric(metrics(s), "tzsp_reinject_skipped", "reason", "not_dhcp") == 1,
                "the ARP frame skipped");
        MetricSamples m = metrics(s);
        assertEquals(1, metric(m, "tzsp_reinjected", "family", "4"));
        assertEquals(1, metric(m, "tzsp_reinjected", "family", "6"));
        assertEquals(0, metric(m, "tzsp_reinject_skipped", "reason", "send_failed"));
        assertEquals(3, metric(m, "tzsp_frames"));
        assertEquals(2, metric(m, "mirror_ledger_recorded"));
        assertEquals(2, metric(m, "mirror_ledger_waiting"));
        assertEquals("reinject", s.readiness().detail().get("mode"));

        // The copies take back the frames they came from, with the site (sensor id, else the agent's address).
        MirrorLedger.Entry e4 = ledger.take(Unpooled.wrappedBuffer(got4.get(0)), 0, got4.get(0).length);
        MirrorLedger.Entry e6 = ledger.take(Unpooled.wrappedBuffer(got6.get(0)), 0, got6.get(0).length);
        assertNotNull(e4);
        assertNotNull(e6);
        assertArrayEquals(frame4(v4), e4.frame());
        assertEquals("branch-7", e4.site());
        assertArrayEquals(frame6(DHCP6), e6.frame());
        assertEquals("127.0.0.1", e6.site());
        assertEquals(e4.agent(), e6.agent());
        assertEquals(new MirrorLedger.Snapshot(2, 2, 0, 0, 0, 0), ledger.snapshot());
    }

    @Test
    void aSendTheKernelRefusesIsCountedAndItsRecordWithdrawn() throws Exception {
        DatagramChannel port6 = receiver(StandardProtocolFamily.INET6, "::1");
        MirrorLedger ledger = new MirrorLedger(64);
        // A broadcast destination from a socket without SO_BROADCAST: the kernel refuses the send (EACCES).
        CollectorService s = start(ledger, new InetSocketAddress("255.255.255.255", MirrorLedger.PORT_V4),
                (InetSocketAddress) port6.getLocalAddress());
        byte[] v4 = dhcp4Payload(0x99);
        send(s, tzsp("branch-7", frame4(v4)), tzsp("branch-7", frame6(DHCP6)));
        receive(port6, 1);
        Lab.await(Duration.ofSeconds(10), () -> metric(metrics(s), "tzsp_reinject_skipped", "reason", "send_failed") == 1,
                "the refused send counted");
        MetricSamples m = metrics(s);
        assertEquals(0, metric(m, "tzsp_reinjected", "family", "4"));
        assertEquals(1, metric(m, "tzsp_reinjected", "family", "6"));
        assertEquals(1, metric(m, "mirror_ledger_withdrawn"));
        assertEquals(1, metric(m, "mirror_ledger_waiting"), "only the sent copy's record waits");
        assertNull(ledger.take(Unpooled.wrappedBuffer(v4), 0, v4.length), "no record for a copy never sent");
    }
}
