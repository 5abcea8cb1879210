package io.dhcpshield.core.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dhcpshield.core.codec.Classification;
import io.dhcpshield.core.codec.Framing;
import io.dhcpshield.core.codec.PacketClassifier;
import io.dhcpshield.core.codec.TestPackets;
import io.dhcpshield.core.event.DhcpEvent;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * Relay messages whose innermost message cannot be read (none at all, or deeper than the decoder goes) have no inner
 * type: their events still serialise, without the inner keys. (The demo's malformed DHCPv6 traffic once ended the
 * event log's subscription here.)
 */
class EventJsonRelayTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final byte[] LINK = new byte[16];
    private static final byte[] PEER = new byte[16];

    private static DhcpEvent event(byte[] dhcp6) {
        byte[] packet = TestPackets.ipv6Udp(dhcp6, 547, 547);
        ByteBuf buf = Unpooled.wrappedBuffer(packet);
        Classification c = PacketClassifier.classify(buf, 0, packet.length, Framing.IP, new Classification());
        return DhcpEvent.captured(buf, 0, packet.length, c, c.mark(), 1_700_000_000_000_000L, 1, "lab");
    }

    /** RELAY-FORW with its header only: no relay-message option. */
    private static byte[] relayWithoutMessage() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(12);
        out.write(0);
        out.writeBytes(LINK);
        out.writeBytes(PEER);
        return out.toByteArray();
    }

    /** {@code levels} RELAY-FORW around a SOLICIT. */
    private static byte[] nested(int levels) {
        byte[] m = new TestPackets.Dhcp6(1).payload();
        for (int i = 0; i < levels; i++) {
            m = TestPackets.relayForw(i, LINK, PEER, m);
        }
        return m;
    }

    @Test
    void aRelayMessageWithoutAReadableInnerMessageSerialisesWithoutInnerKeys() throws Exception {
        for (byte[] dhcp6 : List.of(relayWithoutMessage(), nested(33))) {
            DhcpEvent e = event(dhcp6);
            JsonNode n = JSON.readTree(EventJson.toBytes(e));
            assertEquals("RELAY-FORW", n.path("msg_type").asText(), n.toString());
            assertFalse(n.has("inner_msg_type"), n.toString());
            assertFalse(n.has("inner_msg_type_code"), n.toString());
            JSON.readTree(EventJson.lines(List.of(e, e)));
        }
        JsonNode ok = JSON.readTree(EventJson.toBytes(event(nested(2))));
        assertEquals("SOLICIT", ok.path("inner_msg_type").asText(), ok.toString());
    }
}
