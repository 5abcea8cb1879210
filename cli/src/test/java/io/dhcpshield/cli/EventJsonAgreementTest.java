package io.dhcpshield.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dhcpshield.core.codec.DecodedPacket;
import io.dhcpshield.core.codec.DhcpDecoder;
import io.dhcpshield.core.codec.Framing;
import io.dhcpshield.core.event.DhcpEvent;
import io.dhcpshield.core.event.DhcpEvents;
import io.dhcpshield.core.json.EventJson;
import io.dhcpshield.core.json.PacketJson;
import io.dhcpshield.transport.pcap.PcapFileReader;
import io.dhcpshield.transport.pcap.PcapFrame;
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
        List<Path> files = new ArrayList<>();
        for (Path dir : List.of(Corpus.dir(), Corpus.locate("dhcpshield.synthetic", Path.of("testdata", "synthetic")))) {
            try (Stream<Path> walk = Files.walk(dir)) {
                walk.filter(f -> f.toString().matches(".*\\.pcap(ng)?$")).sorted().forEach(files::add);
            }
        }
        long packets = 0;
        Set<String> compared = new HashSet<>();
        List<String> problems = new ArrayList<>();
        for (Path f : files) {
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
