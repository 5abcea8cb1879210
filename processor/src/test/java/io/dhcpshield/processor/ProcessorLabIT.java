package io.dhcpshield.processor;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * dhcp-processor against the real kernel: namespaces, iptables-nft NFQUEUE, Kea answering perfdhcp through the
 * appliance, nft counters after the queue that read the mark. Counters are compared as deltas, since the lab is
 * shared by the tests of this class.
 */
class ProcessorLabIT {

    private static Lab lab;

    @BeforeAll
    static void up() throws Exception {
        assumeTrue(Lab.isRoot(), "needs root for network namespaces and netfilter");
        lab = Lab.up();
    }

    @AfterAll
    static void down() {
        if (lab != null) {
            lab.close();
        }
    }

    private static String config(int queues, String transport, String extra) {
        return "site_id: it\ncounters_log_interval_secs: 1\nnfqueue:\n  queue_count: " + queues + "\n  transport: "
                + transport + "\n" + extra;
    }

    /** One queue with {@code nfqueueExtra}, whose pipeline stalls after {@code after} packets for {@code millis}. */
    private Lab.ProcessorProcess startStalled(String nfqueueExtra, int after, int millis) throws java.io.IOException {
        return lab.startProcessor(config(1, "auto", nfqueueExtra), "--test-stall-after", Integer.toString(after),
                "--test-stall-ms", Integer.toString(millis));
    }

    private static void awaitStallReleased(Lab.ProcessorProcess p) {
        Lab.await(Duration.ofSeconds(20), () -> p.log().contains("stall released"), "stall released");
    }

    private static Map<String, Long> delta(Map<String, Long> before, Map<String, Long> after) {
        Map<String, Long> d = new java.util.TreeMap<>();
        after.forEach((k, v) -> d.put(k, v - before.getOrDefault(k, 0L)));
        return d;
    }

    private static long perfdhcpDrops(String output) {
        Matcher m = Pattern.compile("drops: (\\d+)").matcher(output);
        long drops = 0;
        int found = 0;
        while (m.find()) {
            drops += Long.parseLong(m.group(1));
            found++;
        }
        assertTrue(found >= 2, "perfdhcp printed no exchange statistics:\n" + output);
        return drops;
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"epoll", "io_uring"})
    void everyPacketOfRealExchangesIsVerdictedWithItsTypeMark(String transport) throws Exception {
        Map<String, Long> before = lab.counters();
        Lab.ProcessorProcess p = lab.startProcessor(config(2, transport, ""));
        assertTrue(p.log().contains("nfqueue transport " + transport), p.log());
        String v4 = lab.perfdhcp(4, 200, 3);
        String v6 = lab.perfdhcp(6, 200, 3);
        assertEquals(0, p.stop(), p.log());
        Map<String, Long> d = delta(before, lab.counters());

        assertEquals(0, perfdhcpDrops(v4), v4);
        assertEquals(0, perfdhcpDrops(v6), v6);
        long arrived = d.get("arrived");
        assertTrue(arrived > 1000, "traffic flowed: " + d);
        assertEquals(0, d.get("untyped"), "no DHCP passed uninspected: " + d);
        assertEquals(arrived, d.get("typed"), d.toString());
        // DORA: every type of the exchange in equal numbers, with its own type bits.
        long discovers = d.get("t01");
        assertTrue(discovers > 0);
        assertEquals(discovers, d.get("t02"), "OFFER");
        assertEquals(discovers, d.get("t03"), "REQUEST");
        assertEquals(discovers, d.get("t05"), "ACK");
        // perfdhcp -6 -A1 relays: RELAY-FORW (SOLICIT, REQUEST) out, RELAY-REPL (ADVERTISE, REPLY) back.
        assertTrue(d.get("t1c") > 0);
        assertEquals(d.get("t1c"), d.get("t1d"), "RELAY-FORW vs RELAY-REPL");
        assertEquals(arrived, 4 * discovers + d.get("t1c") + d.get("t1d"), d.toString());
        // The daemon's counters equal the kernel's.
        assertEquals(arrived, p.metric("packets_received"), "pipeline received");
        assertEquals(arrived, p.metric("packets_verdicted"), "pipeline verdicted");
        assertEquals(arrived, p.metric("nfqueue_received"), "transport received");
        assertEquals(arrived, p.metric("nfqueue_verdicted"), "transport verdicted");
        assertEquals(0, p.metric("nfqueue_missed_verdicts"));
        assertEquals(arrived, p.metric("events_emitted"));
        assertEquals(arrived, Files.readAllLines(p.eventsFile).size(), "one event line per packet");
        assertEquals(discovers, p.metric("packets_by_type", "type_code", "0x01"));
    }

    @Test
    void killingTheProcessorMidStreamKeepsDhcpFlowing() throws Exception {
        Map<String, Long> before = lab.counters();
        Lab.ProcessorProcess p = lab.startProcessor(config(1, "auto", ""));
        CompletableFuture<String> traffic = CompletableFuture.supplyAsync(() -> lab.perfdhcp(4, 200, 6));
        Lab.await(Duration.ofSeconds(20), () -> p.metric("nfqueue_verdicted") > 300, "inspected traffic before the kill");
        p.kill9();
        String out = traffic.get();
        Map<String, Long> d = delta(before, lab.counters());
        long drops = perfdhcpDrops(out);
        Matcher sent = Pattern.compile("sent packets: (\\d+)").matcher(out);
        assertTrue(sent.find());
        long discoversSent = Long.parseLong(sent.group(1));
        // Only what was inside the dead process at the kill can be lost (a handful); every later exchange completes
        // because the rule's bypass flag accepts packets no one reads.
        assertTrue(drops <= Math.max(4, discoversSent / 100), "drops " + drops + " of " + discoversSent + "\n" + out);
        assertTrue(d.get("untyped") > 100, "exchanges after the kill passed uninspected: " + d);
        assertTrue(d.get("typed") > 300, "exchanges before the kill were inspected: " + d);
    }

    @Test
    void stalledPipelinePassesPacketsAndTheGapsAddUp() throws Exception {
        Map<String, Long> before = lab.counters();
        // A small socket buffer makes the stalled reader's socket overflow: the kernel consumes a packet id, cannot
        // deliver, and fail-open accepts the packet. Those are the passes the reader sees as id gaps.
        Lab.ProcessorProcess p = startStalled("  max_len: 100000\n  receive_buffer_bytes: 65536\n", 500, 1000);
        long sent = lab.flood(4, 3, 2000, 200);
        // A trickle after the flood lets the reader see the last gap even if the flood ended during the stall.
        long trickle = lab.flood(4, 1, 50, 5);
        awaitStallReleased(p);
        assertEquals(0, p.stop(), p.log());
        Map<String, Long> d = delta(before, lab.counters());
        long total = sent + trickle;
        long verdicted = p.metric("nfqueue_verdicted");
        assertEquals(total, d.get("arrived"), d.toString());
        assertEquals(total, d.get("typed") + d.get("untyped"), "nothing was lost: " + d);
        assertTrue(d.get("untyped") > 0, "the stall made packets pass uninspected: " + d + "\n" + p.log());
        assertEquals(total - verdicted, d.get("untyped"), "sent - verdicted = nft count of untyped DHCP");
        assertEquals(d.get("untyped"), p.metric("nfqueue_passed_uninspected"), "reader's id gaps = nft count of untyped DHCP");
        assertEquals(verdicted, p.metric("packets_verdicted"));
    }

    @Test
    void aBackloggedQueueShedsEventsOutsideTheSampleAndMarksEveryPacketItReads() throws Exception {
        Map<String, Long> before = lab.counters();
        // The queue holds 1,024 (16 full reads); the reader stalls while a flood fills it and fails the rest open.
        // Released, it reads the full queue in full reads in a row: from the 16th on the queue counts as backlogged,
        // and with a sample of 2 the first backlogged read's events are shed.
        Lab.ProcessorProcess p = startStalled("  max_len: 1024\nevents:\n  backlog_sample: 2\n", 100, 2500);
        long sent = lab.flood(4, 1, 4000, 200);
        awaitStallReleased(p);
        Lab.await(Duration.ofSeconds(20), () -> p.metric("nfqueue_verdicted") == lab.counters().get("typed")
                - before.getOrDefault("typed", 0L) && p.metric("nfqueue_verdicted") > 1024, "the held queue read");
        assertEquals(0, p.stop(), p.log());
        Map<String, Long> d = delta(before, lab.counters());
        assertEquals(sent, d.get("typed") + d.get("untyped"), "nothing was lost: " + d);
        long verdicted = p.metric("nfqueue_verdicted");
        assertEquals(verdicted, d.get("typed"), "every packet read was marked: " + d);
        assertTrue(p.metric("nfqueue_backlogged_reads") >= 1, p.log());
        long shed = p.metric("events_shed_backlog");
        assertTrue(shed >= 64 && shed % 64 == 0, "whole reads shed: " + shed);
        // Every packet's event is built, or shed and counted: none is lost, none is counted twice.
        assertEquals(verdicted, p.metric("events_emitted") + p.metric("events_shed") + shed);
        assertEquals(p.metric("events_emitted"), Files.readAllLines(p.eventsFile).size(), "one event line per event");
    }

    @Test
    void cpuFanoutSpreadsTrafficByTheCpuThatReceivedIt() throws Exception {
        Lab.ProcessorProcess p = lab.startProcessor(config(2, "auto", ""));
        long onCpu0 = lab.flood(4, 1, 1000, 50, "taskset", "-c", "0");
        long onCpu1 = lab.flood(4, 1, 1000, 50, "taskset", "-c", "1");
        assertEquals(0, p.stop(), p.log());
        List<Long> received = List.of(p.metric("packets_received", "queue", "1"),
                p.metric("packets_received", "queue", "2"));
        // One source address and one destination: --queue-balance's L3 hash would put all of it in one queue;
        // CPU fanout puts each sender's packets in the queue of the CPU that processed them.
        assertEquals(List.of(onCpu0, onCpu1), received, "per-queue counters " + p.status().path("metrics")
                .path("packets_received"));
    }

    @Test
    void malformedAndNonDhcpPacketsInTheQueueAreVerdictedAndCountedByReason() throws Exception {
        Map<String, Long> before = lab.counters();
        Lab.ProcessorProcess p = lab.startProcessor(config(1, "auto", ""));
        // Non-DHCP can only reach the queue through a rule that sends it there; this one is the test's.
        lab.mustRun(lab.app, "iptables", "-t", "mangle", "-A", QueueRule.CHAIN, "-p", "udp", "--dport", "9999",
                "-j", "NFQUEUE", "--queue-num", "1", "--queue-bypass");
        byte[] discover = discover();
        byte[] badCookie = discover.clone();
        badCookie[236] = 0;
        byte[] overrun = java.util.Arrays.copyOf(discover, 246);
        overrun[243] = 12;
        overrun[244] = (byte) 200;
        lab.sendUdp("198.19.0.2", 67, List.of(new byte[20], java.util.Arrays.copyOf(discover, 100), badCookie,
                overrun, discover));
        lab.sendUdp("198.19.0.2", 9999, List.of(new byte[8], new byte[8], new byte[8]));
        Lab.await(Duration.ofSeconds(10), () -> p.metric("packets_verdicted") == 8, "8 verdicts");
        assertEquals(0, p.stop(), p.log());
        assertEquals(8, p.metric("packets_received"));
        assertEquals(8, p.metric("packets_verdicted"));
        assertEquals(5, p.metric("packets_dhcp"));
        assertEquals(3, p.metric("packets_non_dhcp"));
        String errors = p.status().path("metrics").path("packets_by_error").toString();
        assertEquals(2, p.metric("packets_by_error", "reason", "truncated-header"), errors);
        assertEquals(1, p.metric("packets_by_error", "reason", "bad-magic-cookie"), errors);
        assertEquals(1, p.metric("packets_by_error", "reason", "option-overrun"), errors);
        assertEquals(3, p.metric("packets_by_error", "reason", "not-dhcp-port"), errors);
        Map<String, Long> d = delta(before, lab.counters());
        assertEquals(5, d.get("typed"), "every DHCP-port packet, malformed or not, left with type bits: " + d);
        assertEquals(0, d.get("untyped"), d.toString());
        assertEquals(3, d.get("t0f"), "unknown-type DHCPv4 (truncated, bad cookie) is 0x0f: " + d);
        assertEquals(3, d.get("probe_forwarded"), "non-DHCP is accepted when drop_non_dhcp_packets is off: " + d);
    }

    @Test
    void dropNonDhcpPacketsDropsWhatIsNotDhcpInTheQueueAndStillAcceptsDhcp() throws Exception {
        Map<String, Long> before = lab.counters();
        Lab.ProcessorProcess p = lab.startProcessor(config(1, "auto", "drop_non_dhcp_packets: true\n"));
        lab.mustRun(lab.app, "iptables", "-t", "mangle", "-A", QueueRule.CHAIN, "-p", "udp", "--dport", "9999",
                "-j", "NFQUEUE", "--queue-num", "1", "--queue-bypass");
        lab.sendUdp("198.19.0.2", 9999, List.of(new byte[8], new byte[8], new byte[8]));
        lab.sendUdp("198.19.0.2", 67, List.of(discover()));
        Lab.await(Duration.ofSeconds(10), () -> p.metric("packets_verdicted") == 4, "4 verdicts");
        assertEquals(0, p.stop(), p.log());
        Map<String, Long> d = delta(before, lab.counters());
        assertEquals(0, d.get("probe_forwarded"), "the processor's DROP verdict kept them from the server: " + d);
        assertEquals(3, p.metric("packets_non_dhcp_dropped"));
        assertEquals(1, d.get("typed"), "DHCP is never dropped by the processor: " + d);
    }

    @Test
    void customRulesMatchEveryFieldByEveryMatchTypeAndTheKernelCarriesTheRuleMark() throws Exception {
        Lab.ProcessorProcess p = lab.startProcessor(config(1, "auto", """
                rules:
                  rules:
                    - {name: by-mac, field: client_mac, match: exact, value: "02:00:5E:00:00:A1", mark: "0x7f0000a1"}
                    - {name: by-vendor, field: vendor_class, match: wildcard, value: "MSFT*", mark: "0x7f0000a2"}
                    - {name: by-host, field: hostname, match: regex, value: "^cam-[0-9]+$", mark: "0x7f0000a3"}
                    - {name: by-client-id, field: client_identifier, match: exact, value: "01:02:00:5e:00:00:a4", mark: "0x7f0000a4"}
                    - {name: by-v6-host, field: hostname, match: regex, value: "^printer[.]", mark: "0x7f0000a5"}
                    - {name: by-mac-wildcard, field: client_mac, match: wildcard, value: "02:00:5e:00:00:b?", mark: "0x7f0000a6"}
                """));
        lab.clearKernelMarks();
        lab.sendUdp("198.19.0.2", 67, List.of(
                v4("02005e0000a1", ""),                                  // chaddr, exact (case-insensitive)
                v4("02005e000001", "3c084d53465420352e30"),              // option 60 "MSFT 5.0", wildcard
                v4("02005e000002", "0c0663616d2d3137"),                  // option 12 "cam-17", regex
                v4("02005e000003", "3d0701" + "02005e0000a4"),           // option 61, exact on its hex
                v4("02005e0000b7", ""),                                  // chaddr, wildcard
                v4("02005e000004", "0c0663616d2d7878")));                // "cam-xx": no rule
        // DHCPv6 SOLICIT with a DUID-LL and a client FQDN "printer.example" (option 39): the v6 hostname.
        byte[] solicit = HexFormat.of().parseHex("01123456" + "0001000a00030001" + "02005e000005" + "00080002" + "0000"
                + "00270012" + "00" + "077072696e746572076578616d706c6500");
        lab.sendUdp("2001:db8:2::2", 547, List.of(solicit));
        Lab.await(Duration.ofSeconds(10), () -> lab.kernelMarks().values().stream().mapToLong(Long::longValue).sum()
                >= 7, "7 packets through the kernel");
        assertEquals(0, p.stop(), p.log());
        Map<Long, Long> marks = lab.kernelMarks();
        for (long m : new long[] {0x7f0000a1L, 0x7f0000a2L, 0x7f0000a3L, 0x7f0000a4L, 0x7f0000a5L, 0x7f0000a6L}) {
            assertEquals(1L, marks.getOrDefault(m, 0L), String.format("rule mark 0x%08x in %s", m, marks));
        }
        assertEquals(0x01000004L, marks.keySet().stream().filter(m -> m >>> 24 == 1).findFirst().orElse(-1L),
                "the packet no rule matched keeps its computed mark (DISCOVER, chaddr low 24 bits): " + marks);
        assertEquals(6, p.metric("packets_rule_matched"));
    }

    /** A DHCPv4 DISCOVER payload from {@code macHex} with extra options (hex) before the end option. */
    private static byte[] v4(String macHex, String optionsHex) {
        byte[] b = new byte[300];
        b[0] = 1;
        b[1] = 1;
        b[2] = 6;
        b[4] = 0x12;
        System.arraycopy(HexFormat.of().parseHex(macHex), 0, b, 28, 6);
        System.arraycopy(new byte[] {99, (byte) 130, 83, 99}, 0, b, 236, 4);
        byte[] opts = HexFormat.of().parseHex("350101" + optionsHex + "ff");
        System.arraycopy(opts, 0, b, 240, opts.length);
        return b;
    }

    @Test
    void sigtermRemovesTheQueueRuleAndDhcpFlowsUninspectedAfterwards() throws Exception {
        Lab.ProcessorProcess p = lab.startProcessor(config(1, "auto", ""));
        assertTrue(lab.inNs(lab.app, Duration.ofSeconds(10), "iptables", "-t", "mangle", "-S").output()
                .contains(QueueRule.CHAIN), "the rule is there while it runs");
        assertEquals(0, p.stop(), p.log());
        assertTrue(p.log().contains("queue rule removed"), p.log());
        for (String tool : List.of("iptables", "ip6tables")) {
            String rules = lab.inNs(lab.app, Duration.ofSeconds(10), tool, "-t", "mangle", "-S").output();
            assertFalse(rules.contains(QueueRule.CHAIN), tool + " after SIGTERM:\n" + rules);
        }
        Map<String, Long> before = lab.counters();
        String v4 = lab.perfdhcp(4, 50, 2);
        Map<String, Long> d = delta(before, lab.counters());
        assertEquals(0, perfdhcpDrops(v4), v4);
        assertTrue(d.get("untyped") > 0, "DHCP flows without the processor: " + d);
        assertEquals(0, d.get("typed"), "and nothing queues it any more: " + d);
    }

    /** A DISCOVER from 02:00:5e:00:00:42, as a UDP payload. */
    private static byte[] discover() {
        byte[] b = new byte[300];
        b[0] = 1;
        b[1] = 1;
        b[2] = 6;
        b[4] = 0x12;
        byte[] mac = HexFormat.of().parseHex("02005e000042");
        System.arraycopy(mac, 0, b, 28, 6);
        byte[] cookie = {99, (byte) 130, 83, 99};
        System.arraycopy(cookie, 0, b, 236, 4);
        byte[] opts = HexFormat.of().parseHex("350101" + "0c0474657374" + "ff");
        System.arraycopy(opts, 0, b, 240, opts.length);
        return b;
    }

    @Test
    void corpusPayloadsReplayedThroughTheApplianceLeaveTheKernelWithTheMarksTheOfflineDecoderComputes()
            throws Exception {
        // Every well-formed DHCP payload of the tshark-checked corpus, re-sent as UDP from the client namespace. The
        // expected marks come from the offline decoder (as dpictl analyze computes them); the observed ones from
        // the kernel: the verify table's set of marks that DHCP packets carried after the queue.
        List<byte[]> v4 = new ArrayList<>();
        List<byte[]> v6 = new ArrayList<>();
        Map<Long, Long> expected = new java.util.TreeMap<>();
        java.nio.file.Path corpus = Lab.REPO.resolve("testdata/corpus");
        List<java.nio.file.Path> files;
        try (var walk = Files.walk(corpus)) {
            files = walk.filter(f -> f.toString().matches(".*\\.pcap(ng)?$")).sorted().toList();
        }
        for (java.nio.file.Path f : files) {
            try (var reader = io.dhcpshield.transport.pcap.PcapFileReader.open(f)) {
                io.dhcpshield.core.codec.Framing framing = io.dhcpshield.core.codec.Framing.ofLinkType(reader.linkType());
                for (var frame : reader) {
                    var d = io.dhcpshield.core.codec.DhcpDecoder.decode(io.netty.buffer.Unpooled.wrappedBuffer(
                            frame.data()), 0, frame.data().length, framing);
                    // Replay keeps the payload but not the frame: skip what only the original L2 source identified,
                    // and anything malformed below DHCP.
                    if (!d.isDhcp() || d.faults().stream().anyMatch(x -> x.error().category()
                            == io.dhcpshield.core.codec.DecodeError.Category.NOT_DHCP
                            || x.error().ordinal() < io.dhcpshield.core.codec.DecodeError.TRUNCATED_HEADER.ordinal())
                            || d.markSource() == io.dhcpshield.core.mark.MarkSource.L2_SOURCE
                            || d.markSource() == io.dhcpshield.core.mark.MarkSource.NONE) {
                        continue;
                    }
                    var c = io.dhcpshield.core.codec.PacketClassifier.classify(io.netty.buffer.Unpooled.wrappedBuffer(
                            frame.data()), 0, frame.data().length, framing, new io.dhcpshield.core.codec.Classification());
                    byte[] payload = java.util.Arrays.copyOfRange(frame.data(), c.dhcpIndex(), c.dhcpIndex() + c.dhcpLength());
                    (d.dhcp4() != null ? v4 : v6).add(payload);
                    expected.merge(d.mark() & 0xFFFF_FFFFL, 1L, Long::sum);
                }
            }
        }
        assertTrue(v4.size() > 500 && v6.size() > 20, v4.size() + " v4, " + v6.size() + " v6 payloads");
        Lab.ProcessorProcess p = lab.startProcessor(config(1, "auto", ""));
        lab.clearKernelMarks();
        lab.sendUdp("198.19.0.2", 67, v4);
        lab.sendUdp("2001:db8:2::2", 547, v6);
        int total = v4.size() + v6.size();
        Lab.await(Duration.ofSeconds(20), () -> lab.kernelMarks().values().stream().mapToLong(Long::longValue).sum()
                >= total, total + " replayed packets through the kernel");
        assertEquals(0, p.stop(), p.log());
        assertEquals(expected, lab.kernelMarks(), "packets per mark: offline decoder vs the kernel after the queue");
    }

    @Test
    void dhclientGetsLeasesThroughTheApplianceAndItsPacketsAreMarked() throws Exception {
        // The appliance also runs ISC dhcrelay here (v4 on LPF, v6 on UDP sockets): real clients, a real relay.
        Lab.ProcessorProcess p = lab.startProcessor(config(1, "auto", ""));
        Process relay4 = new ProcessBuilder("ip", "netns", "exec", lab.app, "dhcrelay", "-4", "-d", "-a", "-id", "a-cli",
                "-iu", "a-srv", "198.19.0.2").redirectErrorStream(true).start();
        Process relay6 = new ProcessBuilder("ip", "netns", "exec", lab.app, "dhcrelay", "-6", "-d", "-l", "a-cli",
                "-u", "2001:db8:2::2%a-srv").redirectErrorStream(true).start();
        java.nio.file.Path leases4 = lab.run.resolve("dhclient4.leases");
        java.nio.file.Path leases6 = lab.run.resolve("dhclient6.leases");
        try {
            Lab.await(Duration.ofSeconds(10), () -> lab.inNs(lab.app, Duration.ofSeconds(5), "ss", "-lunp")
                    .output().contains("dhcrelay"), "dhcrelay listening");
            // -sf /bin/true: take the lease, leave the interface as it is (the other tests use its address).
            Lab.Result v4 = lab.inNs(lab.cli, Duration.ofSeconds(40), "dhclient", "-4", "-v", "-1", "-sf", "/bin/true",
                    "-lf", leases4.toString(), "-pf", lab.run.resolve("dhclient4.pid").toString(), "c0");
            Lab.Result v6 = lab.inNs(lab.cli, Duration.ofSeconds(40), "dhclient", "-6", "-v", "-1", "-sf", "/bin/true",
                    "-lf", leases6.toString(), "-pf", lab.run.resolve("dhclient6.pid").toString(), "c0");
            assertTrue(Files.readString(leases4).contains("fixed-address 198.18."), v4.output());
            assertTrue(Files.readString(leases6).contains("iaaddr 2001:db8:1::"), v6.output());
        } finally {
            relay4.destroyForcibly().waitFor();
            relay6.destroyForcibly().waitFor();
            lab.inNs(lab.cli, Duration.ofSeconds(10), "pkill", "-f", "dhclient.*" + lab.run);
        }
        assertEquals(0, p.stop(), p.log());
        // What crosses the appliance's prerouting: the client's broadcasts and the server's replies to the relay.
        for (String code : List.of("0x01", "0x02", "0x03", "0x05", "0x11", "0x13", "0x1d")) {
            assertTrue(p.metric("packets_by_type", "type_code", code) >= 1, "type code " + code + " seen: "
                    + p.status().path("metrics").path("packets_by_type"));
        }
        boolean clientSeen = Files.readAllLines(p.eventsFile).stream()
                .anyMatch(l -> l.contains("\"client_mac\":\"02:00:5e:00:01:02\"") && l.contains("\"mark_source\":\"chaddr\""));
        assertTrue(clientSeen, "dhclient's own MAC identifies its DISCOVER/REQUEST");
    }
}
