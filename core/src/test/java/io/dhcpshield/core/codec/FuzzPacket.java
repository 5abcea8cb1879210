package io.dhcpshield.core.codec;

import java.util.Arrays;

/**
 * How the codec fuzz targets read their input: byte 0 says how to present the packet, the rest is the frame. Bits
 * 0-1 pick the framing (IP, Ethernet, Linux SLL, Linux SLL2), bit 2 gives a raw IP packet an out-of-band link-layer
 * source (NFQUEUE's NFQA_HWADDR), bits 3-7 say how many poison bytes (times 8) sit before the frame in its buffer.
 * Seed files are written in the same format (see {@code bench/fuzz-seeds}).
 */
record FuzzPacket(Framing framing, long l2Source, int before, byte[] frame) {

    private static final Framing[] FRAMINGS = {Framing.IP, Framing.ETHERNET, Framing.LINUX_SLL, Framing.LINUX_SLL2};
    static final long OUT_OF_BAND_SOURCE = 0x02_00_5e_77_66_55L;
    private static final int AFTER = 24;

    static FuzzPacket of(byte[] input) {
        if (input.length == 0) {
            return new FuzzPacket(Framing.IP, -1, 0, input);
        }
        int h = input[0] & 0xFF;
        return new FuzzPacket(FRAMINGS[h & 3], (h & 4) != 0 ? OUT_OF_BAND_SOURCE : -1, (h >>> 3) * 8,
                Arrays.copyOfRange(input, 1, input.length));
    }

    /** The seed header byte for a frame of {@code framing} (no out-of-band source, no offset). */
    static int header(Framing framing) {
        return Arrays.asList(FRAMINGS).indexOf(framing);
    }

    /** The frame in the middle of a larger buffer that fails reads outside it. */
    WindowedByteBuf place() {
        return WindowedByteBuf.around(frame, before, AFTER);
    }
}
