package io.dhcpshield.cli;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static io.dhcpshield.cli.TsharkAgreement.broken;
import static io.dhcpshield.cli.TsharkAgreement.stricterThanTshark;
import static io.dhcpshield.cli.TsharkAgreement.tsharkJson;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The synthetic captures of {@code testdata/synthetic} (written by {@link SyntheticCaptures}, dissected by tshark
 * 4.0.17 as the corpus is) compared with tshark exactly as the real corpus is: what the real captures never exercise
 * (option 81, 124/125, the rest of option 82, overload, RFC 3396, DHCPv6 status codes and relay options, deep relay
 * nesting, VLAN tags, cooked and raw-IP link types, IPv6 extension headers, malformed variants) must agree with tshark
 * or give the typed error listed here.
 */
class SyntheticAgreementTest {

    private static final String PROPERTY = "dhcpshield.synthetic";

    /**
     * Frames for which we must report exactly these typed errors, keyed {@code synthetic/capture#frame}; as in
     * {@link CorpusAgreementTest}, every entry must be met, and one tshark does not call broken says why.
     */
    private static final Map<String, TsharkAgreement.Expected> EXPECTED_ERRORS = Map.ofEntries(
            // Option 12 claims 40 bytes, 9 remain. tshark: "Malformed Packet (Exception occurred)".
            Map.entry("synthetic/malformed-dhcp4.pcap#1", broken("option-overrun")),
            // The last byte is option 55 with no length byte. tshark: malformed, does not list 55.
            Map.entry("synthetic/malformed-dhcp4.pcap#2", broken("option-overrun")),
            // Option 15 in the overloaded file claims 200 of 122 bytes. tshark: malformed.
            Map.entry("synthetic/malformed-dhcp4.pcap#3", broken("option-overrun")),
            // Option 3 in the overloaded sname claims 80 of 56 bytes. tshark reads on into file and reports
            // "sname overload end option missing" (error); we stop at the end of sname.
            Map.entry("synthetic/malformed-dhcp4.pcap#4", broken("option-overrun")),
            // Option 82's remote-id claims 9 of 2 bytes. tshark: "no room left in option for suboption value".
            Map.entry("synthetic/malformed-dhcp4.pcap#5", broken("suboption-overrun")),
            // Deliberate: RFC 2132 9.3 defines overload values 1-3 only; tshark shows "Unknown (4)" without complaint.
            Map.entry("synthetic/malformed-dhcp4.pcap#6", stricterThanTshark("bad-overload")),
            // Deliberate (the three below): tshark stops listing DHCPv6 options at one that runs past its message,
            // silently (it lists exactly the options we do); we report where the overrun is.
            Map.entry("synthetic/malformed-dhcp6.pcap#1", stricterThanTshark("option-overrun")),
            Map.entry("synthetic/malformed-dhcp6.pcap#2", stricterThanTshark("option-overrun")),
            Map.entry("synthetic/malformed-dhcp6.pcap#3", stricterThanTshark("option-overrun")),
            // Deliberate: an IAADDR runs past its IA_NA; tshark shows the IA header and silently drops the IAADDR.
            Map.entry("synthetic/malformed-dhcp6.pcap#4", stricterThanTshark("suboption-overrun").differing("ia",
                    "a typed view of a malformed option is absent (Dhcp6Message), so we list no IA at all")),
            // Deliberate: 33 relay wrappers; tshark dissects them all, we stop at 32 (docs/codec.md) and decode
            // nothing beneath, so the comparison walks tshark's tree only as deep.
            Map.entry("synthetic/malformed-dhcp6.pcap#5", stricterThanTshark("relay-depth-exceeded")),
            // Deliberate: RFC 8415 9 requires OPTION_RELAY_MSG in a RELAY-FORW; tshark does not check.
            Map.entry("synthetic/malformed-dhcp6.pcap#6", stricterThanTshark("relay-message-missing")),
            // Deliberate: as #4, with a good IA_NA before the bad IA_PD; the fault points at the IA_PD.
            Map.entry("synthetic/malformed-dhcp6.pcap#7", stricterThanTshark("suboption-overrun").differing("ia",
                    "a typed view of a malformed option is absent (Dhcp6Message), so we list no IA at all")));

    /** Captures in which every frame is broken on purpose, so every frame has its entry above. */
    private static final Pattern MALFORMED_CAPTURE = Pattern.compile("synthetic/malformed-.*");

    private static final TsharkAgreement SYNTHETIC = new TsharkAgreement("synthetic agreement", EXPECTED_ERRORS,
            MALFORMED_CAPTURE);

    @TestFactory
    Stream<DynamicTest> everyCaptureAgreesWithTshark() {
        return SyntheticCaptures.captures().stream().map(c -> {
            Path pcap = dir().resolve(c.file());
            return DynamicTest.dynamicTest(id(pcap), pcap.toUri(), () -> SYNTHETIC.agree(pcap, id(pcap)));
        });
    }

    /** The folder holds exactly the generator's captures, each with its tshark JSON, and nothing else unexplained. */
    @Test
    void everyCaptureHasItsTsharkDissection() throws IOException {
        Set<String> expected = new TreeSet<>(Set.of("README.md", "regenerate.sh"));
        for (SyntheticCaptures.Capture c : SyntheticCaptures.captures()) {
            expected.add(c.file());
            expected.add(tsharkJson(Path.of(c.file())).toString());
        }
        try (Stream<Path> files = Files.list(dir())) {
            assertEquals(expected, files.map(f -> f.getFileName().toString()).collect(Collectors.toCollection(
                    TreeSet::new)), "testdata/synthetic differs from SyntheticCaptures: run regenerate.sh");
        }
    }

    /** A malformed capture's frames are each listed with the errors they must give: none escapes with none. */
    @Test
    void everyMalformedFrameHasItsExpectedErrors() {
        for (SyntheticCaptures.Capture c : SyntheticCaptures.captures()) {
            String id = id(Path.of(c.file()));
            for (int frame = 1; frame <= c.frames().size(); frame++) {
                boolean listed = EXPECTED_ERRORS.containsKey(id + "#" + frame);
                assertEquals(MALFORMED_CAPTURE.matcher(id).matches(), listed, id + "#" + frame);
            }
        }
    }

    /** The committed captures are byte for byte what the generator writes, so the JSON next to them is current. */
    @Test
    void committedCapturesAreWhatTheGeneratorWrites(@TempDir Path tmp) throws IOException {
        for (SyntheticCaptures.Capture c : SyntheticCaptures.captures()) {
            c.write(tmp);
            assertArrayEquals(Files.readAllBytes(tmp.resolve(c.file())), Files.readAllBytes(dir().resolve(c.file())),
                    c.file() + " differs from what SyntheticCaptures writes: run testdata/synthetic/regenerate.sh");
        }
    }

    @AfterAll
    static void summary() {
        System.out.println(SYNTHETIC.summary());
        if (SYNTHETIC.files() == SyntheticCaptures.captures().size()) {
            assertTrue(SYNTHETIC.unmetExpectations().isEmpty(), "expected errors never met: "
                    + SYNTHETIC.unmetExpectations());
        }
    }

    /** {@code testdata/synthetic}: the {@code dhcpshield.synthetic} property, else found walking up from here. */
    static Path dir() {
        return Corpus.locate(PROPERTY, Path.of("testdata", "synthetic"));
    }

    private static String id(Path capture) {
        return "synthetic/" + capture.getFileName();
    }
}
