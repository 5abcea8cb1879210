package io.dhcpshield.transport.pcap;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Objects;

/**
 * One frame of a capture file: its number counted from 1 as in tshark's {@code frame.number}, its timestamp, its
 * length on the wire and the captured bytes, which are fewer than {@code originalLength} when the capture truncated
 * the frame to its snapshot length.
 *
 * <p>The frame owns {@code data}; it is not copied, so callers must not modify it.
 */
public record PcapFrame(long number, long epochNanos, int originalLength, int linkType, byte[] data) {

    public PcapFrame {
        Objects.requireNonNull(data, "data");
    }

    /** A read-only view of the captured bytes. */
    public ByteBuffer buffer() {
        return ByteBuffer.wrap(data).asReadOnlyBuffer();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PcapFrame other
                && number == other.number
                && epochNanos == other.epochNanos
                && originalLength == other.originalLength
                && linkType == other.linkType
                && Arrays.equals(data, other.data);
    }

    @Override
    public int hashCode() {
        int result = Objects.hash(number, epochNanos, originalLength, linkType);
        return 31 * result + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "PcapFrame[number=" + number + ", epochNanos=" + epochNanos + ", originalLength=" + originalLength
                + ", linkType=" + LinkTypes.name(linkType) + ", capturedLength=" + data.length + ']';
    }
}
