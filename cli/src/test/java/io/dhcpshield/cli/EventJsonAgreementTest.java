package io.dhcpshield.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dhcpshield.core.codec.Classification;
import io.dhcpshield.core.codec.DecodedPacket;
import io.dhcpshield.core.codec.DhcpDecoder;
import io.dhcpshield.core.codec.Framing;
import io.dhcpshield.core.codec.PacketClassifier;
import io.dhcpshield.core.event.DhcpEvent;
import io.dhcpshield.core.event.DhcpEvents;
import io.dhcpshield.core.json.EventJson;
import io.dhcpshield.core.json.PacketJson;
import io.dhcpshield.transport.pcap.PcapFileReader;
import io.dhcpshield.transport.pcap.PcapFrame;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One JSON model: for every DHCP packet of the corpus and the synthetic captures, every key the event form and the
 * decoded-packet form both carry has the same value (objects inside lists compared on the keys both carry).
 */
class EventJsonAgreementTest {

    @Test
    void everyKeySharedByTheEventAndThePacketFormHasTheSameValue() throws Exception {
        long packets = 0;
        Set<String> compared = new HashSet<>();
        List<String> problems = new ArrayList<>();
        for (Path f : captures()) {
            try (PcapFileReader reader = PcapFileReader.open(f)) {
                Framing framing = Framing.ofLinkType(reader.linkType());
                for (PcapFrame frame : reader) {
                    DecodedPacket d = DhcpDecoder.decode(Unpooled.wrappedBuffer(frame.data()), 0, frame.data().length,
                            framing);
                    if (!d.isDhcp()) {
                        continue;
                    }
                    packets++;
                    long micros = Math.floorDiv(frame.epochNanos(), 1000L);
                    DhcpEvent e = DhcpEvents.of(d, micros, 0, "");
                    ObjectNode event = EventJson.toJson(e);
                    ObjectNode packet = PacketJson.render(frame.number(), micros * 1000L, d, false);
                    Iterator<String> keys = event.fieldNames();
                    while (keys.hasNext()) {
                        String k = keys.next();
                        if (!packet.has(k)) {
                            continue;
                        }
                        compared.add(k);
                        String where = f.getFileName() + " frame " + frame.number() + " key " + k;
                        compare(where, event.get(k), packet.get(k), problems);
                    }
                }
            }
        }
        assertTrue(packets > 600, packets + " packets");
        assertTrue(compared.containsAll(List.of("family", "msg_type", "msg_type_code", "xid", "mark", "mark_type",
                "client_mark", "mark_source", "client_mac", "l2_src", "duid", "client_id", "hostname", "vendor_class", "prl",
                "oro", "src_ip", "dst_ip", "requested_ip", "server_id", "server_duid", "lease_time", "errors",
                "time", "inner_msg_type")), "keys compared: " + compared);
        assertEquals(List.of(), problems.stream().limit(20).toList(), problems.size() + " disagreements");
    }

    /**
     * An event captured on the verdict path (a copy of the packet taken from the middle of a larger direct buffer,
     * the decode deferred to the first accessor, with what the fast path kept of its classification) renders the
     * same JSON as the event built from the full decode, for every DHCP packet of the corpus and the synthetic
     * captures, in their own framing and with a link-layer source given out of band.
     */
    @Test
    void anEventCapturedOnTheVerdictPathRendersLikeTheEventOfTheFullDecode() throws Exception {
        long packets = 0;
        List<String> problems = new ArrayList<>();
        for (Path f : captures()) {
            try (PcapFileReader reader = PcapFileReader.open(f)) {
                Framing framing = Framing.ofLinkType(reader.linkType());
                for (PcapFrame frame : reader) {
                    byte[] data = frame.data();
                    long l2 = packets % 2 == 0 ? 0x02005e102030L : -1;
                    DecodedPacket d = DhcpDecoder.decode(Unpooled.wrappedBuffer(data), 0, data.length, framing, l2);
                    if (!d.isDhcp()) {
                        continue;
                    }
                    packets++;
                    ByteBuf ring = Unpooled.directBuffer(data.length + 100);
                    ring.writeZero(37).writeBytes(data).writeZero(63);
                    Classification c = PacketClassifier.classify(ring, 37, data.length, framing, l2,
                            new Classification());
                    DhcpEvent captured = DhcpEvent.captured(ring, 37, data.length, c, c.mark(), 1_700_000_000_000_000L,
                            3, "site");
                    // The verdict path reuses both for the next packet at once.
                    ring.setZero(0, ring.capacity());
                    PacketClassifier.classify(ring, 0, 60, Framing.IP, -1, c);
                    ring.release();
                    ObjectNode lazy = EventJson.toJson(captured);
                    ObjectNode eager = EventJson.toJson(DhcpEvents.of(d, 1_700_000_000_000_000L, 3, "site"));
                    if (!lazy.equals(eager)) {
                        problems.add(f.getFileName() + " frame " + frame.number() + ": " + lazy + " vs " + eager);
                    }
                }
            }
        }
        assertTrue(packets > 600, packets + " packets");
        assertEquals(List.of(), problems.stream().limit(5).toList(), problems.size() + " disagreements");
    }

    /** The corpus's and the synthetic captures' pcap and pcapng files, sorted. */
    private static List<Path> captures() throws Exception {
        List<Path> files = new ArrayList<>();
        for (Path dir : List.of(Corpus.dir(), Corpus.locate("dhcpshield.synthetic", Path.of("testdata", "synthetic")))) {
            try (Stream<Path> walk = Files.walk(dir)) {
                walk.filter(f -> f.toString().matches(".*\\.pcap(ng)?$")).sorted().forEach(files::add);
            }
        }
        return files;
    }

    private static void compare(String where, JsonNode ours, JsonNode theirs, List<String> problems) {
        if (ours.isObject() && theirs.isObject()) {
            // The event carries a subset of the packet's object: each of its keys must agree.
            ours.fieldNames().forEachRemaining(k -> {
                if (theirs.has(k) && !(k.equals("text") && !printable(theirs.path("hex").asText()))) {
                    compare(where + "." + k, ours.get(k), theirs.get(k), problems);
                }
            });
            return;
        }
        if (ours.isArray() && theirs.isArray()) {
            if (ours.size() != theirs.size()) {
                problems.add(where + ": " + ours + " vs " + theirs);
                return;
            }
            for (int i = 0; i < ours.size(); i++) {
                compare(where + "[" + i + "]", ours.get(i), theirs.get(i), problems);
            }
            return;
        }
        if (ours.isNumber() && theirs.isNumber()) {
            if (ours.decimalValue().compareTo(theirs.decimalValue()) != 0) {
                problems.add(where + ": " + ours + " vs " + theirs);
            }
            return;
        }
        if (!ours.equals(theirs)) {
            problems.add(where + ": " + ours + " vs " + theirs);
        }
    }

    /** True when the colon hex decodes to printable ASCII only (the packet form's text is then the same). */
    private static boolean printable(String hex) {
        if (hex.isEmpty()) {
            return true;
        }
        for (String b : hex.split(":")) {
            int c = Integer.parseInt(b, 16);
            if (c < 0x20 || c > 0x7e) {
                return false;
            }
        }
        return true;
    }
}
