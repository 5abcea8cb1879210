package io.dhcpshield.transport.pcap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PcapFileReaderTest {

    // Expected values from zeek/dhcp.json (tshark): frame.len == frame.cap_len of each frame, and
    // frame.time_epoch 1370200442.323173000 of frame 1.
    private static final int[] DHCP_PCAP_LENGTHS = {307, 409, 313, 342, 307, 409, 286, 286, 313};
    private static final long DHCP_PCAP_FIRST_EPOCH_NANOS = 1_370_200_442_323_173_000L;

    // Expected values from tcpdump/dhcp-option-108.json (tshark): frame.len == frame.cap_len of each frame, and
    // frame.time_epoch 1742291025.393317000 of frame 1.
    private static final int[] OPTION_108_LENGTHS = {342, 365};
    private static final long OPTION_108_FIRST_EPOCH_NANOS = 1_742_291_025_393_317_000L;

    @Test
    void readsPcap() {
        List<PcapFrame> frames = readAll(Corpus.file("zeek/dhcp.pcap"), LinkTypes.ETHERNET);

        assertLengths(DHCP_PCAP_LENGTHS, frames);
        assertEquals(DHCP_PCAP_FIRST_EPOCH_NANOS, frames.get(0).epochNanos());
    }

    @Test
    void readsPcapng() {
        List<PcapFrame> frames = readAll(Corpus.file("tcpdump/dhcp-option-108.pcapng"), LinkTypes.ETHERNET);

        assertLengths(OPTION_108_LENGTHS, frames);
        assertEquals(OPTION_108_FIRST_EPOCH_NANOS, frames.get(0).epochNanos());
    }

    @Test
    void iteratesOnceFromTheCurrentPosition() {
        try (PcapFileReader reader = PcapFileReader.open(Corpus.file("zeek/dhcp.pcap"))) {
            assertEquals(1, reader.next().number());

            List<PcapFrame> rest = new ArrayList<>();
            reader.forEach(rest::add);

            assertEquals(DHCP_PCAP_LENGTHS.length - 1, rest.size());
            assertEquals(2, rest.get(0).number());
            assertThrows(IllegalStateException.class, reader::iterator);
        }
    }

    @Test
    void staysAtEndOfFile() {
        try (PcapFileReader reader = PcapFileReader.open(Corpus.file("tcpdump/dhcp-option-108.pcapng"))) {
            assertNotNull(reader.next());
            assertNotNull(reader.next());
            assertNull(reader.next());
            assertNull(reader.next());
        }
    }

    @Test
    void bufferIsReadOnlyViewOfData() {
        try (PcapFileReader reader = PcapFileReader.open(Corpus.file("zeek/dhcp.pcap"))) {
            PcapFrame frame = reader.next();
            ByteBuffer buffer = frame.buffer();

            assertTrue(buffer.isReadOnly());
            assertEquals(frame.data().length, buffer.remaining());
            assertEquals(frame.data()[12], buffer.get(12));
        }
    }

    @Test
    void closeIsIdempotent() {
        PcapFileReader reader = PcapFileReader.open(Corpus.file("zeek/dhcp.pcap"));
        reader.close();
        reader.close();

        assertThrows(IllegalStateException.class, reader::next);
    }

    @Test
    void iteratorEndsWhenClosed() {
        PcapFileReader reader = PcapFileReader.open(Corpus.file("zeek/dhcp.pcap"));
        Iterator<PcapFrame> frames = reader.iterator();
        assertTrue(frames.hasNext());
        frames.next();
        reader.close();

        assertFalse(frames.hasNext());
    }

    @Test
    void missingFileIsReported() {
        Path missing = Corpus.dir().resolve("no-such-capture.pcap");

        PcapException e = assertThrows(PcapException.class, () -> PcapFileReader.open(missing));

        assertContains(e.getMessage(), missing.toString());
        assertContains(e.getMessage(), "No such file or directory");
    }

    @Test
    void garbageFileIsReported(@TempDir Path dir) throws Exception {
        Path garbage = Files.writeString(dir.resolve("garbage.pcap"), "this is not a capture file\n".repeat(10));

        PcapException e = assertThrows(PcapException.class, () -> PcapFileReader.open(garbage));

        assertContains(e.getMessage(), garbage.toString());
        assertContains(e.getMessage(), "unknown file format");
    }

    @Test
    void truncatedFrameIsReported(@TempDir Path dir) throws Exception {
        byte[] original = Files.readAllBytes(Corpus.file("zeek/dhcp.pcap"));
        // File header, then frame 1 (record header and 307 bytes), then frame 2's record header and part of its data.
        int cut = 24 + 16 + DHCP_PCAP_LENGTHS[0] + 16 + 100;
        Path truncated = Files.write(dir.resolve("truncated.pcap"), Arrays.copyOf(original, cut));

        try (PcapFileReader reader = PcapFileReader.open(truncated)) {
            assertNotNull(reader.next());
            PcapException e = assertThrows(PcapException.class, reader::next);

            assertContains(e.getMessage(), "frame 2 of " + truncated);
            assertContains(e.getMessage(), "truncated");
        }
    }

    private static List<PcapFrame> readAll(Path path, int expectedLinkType) {
        try (PcapFileReader reader = PcapFileReader.open(path)) {
            assertEquals(expectedLinkType, reader.linkType());
            List<PcapFrame> frames = new ArrayList<>();
            for (PcapFrame frame = reader.next(); frame != null; frame = reader.next()) {
                assertEquals(expectedLinkType, frame.linkType());
                frames.add(frame);
            }
            return frames;
        }
    }

    private static void assertLengths(int[] expected, List<PcapFrame> frames) {
        assertEquals(expected.length, frames.size());
        for (int i = 0; i < expected.length; i++) {
            PcapFrame frame = frames.get(i);
            assertEquals(i + 1, frame.number());
            assertEquals(expected[i], frame.originalLength(), "frame.len of " + frame);
            assertEquals(expected[i], frame.data().length, "frame.cap_len of " + frame);
        }
    }

    private static void assertContains(String text, String part) {
        assertTrue(text.contains(part), () -> "expected '" + part + "' in: " + text);
    }
}
