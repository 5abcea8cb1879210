package io.dhcpshield.core.codec;

import io.dhcpshield.core.codec.TestPackets.Dhcp4;
import io.dhcpshield.core.codec.TestPackets.Dhcp6;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import static io.dhcpshield.core.codec.TestPackets.*;

/**
 * Writes the byte patterns the decoder's own tests build as seeds of the codec fuzz targets (docs/fuzzing.md), beside
 * the capture seeds that {@code bench/fuzz-seeds} extracts; that script runs this with
 * {@code -Ddhcpshield.fuzzSeeds=write}. Not a test otherwise.
 */
class FuzzSeedWriter {

    private static final byte[] LINK = hex("20010db8000000000000000000000001");
    private static final byte[] PEER = hex("fe800000000000000000000000000002");

    @Test
    @EnabledIfSystemProperty(named = "dhcpshield.fuzzSeeds", matches = "write")
    void writeSeeds() throws IOException {
        Map<String, byte[]> seeds = new LinkedHashMap<>();
        for (int i = 0; i < DecoderRobustnessTest.SEEDS.size(); i++) {
            seeds.put("robustness-" + i, withHeader(i == 0 ? Framing.ETHERNET : Framing.IP,
                    DecoderRobustnessTest.SEEDS.get(i)));
        }
        byte[] dhcp4 = new Dhcp4().type(1).option(61, hex("01 02005e102030")).option(12, "host")
                .option(82, hex("01 03 616263 02 02 6869 05 04 0a000001")).ip();
        seeds.put("qinq", withHeader(Framing.ETHERNET, ethernet(CLIENT_MAC, 0x0800, dhcp4, 100, 200)));
        seeds.put("overload-both", withHeader(Framing.IP, new Dhcp4().option(52, new byte[] {3})
                .file(hex("35 01 03 52 06 01 02 6162 02 00 ff")).sname(hex("3d 07 01 0a0b0c0d0e0f ff")).ip()));
        seeds.put("split-options", withHeader(Framing.IP, new Dhcp4().htype(0).hlen(0).chaddr(new byte[0]).type(3)
                .option(61, hex("01 aa bb")).option(61, hex("cc dd ee ff")).option(81, hex("05 00 00 03 616263 00"))
                .option(124, hex("00000009 03 616263")).option(125, hex("00000009 02 0102")).ip()));
        byte[] v6 = new Dhcp6(3).option(1, hex("0001 0001 2b3c4d5e 001122334455")).option(2, hex("0003 0001 0a0b0c0d0e0f"))
                .option(25, concat(hex("00000001 00000708 00000b40"),
                        opt6(26, concat(hex("00000e10 00001c20 40"), hex("20010db8000000000000000000000000")))))
                .option(39, hex("01 03 616263 00")).option(16, hex("00000009 0003 616263"))
                .option(4, concat(hex("00000001"), opt6(13, hex("0002 6e6f")))).payload();
        seeds.put("v6-request", withHeader(Framing.IP, ipv6Udp(v6, 546, 547)));
        for (int depth : new int[] {31, 32, 33}) {
            byte[] msg = new Dhcp6(1).option(1, hex("0003 0001 001122334455")).payload();
            for (int i = 0; i < depth; i++) {
                msg = relayForw(i & 0xFF, LINK, PEER, msg, opt6(79, hex("0001 0a0b0c0d0e0f")));
            }
            seeds.put("relay-depth-" + depth, withHeader(Framing.IP, ipv6Udp(msg, 547, 547)));
        }
        Path codec = Path.of(System.getProperty("dhcpshield.repo"), "core/src/test/resources/io/dhcpshield/core/codec");
        for (String target : new String[] {"DhcpDecoderFuzzTestInputs/decodesAnyBytesInAnyFramingWithinItsSlice",
                "PacketClassifierFuzzTestInputs/fastPathAgreesWithTheFullDecode"}) {
            Path dir = Files.createDirectories(codec.resolve(target));
            for (Map.Entry<String, byte[]> e : seeds.entrySet()) {
                Files.write(dir.resolve("seed-tests-" + e.getKey()), e.getValue());
            }
        }
    }

    private static byte[] withHeader(Framing framing, byte[] frame) {
        return concat(new byte[] {(byte) FuzzPacket.header(framing)}, frame);
    }
}
