package io.dhcpshield.core.pipeline;

import io.dhcpshield.core.codec.Framing;
import io.dhcpshield.core.event.DhcpEvent;
import io.dhcpshield.core.event.EventFanout;
import io.dhcpshield.core.event.Origin;
import io.dhcpshield.core.mark.PacketMark;
import io.dhcpshield.core.net.MacAddress;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;
import reactor.core.scheduler.Schedulers;

import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ObserverTest {

    /** An Ethernet broadcast DISCOVER from 02:00:5e:10:00:01 (option 53 = 1, END). */
    private static final byte[] DISCOVER = discover();

    private static byte[] discover() {
        ByteBuf b = Unpooled.buffer();
        b.writeBytes(HexFormat.of().parseHex("ffffffffffff02005e1000010800"));
        int bootp = 240 + 4;
        b.writeBytes(HexFormat.of().parseHex("4500" + String.format("%04x", 20 + 8 + bootp)
                + "0000000040110000" + "00000000ffffffff"));
        b.writeBytes(HexFormat.of().parseHex("00440043" + String.format("%04x", 8 + bootp) + "0000"));
        byte[] dhcp = new byte[bootp];
        dhcp[0] = 1;
        dhcp[1] = 1;
        dhcp[2] = 6;
        dhcp[4] = 0x12;
        System.arraycopy(HexFormat.of().parseHex("02005e100001"), 0, dhcp, 28, 6);
        System.arraycopy(HexFormat.of().parseHex("63825363350101ff"), 0, dhcp, 236, 8);
        b.writeBytes(dhcp);
        byte[] out = new byte[b.readableBytes()];
        b.readBytes(out);
        return out;
    }

    @Test
    void anObservedDhcpFrameBecomesAnEventWithItsOriginAndNoVerdict() {
        EventFanout<DhcpEvent> events = new EventFanout<>();
        List<DhcpEvent> seen = new CopyOnWriteArrayList<>();
        events.subscribe("t", 16, Schedulers.single()).subscribe(seen::add);
        Observer o = new Observer(new DenySet(), events, () -> 42L);
        ByteBuf frame = Unpooled.wrappedBuffer(DISCOVER);
        assertEquals(Observer.Outcome.EVENT, o.observe(frame, 0, DISCOVER.length, Framing.ETHERNET, "branch-7",
                "192.0.2.9:40001"));
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (seen.isEmpty() && System.nanoTime() < deadline) {
            Thread.onSpinWait();     // the fan-out delivers on its scheduler's thread
        }
        assertEquals(1, seen.size());
        DhcpEvent e = seen.get(0);
        assertEquals("branch-7", e.siteId());
        assertEquals(0, e.queue());
        assertEquals(42L, e.timeMicros());
        assertEquals(Origin.mirrored("192.0.2.9:40001", new MacAddress(0xffff_ffff_ffffL)), e.origin());
        assertEquals(MacAddress.parse("02:00:5e:10:00:01"), e.l2Source());
        assertEquals(MacAddress.parse("02:00:5e:10:00:01"), e.clientMac());
        assertEquals(1, PacketMark.typeCode(e.mark()), "the mark the processor would give it");
        assertEquals(Framing.ETHERNET, e.framing());
        assertEquals(1, o.counters().events());
        assertEquals(0, o.counters().verdicted(), "an observation gets no verdict");
    }

    @Test
    void deniedClientsNonDhcpFramesAndNoListenersAreCountedWithoutEvents() {
        EventFanout<DhcpEvent> events = new EventFanout<>();
        DenySet deny = new DenySet();
        Observer o = new Observer(deny, events, () -> 1L);
        ByteBuf frame = Unpooled.wrappedBuffer(DISCOVER);
        assertEquals(Observer.Outcome.NO_SUBSCRIBERS, o.observe(frame, 0, DISCOVER.length, Framing.ETHERNET, "s",
                "a:1"));
        List<DhcpEvent> seen = new CopyOnWriteArrayList<>();
        events.subscribe("t", 16, Schedulers.immediate()).subscribe(seen::add);
        deny.add(0x10_0001);
        assertEquals(Observer.Outcome.DENIED, o.observe(frame, 0, DISCOVER.length, Framing.ETHERNET, "s", "a:1"));
        byte[] arp = HexFormat.of().parseHex("ffffffffffff02005e1000010806" + "0001080006040001");
        assertEquals(Observer.Outcome.NOT_DHCP, o.observe(Unpooled.wrappedBuffer(arp), 0, arp.length,
                Framing.ETHERNET, "s", "a:1"));
        assertTrue(seen.isEmpty());
        QueueCounters.Snapshot c = o.counters();
        assertEquals(3, c.received());
        assertEquals(2, c.dhcp());
        assertEquals(1, c.denied());
        assertEquals(1, c.nonDhcp());
        assertEquals(0, c.events());
    }
}
