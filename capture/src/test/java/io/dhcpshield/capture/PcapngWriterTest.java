package io.dhcpshield.capture;

import io.dhcpshield.core.codec.Framing;
import io.dhcpshield.core.event.DhcpEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The pcapng the writer makes is one tshark reads back byte for byte, comments included. */
class PcapngWriterTest {

    @TempDir
    Path dir;

    @Test
    void tsharkReadsEveryPacketIntactWithItsCommentAndLinkType() throws Exception {
        List<DhcpEvent> events = new ArrayList<>(CorpusEvents.rawIp("zeek/dhcp"));
        events.addAll(CorpusEvents.rawIp("tcpdump/dhcpv6-ia-na"));
        events.addAll(CorpusEvents.ethernet("zeek/dhcp_inform"));
        events.addAll(CorpusEvents.rawIp("zeek/dhcp_ack_subscriber_id_and_agent_remote_id"));
        Path file = dir.resolve("mixed.pcapng");
        long size;
        List<String> comments = new ArrayList<>();
        try (PcapngWriter w = PcapngWriter.create(file, "DHCP Shield")) {
            for (int i = 0; i < events.size(); i++) {
                DhcpEvent e = events.get(i);
                // Comments of every padding length, one with UTF-8 beyond ASCII.
                String comment = "packet " + i + " " + "x".repeat(i % 4) + (i == 3 ? " café" : "");
                comments.add(comment);
                long expected = w.cost(e.framing().linkType(), e.packetLength(),
                        comment.getBytes(StandardCharsets.UTF_8));
                long added = w.write(e.framing().linkType(), e.timeMicros(), e.packet(),
                        comment.getBytes(StandardCharsets.UTF_8));
                assertEquals(expected, added, "cost() is what write() adds");
            }
            size = w.size();
        }
        assertEquals(Files.size(file), size);

        List<Tshark.Frame> frames = Tshark.read(file);
        assertEquals(events.size(), frames.size());
        for (int i = 0; i < frames.size(); i++) {
            DhcpEvent e = events.get(i);
            Tshark.Frame f = frames.get(i);
            assertArrayEquals(CorpusEvents.bytes(e), f.bytes(), "frame " + i + " byte for byte");
            assertEquals(f.length(), f.capturedLength(), "frame " + i + " is not cut");
            assertEquals(List.of(comments.get(i)), f.comments(), "frame " + i);
            assertEquals(e.timeMicros(), f.timeMicros(), "frame " + i + " time to the microsecond");
            boolean ethernet = e.framing() == Framing.ETHERNET;
            assertEquals(ethernet ? 1 : 7, f.encap(), "frame " + i + " encapsulation");
            String dhcp = e.family() == 4 ? ":udp:dhcp" : ":udp:dhcpv6";
            String expected = (ethernet ? "eth:ethertype:" : "raw:") + (e.family() == 4 ? "ip" : "ipv6") + dhcp;
            assertTrue(f.protocols().startsWith(expected), "frame " + i + " dissects as DHCP: " + f.protocols());
        }
        PcapngWriter.Contents c = PcapngWriter.scan(file);
        assertEquals(size, c.validLength());
        assertEquals(events.size(), c.packets());
        assertEquals(events.stream().mapToLong(DhcpEvent::packetLength).sum(), c.packetBytes());
    }

    @Test
    void aPacketWithoutACommentCarriesNoOptionsAndTsharkReadsIt() throws Exception {
        DhcpEvent e = CorpusEvents.rawIp("zeek/dhcp").get(0);
        Path file = dir.resolve("plain.pcapng");
        try (PcapngWriter w = PcapngWriter.create(file, null)) {
            assertEquals(20 + 32 + ((e.packetLength() + 3) & ~3), w.cost(PcapngWriter.LINKTYPE_RAW, e.packetLength(),
                    null), "interface block + packet block without options");
            w.write(PcapngWriter.LINKTYPE_RAW, e.timeMicros(), e.packet(), null);
        }
        List<Tshark.Frame> frames = Tshark.read(file);
        assertEquals(1, frames.size());
        assertEquals(List.of(), frames.get(0).comments());
        assertArrayEquals(CorpusEvents.bytes(e), frames.get(0).bytes());
    }

    @Test
    void aFileCutMidBlockIsValidUpToItsLastWholeBlock() throws Exception {
        List<DhcpEvent> events = CorpusEvents.rawIp("zeek/dhcp");
        Path file = dir.resolve("cut.pcapng");
        long afterTwo;
        try (PcapngWriter w = PcapngWriter.create(file, "DHCP Shield")) {
            w.write(101, 1, events.get(0).packet(), "a".getBytes(StandardCharsets.UTF_8));
            w.write(101, 2, events.get(1).packet(), "b".getBytes(StandardCharsets.UTF_8));
            afterTwo = w.size();
            w.write(101, 3, events.get(2).packet(), "c".getBytes(StandardCharsets.UTF_8));
        }
        byte[] whole = Files.readAllBytes(file);
        Files.write(file, java.util.Arrays.copyOf(whole, whole.length - 7));
        PcapngWriter.Contents c = PcapngWriter.scan(file);
        assertEquals(afterTwo, c.validLength());
        assertEquals(2, c.packets());
    }

    @Test
    void theWriterNeverLeavesThePacketsPositionMoved() throws Exception {
        DhcpEvent e = CorpusEvents.rawIp("zeek/dhcp").get(0);
        ByteBuffer packet = e.packet();
        try (PcapngWriter w = PcapngWriter.create(dir.resolve("p.pcapng"), "x")) {
            w.write(101, 0, packet, null);
            assertEquals(0, packet.position());
            assertThrows(IllegalArgumentException.class, () -> w.write(-1, 0, packet, null));
        }
        assertThrows(java.nio.file.FileAlreadyExistsException.class,
                () -> PcapngWriter.create(dir.resolve("p.pcapng"), "x"), "never overwrites a file");
    }
}
