package io.dhcpshield.capture;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Reads a capture file with tshark (the oracle): every frame's bytes, comment, encapsulation and protocols. */
final class Tshark {

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * One frame as tshark read it.
     *
     * @param encap     tshark's encapsulation: 1 Ethernet, 7 raw IP
     * @param comments  {@code frame.comment} values (the pcapng {@code opt_comment}s)
     */
    record Frame(byte[] bytes, int length, int capturedLength, int encap, String protocols, long timeMicros,
                 List<String> comments) {
    }

    private Tshark() {
    }

    /** Every frame of {@code file}; fails when tshark complains about the file or exits non-zero. */
    static List<Frame> read(Path file) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("tshark", "-r", file.toString(), "-T", "json", "-x", "--no-duplicate-keys")
                .redirectErrorStream(false).start();
        byte[] out = p.getInputStream().readAllBytes();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "tshark finished");
        assertEquals(0, p.exitValue(), "tshark's exit status; stderr: " + err);
        // As root tshark warns that it runs as root; anything else it says is about the file.
        String complaints = err.lines().filter(l -> !l.startsWith("Running as user \"root\""))
                .collect(java.util.stream.Collectors.joining("\n"));
        assertEquals("", complaints.strip(), "tshark's complaints about " + file);
        List<Frame> frames = new ArrayList<>();
        for (JsonNode packet : JSON.readTree(out)) {
            JsonNode layers = packet.path("_source").path("layers");
            JsonNode frame = layers.path("frame");
            List<String> comments = new ArrayList<>();
            JsonNode c = layers.path("pkt_comment").path("frame.comment");
            if (c.isArray()) {
                c.forEach(x -> comments.add(x.asText()));
            } else if (!c.isMissingNode()) {
                comments.add(c.asText());
            }
            String epoch = frame.path("frame.time_epoch").asText();
            long micros = new java.math.BigDecimal(epoch).movePointRight(6).longValueExact();
            frames.add(new Frame(HexFormat.of().parseHex(layers.path("frame_raw").get(0).asText()),
                    frame.path("frame.len").asInt(), frame.path("frame.cap_len").asInt(),
                    frame.path("frame.encap_type").asInt(), frame.path("frame.protocols").asText(), micros, comments));
        }
        return frames;
    }
}
