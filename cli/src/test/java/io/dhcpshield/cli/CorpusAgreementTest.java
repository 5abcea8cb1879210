package io.dhcpshield.cli;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static io.dhcpshield.cli.TsharkAgreement.broken;
import static io.dhcpshield.cli.TsharkAgreement.isCapture;
import static io.dhcpshield.cli.TsharkAgreement.stricterThanTshark;
import static io.dhcpshield.cli.TsharkAgreement.tsharkJson;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The corpus agreement test: for every capture of the shared corpus, {@code dpictl analyze} must agree with tshark
 * (the oracle, whose {@code -T json --no-duplicate-keys -x} dissection lies next to each capture) frame by frame, or
 * report the typed error the frame deserves. The comparison itself is {@link TsharkAgreement}.
 */
class CorpusAgreementTest {

    private static final List<String> FOLDERS = List.of("tcpdump", "zeek", "lwerdna");

    /**
     * Frames for which we must report exactly these typed errors, keyed {@code folder/capture#frame}, and whether
     * tshark too calls the frame broken ({@code _ws.malformed}, {@code _ws.short} or an expert error). Every entry must
     * be met by the run. Where tshark does not agree, the entry is a deliberate difference and says why.
     */
    private static final Map<String, TsharkAgreement.Expected> EXPECTED_ERRORS = Map.ofEntries(
            // Snap length 53 < the 90 stored bytes, so libpcap hands us 53; the UDP length (59392) overruns either
            // way and 11 bytes of BOOTP remain. tshark: short, no DHCP field dissected.
            Map.entry("tcpdump/bootp_asan.pcap#1", broken("bad-udp-length", "truncated-header")),
            Map.entry("tcpdump/bootp_asan-2.pcap#1", broken("bad-udp-length", "truncated-header")),
            // RELAY-REPL over IPv4 ports 547->546, UDP length 13312 > the bytes present, and no OPTION_RELAY_MSG
            // (just two empty RECONF_MSG options). tshark: short, "RECONF_MSG: malformed option".
            Map.entry("tcpdump/dhcp6_reconf_asan.pcap#1", broken("bad-udp-length", "relay-message-missing")),
            // The fixed header is two (43) and one (44) bytes short, so 99.130.83.99 sits at DHCP offset 234/235, not
            // 236. tshark (dhcp.bootp, "Malformed Packet") and tcpdump ("Vendor-#0x53633501") see no cookie either.
            Map.entry("tcpdump/dhcp-rfc4388.pcap#43", broken("bad-magic-cookie")),
            Map.entry("tcpdump/dhcp-rfc4388.pcap#44", broken("bad-magic-cookie")),
            // Zeek's bad-cookie frames: an all-zero cookie. tshark: dhcp.bootp, "Malformed Packet".
            Map.entry("zeek/dhcp_bad_cookie_option_retention.pcap#2", broken("bad-magic-cookie")),
            Map.entry("zeek/dhcp_bad_cookie_option_retention.pcap#3", broken("bad-magic-cookie")),
            Map.entry("zeek/dhcp_bad_cookie_option_retention.pcap#4", broken("bad-magic-cookie")),
            // Option 33 of length 3. tshark: expert error "Option length isn't a multiple of 8".
            Map.entry("tcpdump/dhcp-option-33.pcap#4", broken("bad-option-length")),
            // Deliberate: RFC 2132 5.8 gives option 33 a minimum length of 8; tshark only checks "multiple of 8".
            Map.entry("tcpdump/dhcp-option-33.pcap#5", stricterThanTshark("bad-option-length")));

    /** Captures the corpus README calls malformed on purpose: each must give at least one typed error. */
    private static final Pattern MALFORMED_CAPTURE = Pattern.compile(".*(_asan|-oobr|bad_cookie).*");

    private static final TsharkAgreement CORPUS = new TsharkAgreement("corpus agreement", EXPECTED_ERRORS,
            MALFORMED_CAPTURE);

    @TestFactory
    Stream<DynamicTest> everyCaptureAgreesWithTshark() throws IOException {
        List<Path> captures = captures();
        assertFalse(captures.isEmpty(), "no captures under " + Corpus.dir());
        return captures.stream().map(p -> DynamicTest.dynamicTest(id(p), p.toUri(), () -> CORPUS.agree(p, id(p))));
    }

    /** Every capture has its tshark JSON and every JSON its capture, so no file escapes the comparison. */
    @Test
    void everyCaptureHasItsTsharkDissection() throws IOException {
        for (String folder : FOLDERS) {
            try (Stream<Path> files = Files.list(Corpus.dir().resolve(folder))) {
                for (Path f : files.toList()) {
                    String name = f.getFileName().toString();
                    if (isCapture(name)) {
                        assertTrue(Files.isRegularFile(tsharkJson(f)), "no tshark JSON for " + f);
                    } else if (name.endsWith(".json")) {
                        String base = name.substring(0, name.length() - 5);
                        assertTrue(Files.exists(f.resolveSibling(base + ".pcap"))
                                || Files.exists(f.resolveSibling(base + ".pcapng")), "no capture for " + f);
                    }
                }
            }
        }
    }

    @AfterAll
    static void summary() throws IOException {
        System.out.println(CORPUS.summary());
        if (CORPUS.files() == captures().size()) {
            assertTrue(CORPUS.unmetExpectations().isEmpty(), "expected errors never met: "
                    + CORPUS.unmetExpectations());
        }
    }

    private static List<Path> captures() throws IOException {
        List<Path> out = new ArrayList<>();
        for (String folder : FOLDERS) {
            try (Stream<Path> files = Files.list(Corpus.dir().resolve(folder))) {
                files.filter(f -> isCapture(f.getFileName().toString())).sorted().forEach(out::add);
            }
        }
        return out;
    }

    private static String id(Path capture) {
        return capture.getParent().getFileName() + "/" + capture.getFileName();
    }
}
