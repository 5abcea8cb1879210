package io.dhcpshield.capture;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dhcpshield.core.codec.Classification;
import io.dhcpshield.core.codec.Framing;
import io.dhcpshield.core.codec.PacketClassifier;
import io.dhcpshield.core.event.DhcpEvent;
import io.dhcpshield.core.event.Origin;
import io.dhcpshield.core.net.MacAddress;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * Events made the way the verdict path makes them ({@link DhcpEvent#captured}) from the real packets of the shared
 * corpus (testdata/corpus: each capture's frames as tshark read them, {@code frame_raw} of its {@code -T json -x}
 * dissection). NFQUEUE hands the daemon IP packets, so {@link #rawIp} cuts each frame to its IP packet (without the
 * Ethernet padding); {@link #ethernet} keeps the frame, as TZSP will.
 */
final class CorpusEvents {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HexFormat HEX = HexFormat.of();
    static final long TIME = 1_700_000_000_123_456L;

    private CorpusEvents() {
    }

    static Path dir() {
        String configured = System.getProperty("dhcpshield.corpus");
        Path dir = configured != null ? Path.of(configured) : Path.of("../testdata/corpus");
        if (!Files.isDirectory(dir)) {
            throw new IllegalStateException("no corpus at " + dir.toAbsolutePath() + "; set -Ddhcpshield.corpus");
        }
        return dir;
    }

    /** The frames of one corpus capture ({@code zeek/dhcp} for zeek/dhcp.json), as tshark read them. */
    static List<byte[]> frames(String capture) {
        try {
            JsonNode packets = JSON.readTree(dir().resolve(capture + ".json").toFile());
            List<byte[]> out = new ArrayList<>();
            for (JsonNode p : packets) {
                out.add(HEX.parseHex(p.path("_source").path("layers").path("frame_raw").get(0).asText()));
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The DHCP packets of {@code capture} as NFQUEUE would deliver them: raw IP events, queue 1, site "lab". */
    static List<DhcpEvent> rawIp(String capture) {
        List<DhcpEvent> out = new ArrayList<>();
        for (byte[] frame : frames(capture)) {
            Classification eth = PacketClassifier.classify(Unpooled.wrappedBuffer(frame), 0, frame.length,
                    Framing.ETHERNET, new Classification());
            if (!eth.isDhcp() || eth.ipIndex() < 0) {
                continue;
            }
            byte[] ip = Arrays.copyOfRange(frame, eth.ipIndex(), eth.ipIndex() + ipLength(frame, eth.ipIndex()));
            out.add(event(ip, Framing.IP, out.size()));
        }
        return out;
    }

    /**
     * The DHCP frames of {@code capture} as the TZSP collector publishes them: observed Ethernet frames ({@link
     * DhcpEvent#observed}, queue 0) from agent {@link #AGENT} at site "lab".
     */
    static List<DhcpEvent> ethernet(String capture) {
        List<DhcpEvent> out = new ArrayList<>();
        for (byte[] frame : frames(capture)) {
            ByteBuf buf = Unpooled.wrappedBuffer(frame);
            Classification c = PacketClassifier.classify(buf, 0, frame.length, Framing.ETHERNET, new Classification());
            if (c.isDhcp()) {
                out.add(DhcpEvent.observed(buf, 0, frame.length, c, TIME + out.size() * 1000L, "lab",
                        Origin.mirrored(AGENT, MacAddress.read(buf, 0))));
            }
        }
        return out;
    }

    static final String AGENT = "192.0.2.7:40001";

    /** The event of one packet, a millisecond after the previous one; null when it is not DHCP. */
    static DhcpEvent event(byte[] bytes, Framing framing, int index) {
        // Classified inside a larger receive buffer, as the transport hands packets over.
        ByteBuf buf = Unpooled.buffer(bytes.length + 64);
        buf.writeZero(32).writeBytes(bytes).writeZero(32);
        Classification c = PacketClassifier.classify(buf, 32, bytes.length, framing, new Classification());
        if (!c.isDhcp()) {
            return null;
        }
        return DhcpEvent.captured(buf, 32, bytes.length, c, c.mark(), TIME + index * 1000L, 1, "lab");
    }

    /** The IP packet's own length (the frame may be padded after it). */
    private static int ipLength(byte[] frame, int ip) {
        int version = (frame[ip] & 0xFF) >>> 4;
        int n = version == 4 ? ((frame[ip + 2] & 0xFF) << 8 | (frame[ip + 3] & 0xFF))
                : 40 + ((frame[ip + 4] & 0xFF) << 8 | (frame[ip + 5] & 0xFF));
        return Math.min(n, frame.length - ip);
    }

    static byte[] bytes(DhcpEvent e) {
        var b = e.packet();
        byte[] out = new byte[b.remaining()];
        b.get(out);
        return out;
    }
}
