package io.dhcpshield.transport.tzsp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dhcpshield.transport.pcap.PcapFileReader;
import io.dhcpshield.transport.pcap.PcapFrame;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class TzspTest {

    private static final byte[] FRAME = HexFormat.of().parseHex(
            "ffffffffffff02000000000108004500001c0001000040117ad00a000001ffffffff00440043000800000102");

    private static ByteBuf datagram(String hexHeader, byte[] frame) {
        return Unpooled.wrappedBuffer(HexFormat.of().parseHex(hexHeader), frame);
    }

    @Test
    void encodedHeaderDecodesBackToTheFrameAndSensorId() {
        ByteBuf out = Unpooled.buffer();
        byte[] sensor = Tzsp.sensorIdBytes("site-7");
        Tzsp.encodeHeader(out, sensor);
        assertEquals(Tzsp.headerLength(sensor), out.readableBytes());
        out.writeBytes(FRAME);
        Tzsp.Decoded d = Tzsp.decode(out);
        assertNull(d.drop());
        assertEquals("site-7", d.frame().sensorId());
        assertEquals(Tzsp.TYPE_RECEIVED, d.frame().type());
        byte[] inner = new byte[d.frame().length()];
        out.getBytes(d.frame().index(), inner);
        assertArrayEquals(FRAME, inner);
        assertEquals(0, out.readerIndex(), "decode leaves the indexes alone");
    }

    @Test
    void withoutSensorIdTheHeaderIsFiveBytes() {
        ByteBuf out = Unpooled.buffer();
        Tzsp.encodeHeader(out, Tzsp.sensorIdBytes(""));
        assertEquals("0100000101", HexFormat.of().formatHex(bytes(out)));
    }

    private static byte[] bytes(ByteBuf b) {
        byte[] a = new byte[b.readableBytes()];
        b.getBytes(b.readerIndex(), a);
        return a;
    }

    @Test
    void unknownTagsAndPaddingAreSkipped() {
        // padding, RSSI (10, len 1), timestamp (13, len 4), an unknown tag 99 of 3 bytes, END
        Tzsp.Decoded d = Tzsp.decode(datagram("01000001" + "00" + "0a01f0" + "0d0401020304" + "6303aabbcc" + "01",
                FRAME));
        assertNull(d.drop());
        assertEquals(FRAME.length, d.frame().length());
        assertNull(d.frame().sensorId());
    }

    @Test
    void everyMalformedShapeHasItsReason() {
        assertEquals(Tzsp.Drop.TOO_SHORT, Tzsp.decode(datagram("010000", new byte[0])).drop());
        assertEquals(Tzsp.Drop.BAD_VERSION, Tzsp.decode(datagram("0200000101", FRAME)).drop());
        assertEquals(Tzsp.Drop.UNSUPPORTED_TYPE, Tzsp.decode(datagram("0103000101", FRAME)).drop());
        assertEquals(Tzsp.Drop.KEEPALIVE, Tzsp.decode(datagram("0104000001", new byte[0])).drop());
        assertEquals(Tzsp.Drop.KEEPALIVE, Tzsp.decode(datagram("0105000001", new byte[0])).drop());
        assertEquals(Tzsp.Drop.UNSUPPORTED_ENCAPSULATION, Tzsp.decode(datagram("0100001201", FRAME)).drop());
        assertEquals(Tzsp.Drop.MISSING_END, Tzsp.decode(datagram("01000001", new byte[]{0, 0})).drop());
        assertEquals(Tzsp.Drop.MISSING_END, Tzsp.decode(datagram("010000010a01f0", new byte[0])).drop());
        assertEquals(Tzsp.Drop.TRUNCATED_TAG, Tzsp.decode(datagram("010000010a", new byte[0])).drop());
        assertEquals(Tzsp.Drop.TRUNCATED_TAG, Tzsp.decode(datagram("010000013c09616263", new byte[0])).drop());
        assertEquals(Tzsp.Drop.EMPTY_FRAME, Tzsp.decode(datagram("0100000101", new byte[0])).drop());
    }

    @Test
    void aSensorIdLongerThanATagIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> Tzsp.sensorIdBytes("x".repeat(256)));
    }

    /** The MikroTik stream in the shared corpus: where tshark puts the inner Ethernet frame, we do too. */
    @Test
    void decodesMikrotikTzspWhereTsharkDoes() throws Exception {
        Path dir = corpusDir().resolve("lwerdna");
        JsonNode packets = new ObjectMapper().readTree(dir.resolve("simple_http_tzsp.json").toFile());
        List<PcapFrame> frames = new ArrayList<>();
        try (PcapFileReader r = PcapFileReader.open(dir.resolve("simple_http_tzsp.pcapng"))) {
            r.forEach(frames::add);
        }
        assertEquals(packets.size(), frames.size());
        for (int n = 0; n < frames.size(); n++) {
            byte[] data = frames.get(n).data();
            JsonNode tzsp = packets.get(n).path("_source").path("layers").path("tzsp");
            int endOffset = tzsp.path("End").path("tzsp.option_tag_raw").get(1).asInt();
            int udpPayload = 14 + (data[14] & 0x0F) * 4 + 8;
            ByteBuf datagram = Unpooled.wrappedBuffer(data, udpPayload, data.length - udpPayload);
            Tzsp.Decoded d = Tzsp.decode(datagram);
            assertNull(d.drop(), "frame " + (n + 1));
            assertEquals(endOffset + 1, udpPayload + d.frame().index(), "frame " + (n + 1) + ": inner frame starts after END");
            assertEquals(data.length - endOffset - 1, d.frame().length());
            assertEquals(Integer.parseInt(tzsp.path("tzsp.encap").asText()), d.frame().encapsulation());
        }
    }

    private static Path corpusDir() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("shared").resolve("corpus");
            if (Files.isDirectory(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("no shared/corpus above the working directory");
    }
}
