package io.dhcpshield.transport.pcap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PcapFileWriterTest {

    private static final long EPOCH_NANOS = 1_700_000_000_123_456_789L;

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(ints = {LinkTypes.LINUX_SLL, LinkTypes.RAW, LinkTypes.ETHERNET, LinkTypes.LINUX_SLL2})
    void roundTrips(int linkType) {
        Path file = dir.resolve(LinkTypes.name(linkType) + ".pcap");
        byte[][] frames = {frameBytes(60, 1), frameBytes(342, 2), frameBytes(1, 3)};
        long[] times = {EPOCH_NANOS, EPOCH_NANOS + 1, EPOCH_NANOS + 2_000_000_001L};

        try (PcapFileWriter writer = PcapFileWriter.create(file, linkType, PcapFileWriter.MAX_SNAPLEN)) {
            for (int i = 0; i < frames.length; i++) {
                writer.write(times[i], frames[i], 0, frames[i].length);
            }
        }

        try (PcapFileReader reader = PcapFileReader.open(file)) {
            assertEquals(linkType, reader.linkType());
            for (int i = 0; i < frames.length; i++) {
                PcapFrame frame = reader.next();
                assertEquals(new PcapFrame(i + 1, times[i], frames[i].length, linkType, frames[i]), frame);
            }
            assertNull(reader.next());
        }
    }

    @Test
    void writesSliceOfArray() {
        Path file = dir.resolve("slice.pcap");
        byte[] data = frameBytes(100, 7);

        try (PcapFileWriter writer = PcapFileWriter.create(file, LinkTypes.IPV4, 1500)) {
            writer.write(EPOCH_NANOS, data, 10, 40);
            writer.flush();
        }

        try (PcapFileReader reader = PcapFileReader.open(file)) {
            assertArrayEquals(Arrays.copyOfRange(data, 10, 50), reader.next().data());
        }
    }

    @Test
    void truncatesToSnapshotLength() {
        Path file = dir.resolve("snaplen.pcap");
        byte[] data = frameBytes(100, 9);

        try (PcapFileWriter writer = PcapFileWriter.create(file, LinkTypes.IPV6, 64)) {
            writer.write(EPOCH_NANOS, data, 0, data.length);
        }

        try (PcapFileReader reader = PcapFileReader.open(file)) {
            PcapFrame frame = reader.next();
            assertEquals(100, frame.originalLength());
            assertArrayEquals(Arrays.copyOf(data, 64), frame.data());
        }
    }

    @Test
    void closeIsIdempotent() throws Exception {
        Path file = dir.resolve("closed.pcap");
        PcapFileWriter writer = PcapFileWriter.create(file, LinkTypes.RAW, 65_535);
        writer.close();
        writer.close();

        assertThrows(IllegalStateException.class, () -> writer.write(EPOCH_NANOS, new byte[1], 0, 1));
        assertEquals(24, Files.size(file), "just the file header");
    }

    @Test
    void rejectsBadArguments() {
        Path file = dir.resolve("args.pcap");
        assertThrows(IllegalArgumentException.class, () -> PcapFileWriter.create(file, LinkTypes.RAW, 0));

        try (PcapFileWriter writer = PcapFileWriter.create(file, LinkTypes.RAW, 65_535)) {
            assertThrows(IndexOutOfBoundsException.class, () -> writer.write(EPOCH_NANOS, new byte[10], 5, 6));
            assertThrows(IllegalArgumentException.class, () -> writer.write(-1, new byte[10], 0, 10));
        }
    }

    @Test
    void unwritableFileIsReported() {
        Path file = dir.resolve("no-such-directory").resolve("out.pcap");

        PcapException e = assertThrows(PcapException.class,
                () -> PcapFileWriter.create(file, LinkTypes.RAW, 65_535));

        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("No such file or directory"), e.getMessage());
    }

    private static byte[] frameBytes(int length, int seed) {
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            bytes[i] = (byte) (seed * 31 + i);
        }
        return bytes;
    }
}
