package io.dhcpshield.transport.pcap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.dhcpshield.core.codec.DecodeError;
import io.dhcpshield.core.codec.DecodeFault;
import io.dhcpshield.core.codec.DecodedPacket;
import io.dhcpshield.core.codec.DhcpDecoder;
import io.dhcpshield.core.codec.Framing;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;

/**
 * Coverage-guided fuzzing of capture-file reading (docs/fuzzing.md), as {@code dpictl analyze} does it: open, read
 * every frame, decode each with the file's framing. Any file ends in frames and a clean end of file, or in a
 * {@link PcapException} that names the file and libpcap's reason: never another exception, never a crash, never more
 * frames than the file could hold. Hangs are bounded by Jazzer's per-input timeout ({@code bench/fuzz} passes
 * {@code -timeout}). libpcap itself is native and not instrumented: coverage is of our side only.
 */
class PcapFileReaderFuzzTest {

    /** libpcap's MAXIMUM_SNAPLEN: it refuses a record larger than this. */
    private static final int MAXIMUM_SNAPLEN = 262_144;
    /** The smallest record: a pcap record header (pcapng's smallest packet block is 32 bytes). */
    private static final int SMALLEST_RECORD = 16;

    private static final Path FILE = temporaryFile();

    @FuzzTest
    void readsAnyFileToAClearEnd(byte[] file) throws IOException {
        Files.write(FILE, file);
        PcapFileReader reader;
        try {
            reader = PcapFileReader.open(FILE);
        } catch (PcapException e) {
            assertClear(e);
            return;
        }
        try (reader) {
            Framing framing = Framing.ofLinkType(reader.linkType());
            long frames = 0;
            while (true) {
                PcapFrame frame;
                try {
                    frame = reader.next();
                } catch (PcapException e) {
                    assertClear(e);
                    assertTrue(e.getMessage().contains("frame " + (frames + 1)), e.getMessage());
                    return;
                }
                if (frame == null) {
                    assertNull(reader.next(), "the reader stays at the end of the file");
                    return;
                }
                frames++;
                assertEquals(frames, frame.number());
                assertTrue(frame.data().length <= MAXIMUM_SNAPLEN, "libpcap's own limit");
                assertTrue(frame.originalLength() >= 0);
                assertTrue(frames <= file.length / SMALLEST_RECORD, "more frames than the file holds");
                DecodedPacket packet = DhcpDecoder.decode(Unpooled.wrappedBuffer(frame.data()), 0,
                        frame.data().length, framing);
                for (DecodeFault f : packet.faults()) {
                    assertNotEquals(DecodeError.DECODER_FAILURE, f.error(), "decoder bounds bug");
                }
            }
        }
    }

    private static void assertClear(PcapException e) {
        String m = e.getMessage();
        assertTrue(m.contains(FILE.toString()), () -> "the error names the file: " + m);
        assertTrue(m.length() > m.indexOf(FILE.toString()) + FILE.toString().length() + 2,
                () -> "the error gives libpcap's reason: " + m);
    }

    @AfterAll
    static void removeFile() throws IOException {
        Files.deleteIfExists(FILE);
    }

    private static Path temporaryFile() {
        try {
            Path shm = Path.of("/dev/shm");
            return Files.isDirectory(shm) && Files.isWritable(shm)
                    ? Files.createTempFile(shm, "pcap-fuzz", ".pcap")
                    : Files.createTempFile("pcap-fuzz", ".pcap");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
