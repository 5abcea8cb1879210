package io.dhcpshield.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dhcpshield.transport.pcap.PcapException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code dpictl analyze --pcap FILE}: decodes a capture offline and prints one JSON object per DHCP packet. */
@Command(name = "analyze", mixinStandardHelpOptions = true,
        description = {"Decode a pcap/pcapng capture (Ethernet, Linux cooked v1/v2, raw IP) and print one JSON object",
                "per DHCP packet on stdout, one per line; a summary of counts goes to stderr.",
                "Fields are documented in docs/analyze.md."})
final class AnalyzeCommand implements Callable<Integer> {

    @Option(names = "--pcap", required = true, paramLabel = "FILE", description = "capture file (pcap or pcapng)")
    Path pcap;

    @Option(names = "--all", description = "also print frames that are not DHCP, with their reason")
    boolean all;

    @Option(names = "--no-options", description = "leave out the raw option list")
    boolean noOptions;

    @Override
    public Integer call() {
        if (!Files.isReadable(pcap)) {
            System.err.println("dpictl analyze: cannot read " + pcap);
            return 2;
        }
        ObjectMapper mapper = new ObjectMapper();
        BufferedWriter out = new BufferedWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), 1 << 16);
        CaptureAnalyzer.Summary summary;
        try {
            summary = CaptureAnalyzer.analyze(pcap, all, !noOptions, (ObjectNode node) -> {
                try {
                    out.write(mapper.writeValueAsString(node));
                    out.write('\n');
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            out.flush();
        } catch (PcapException e) {
            System.err.println("dpictl analyze: " + e.getMessage());
            return 2;
        } catch (IOException | UncheckedIOException e) {
            System.err.println("dpictl analyze: cannot write output: " + e.getMessage());
            return 2;
        }
        System.err.println("dpictl analyze: " + summary);
        return 0;
    }
}
