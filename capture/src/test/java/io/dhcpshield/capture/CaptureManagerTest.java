package io.dhcpshield.capture;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dhcpshield.core.codec.DhcpDecoder;
import io.dhcpshield.core.codec.Framing;
import io.dhcpshield.core.event.DhcpEvent;
import io.dhcpshield.core.event.DhcpEvents;
import io.dhcpshield.core.event.Direction;
import io.dhcpshield.core.event.EventFanout;
import io.dhcpshield.core.metrics.MetricSamples;
import io.dhcpshield.core.net.MacAddress;
import io.dhcpshield.core.time.Time;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.test.scheduler.VirtualTimeScheduler;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Capture sessions fed through a real event fan-out with events made from the corpus' real packets, on virtual time:
 * what tshark reads back, what filters keep, where limits stop a session, what retention removes, what a restart
 * finds, and that ids never reach a path.
 */
class CaptureManagerTest {

    private static final Instant ORIGIN = Instant.parse("2026-12-01T10:00:00Z");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final VirtualTimeScheduler scheduler = VirtualTimeScheduler.create();
    private final Time time = Time.of(scheduler, ORIGIN);
    private final EventFanout<DhcpEvent> fanout = new EventFanout<>();
    private final List<CaptureManager> managers = new ArrayList<>();

    @TempDir
    Path dir;

    @AfterEach
    void stopEverything() {
        managers.forEach(CaptureManager::stop);
        scheduler.dispose();
    }

    private CaptureManager manager(CaptureConfig config) {
        CaptureManager m = new CaptureManager(config, fanout, time, scheduler);
        m.start();
        managers.add(m);
        return m;
    }

    private CaptureManager manager() {
        return manager(CaptureConfig.defaults().withDir(dir));
    }

    private static CaptureRequest request(String json) throws IOException {
        return CaptureRequest.of(JSON.readTree(json), CaptureConfig.defaults());
    }

    /** Publishes as the verdict path does (a read's events together), then lets the fan-out's drain run. */
    private void publish(List<DhcpEvent> events) {
        for (int i = 0; i < events.size(); i += 64) {
            DhcpEvent[] read = events.subList(i, Math.min(events.size(), i + 64)).toArray(new DhcpEvent[0]);
            fanout.publishAll(read, read.length);
            scheduler.advanceTimeBy(Duration.ofMillis(20));
        }
    }

    private Path download(CaptureManager m, String id) throws IOException {
        Path copy = dir.resolve("download-" + id + "-" + System.nanoTime() + ".pcapng");
        try (CaptureManager.Download d = m.open(id).orElseThrow(); InputStream in = d.stream()) {
            Files.copy(in, copy);
            assertEquals(d.length(), Files.size(copy));
        }
        return copy;
    }

    /** The comment built from the event's decoded fields (not from capture's own code). */
    private static String expectedComment(DhcpEvent e) {
        DhcpEvent decoded = DhcpEvents.of(DhcpDecoder.decode(e.packet(), e.framing()), 0, 0, "x");
        String direction = switch (decoded.direction()) {
            case CLIENT_TO_SERVER -> "inbound";
            case SERVER_TO_CLIENT -> "outbound";
            case OTHER -> "other";
        };
        String inner = decoded.family() == 6 && decoded.innerType() != decoded.messageType()
                ? " inner=" + io.dhcpshield.core.dhcp6.Dhcp6MessageType.valueOf(decoded.innerType()).name() : "";
        String mirrored = e.origin().observed() ? " input=tzsp agent=" + CorpusEvents.AGENT : "";
        return String.format("mark=0x%08x queue=%d direction=%s site=lab type=%s%s%s", e.mark(), e.queue(), direction,
                decoded.messageTypeName(), inner, mirrored);
    }

    private static List<DhcpEvent> mixedCorpus() {
        List<DhcpEvent> events = new ArrayList<>();
        for (String capture : List.of("zeek/dhcp", "zeek/dhcp_inform", "zeek/dhcp_ack_subscriber_id_and_agent_remote_id",
                "tcpdump/dhcp-rfc3004", "tcpdump/dhcpv6-ia-na", "tcpdump/dhcpv6-ia-pd", "tcpdump/dhcpv6-mud",
                "tcpdump/dhcpv4v6-rfc5970-rfc8572")) {
            events.addAll(CorpusEvents.rawIp(capture));
        }
        return events;
    }

    private static String macOf(List<DhcpEvent> events, int index) {
        return events.get(index).clientMac().toString();
    }

    @Test
    void everyPacketOfASessionOpensInTsharkIntactWithItsComment() throws Exception {
        CaptureManager m = manager();
        List<DhcpEvent> events = mixedCorpus();
        assertTrue(events.stream().anyMatch(e -> e.family() == 6 && e.innerType() != e.messageType()),
                "the corpus has a relayed DHCPv6 message");
        CaptureSession s = m.startCapture(request("{\"label\": \"everything\"}"), "alice");
        assertEquals(CaptureSession.State.RUNNING, s.state());
        publish(events);
        CaptureSession done = m.stopCapture(s.id()).orElseThrow();

        assertEquals(StopReason.OPERATOR, done.stopReason());
        assertEquals(events.size(), done.packets());
        assertEquals(events.stream().mapToLong(DhcpEvent::packetLength).sum(), done.bytes());
        assertEquals(Files.size(dir.resolve(s.id() + ".pcapng")), done.fileBytes());
        List<Tshark.Frame> frames = Tshark.read(download(m, s.id()));
        assertEquals(events.size(), frames.size());
        for (int i = 0; i < events.size(); i++) {
            DhcpEvent e = events.get(i);
            Tshark.Frame f = frames.get(i);
            assertArrayEquals(CorpusEvents.bytes(e), f.bytes(), "packet " + i + " intact");
            assertEquals(7, f.encap(), "raw IP");
            assertEquals(List.of(expectedComment(e)), f.comments(), "packet " + i);
            assertEquals(e.timeMicros(), f.timeMicros());
        }
        CaptureManager.Counters c = m.counters();
        assertEquals(events.size(), c.offered());
        assertEquals(events.size(), c.written());
        assertEquals(0, c.filteredOut());
        assertEquals(0L, c.dropped().get("queue_full"));
        assertEquals(1L, c.sessionsStopped().get("operator"));
    }

    @Test
    void aMacFilterKeepsThatClientsPacketsAndDecodesNoOtherEvent() throws Exception {
        CaptureManager m = manager();
        List<DhcpEvent> events = new ArrayList<>();
        for (String capture : List.of("zeek/dhcp", "tcpdump/dhcp-option-33", "tcpdump/dhcp-rfc3004",
                "zeek/dhcp_time_and_nameserver", "zeek/dhcp_discover_param_req_and_client_id",
                "tcpdump/dhcpv6-ia-na")) {
            events.addAll(CorpusEvents.rawIp(capture));
        }
        MacAddress mac = CorpusEvents.rawIp("tcpdump/dhcp-rfc3004").get(0).clientMac();
        Predicate<DhcpEvent> wanted = e -> mac.equals(e.clientMac());
        long expected = events.stream().filter(wanted).count();
        assertEquals(4, expected, "one client's exchange among others'");
        // Dashes and capitals: the filter normalises.
        CaptureSession s = m.startCapture(request("{\"filter\": {\"mac\": \""
                + mac.toString().toUpperCase().replace(':', '-') + "\"}}"), "alice");
        publish(events);
        CaptureSession done = m.stopCapture(s.id()).orElseThrow();

        assertEquals(expected, done.packets());
        List<Tshark.Frame> frames = Tshark.read(dir.resolve(s.id() + ".pcapng"));
        Iterator<DhcpEvent> kept = events.stream().filter(wanted).iterator();
        for (Tshark.Frame f : frames) {
            assertArrayEquals(CorpusEvents.bytes(kept.next()), f.bytes());
        }
        assertEquals(events.size() - expected, m.counters().filteredOut());
        assertTrue(events.stream().filter(wanted.negate()).noneMatch(DhcpEvent::isDecoded),
                "a MAC filter refuses without decoding");
    }

    @Test
    void aDuidFilterKeepsOneDhcpv6ClientsExchange() throws Exception {
        CaptureManager m = manager();
        List<DhcpEvent> iaNa = CorpusEvents.rawIp("tcpdump/dhcpv6-ia-na");
        List<DhcpEvent> events = new ArrayList<>(iaNa);
        events.addAll(CorpusEvents.rawIp("tcpdump/dhcpv6-ia-pd"));
        events.addAll(CorpusEvents.rawIp("tcpdump/dhcpv6-mud"));
        events.addAll(CorpusEvents.rawIp("zeek/dhcp"));
        String duid = iaNa.get(0).duid();
        assertTrue(duid != null && duid.length() > 10, duid);
        List<DhcpEvent> wanted = events.stream().filter(e -> duid.equals(e.duid())).toList();
        assertTrue(wanted.containsAll(iaNa), "its DUID is in every message of its exchange");
        assertTrue(events.stream().filter(e -> e.family() == 6 && !wanted.contains(e)).count() >= 4,
                "other DHCPv6 clients' messages are there to refuse");
        long expected = wanted.size();
        CaptureSession s = m.startCapture(request("{\"filter\": {\"duid\": \"" + duid.replace(":", "") + "\"}}"),
                "bob");
        publish(events);
        CaptureSession done = m.stopCapture(s.id()).orElseThrow();
        assertEquals(expected, done.packets());
        List<Tshark.Frame> frames = Tshark.read(dir.resolve(s.id() + ".pcapng"));
        for (int i = 0; i < wanted.size(); i++) {
            assertArrayEquals(CorpusEvents.bytes(wanted.get(i)), frames.get(i).bytes());
            assertTrue(frames.get(i).protocols().startsWith("raw:ipv6:udp:dhcpv6"), frames.get(i).protocols());
        }
    }

    @Test
    void typeAndDirectionFiltersSelectByNameInBothFamilies() throws Exception {
        CaptureManager m = manager();
        List<DhcpEvent> events = mixedCorpus();
        CaptureSession requests = m.startCapture(request("{\"filter\": {\"message_type\": \"request\"}}"), "a");
        CaptureSession replies = m.startCapture(request("{\"filter\": {\"direction\": \"outbound\"}}"), "a");
        CaptureSession relayedSolicits = m.startCapture(request(
                "{\"filter\": {\"message_type\": \"SOLICIT\", \"direction\": \"inbound\"}}"), "a");
        publish(events);
        long wantedRequests = events.stream().filter(e -> e.family() == 4 ? e.messageType() == 3
                : e.messageType() == 3 || e.innerType() == 3).count();
        long wantedReplies = events.stream().filter(e -> e.direction() == Direction.SERVER_TO_CLIENT).count();
        long wantedSolicits = events.stream().filter(e -> e.family() == 6 && e.innerType() == 1).count();
        assertTrue(events.stream().anyMatch(e -> e.family() == 4 && e.messageType() == 3)
                && events.stream().anyMatch(e -> e.family() == 6 && e.innerType() == 3), "REQUESTs of both families");
        assertTrue(wantedReplies > 0 && wantedSolicits > 0);
        assertEquals(wantedRequests, m.stopCapture(requests.id()).orElseThrow().packets());
        assertEquals(wantedReplies, m.stopCapture(replies.id()).orElseThrow().packets());
        assertEquals(wantedSolicits, m.stopCapture(relayedSolicits.id()).orElseThrow().packets());
        for (Tshark.Frame f : Tshark.read(dir.resolve(replies.id() + ".pcapng"))) {
            assertTrue(f.comments().get(0).contains(" direction=outbound "), f.comments().toString());
        }
        assertEquals(wantedRequests + wantedReplies + wantedSolicits, m.counters().matched());
    }

    @Test
    void aSessionStopsAtItsPacketLimit() throws Exception {
        CaptureManager m = manager();
        CaptureSession s = m.startCapture(request("{\"max_packets\": 3}"), "a");
        assertTrue(fanout.hasSubscribers());
        publish(CorpusEvents.rawIp("zeek/dhcp"));
        CaptureSession done = m.stopped(s.id()).block(Duration.ofSeconds(1));
        assertEquals(StopReason.MAX_PACKETS, done.stopReason());
        assertEquals(3, done.packets());
        assertEquals(3, Tshark.read(dir.resolve(s.id() + ".pcapng")).size());
        assertFalse(fanout.hasSubscribers(), "no session runs: capture lets go of the fan-out");
        assertEquals(done, m.stopCapture(s.id()).orElseThrow(), "stopping a stopped session changes nothing");
    }

    @Test
    void aSessionStopsBeforeItsFileWouldPassItsByteLimit() throws Exception {
        CaptureManager m = manager();
        CaptureSession s = m.startCapture(request("{\"max_bytes\": 1024}"), "a");
        publish(CorpusEvents.rawIp("zeek/dhcp"));
        CaptureSession done = m.get(s.id()).orElseThrow();
        assertEquals(StopReason.MAX_BYTES, done.stopReason());
        assertTrue(done.fileBytes() <= 1024 && done.packets() >= 1, done.toString());
        assertEquals(Files.size(dir.resolve(s.id() + ".pcapng")), done.fileBytes());
        assertEquals(1, done.dropped(), "the packet that did not fit");
        assertEquals(1L, m.counters().dropped().get("bytes_limit"));
        assertEquals(done.packets(), Tshark.read(dir.resolve(s.id() + ".pcapng")).size());
    }

    @Test
    void aSessionStopsAfterItsSecondsWithoutAnyTraffic() {
        CaptureManager m = manager();
        CaptureSession s = m.startCapture(new CaptureRequest("", CaptureFilter.ALL, new CaptureLimits(10, 4096, 30)),
                "a");
        assertEquals(ORIGIN, s.startedAt());
        scheduler.advanceTimeBy(Duration.ofSeconds(29));
        assertTrue(m.get(s.id()).orElseThrow().running());
        scheduler.advanceTimeBy(Duration.ofSeconds(1));
        CaptureSession done = m.get(s.id()).orElseThrow();
        assertEquals(StopReason.MAX_SECONDS, done.stopReason());
        assertEquals(ORIGIN.plusSeconds(30), done.stoppedAt());
        assertEquals(0, done.packets());
        assertFalse(fanout.hasSubscribers());
    }

    @Test
    void retentionRemovesTheOldestFinishedCapturesWhileTheDirectoryIsOverItsSize() throws Exception {
        long mib = 1024 * 1024;
        CaptureConfig config = CaptureConfig.defaults().withDir(dir)
                .withLimits(new CaptureLimits(1000, mib, 300), new CaptureLimits(1_000_000, mib, 86_400))
                .withStorage(mib, 168);
        CaptureManager m = manager(config);
        List<DhcpEvent> flood = CorpusEvents.rawIp("zeek/dhcp_flood");
        List<DhcpEvent> lots = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            lots.addAll(flood);
        }
        CaptureSession first = m.startCapture(new CaptureRequest("", CaptureFilter.ALL,
                new CaptureLimits(1_000_000, 700 * 1024, 60)), "a");
        publish(lots);
        assertEquals(StopReason.MAX_BYTES, m.get(first.id()).orElseThrow().stopReason());
        scheduler.advanceTimeBy(Duration.ofSeconds(1));
        CaptureSession second = m.startCapture(new CaptureRequest("", CaptureFilter.ALL,
                new CaptureLimits(1_000_000, mib, 60)), "a");
        publish(lots.subList(0, 1000));
        assertTrue(m.storage().bytes() > mib, "over the total with the running one: " + m.storage());
        assertTrue(m.get(first.id()).isPresent(), "a running capture's bytes count, but only finished ones go");
        m.stopCapture(second.id());

        assertTrue(m.get(first.id()).isEmpty(), "the oldest went when the second stopped");
        assertFalse(Files.exists(dir.resolve(first.id() + ".pcapng")));
        assertFalse(Files.exists(dir.resolve(first.id() + ".json")));
        assertTrue(Files.exists(dir.resolve(second.id() + ".pcapng")));
        assertEquals(Map.of("size", 1L, "age", 0L), m.counters().retentionRemoved());
        CaptureManager.Storage storage = m.storage();
        assertEquals(1, storage.files());
        assertTrue(storage.bytes() <= mib, storage.toString());
    }

    @Test
    void retentionRemovesFinishedCapturesOlderThanTheirAge() throws Exception {
        CaptureManager m = manager(CaptureConfig.defaults().withDir(dir).withStorage(256 * 1024 * 1024, 1));
        CaptureSession old = m.startCapture(request("{}"), "a");
        publish(CorpusEvents.rawIp("zeek/dhcp"));
        m.stopCapture(old.id());
        scheduler.advanceTimeBy(Duration.ofMinutes(59));
        assertTrue(m.get(old.id()).isPresent());
        // The hourly pass after it is over an hour old.
        scheduler.advanceTimeBy(Duration.ofMinutes(62));
        assertTrue(m.get(old.id()).isEmpty());
        assertFalse(Files.exists(dir.resolve(old.id() + ".pcapng")));
        assertEquals(Map.of("size", 0L, "age", 1L), m.counters().retentionRemoved());
    }

    @Test
    void aRestartListsEarlierCapturesAndKeepsTheWholeBlocksOfOneThatWasRunning() throws Exception {
        CaptureManager before = manager();
        CaptureSession finished = before.startCapture(request("{\"label\": \"kept\", \"filter\": {\"site\": "
                + "\"lab\"}}"), "alice");
        List<DhcpEvent> dora = CorpusEvents.rawIp("zeek/dhcp");
        publish(dora);
        CaptureSession finishedThen = before.stopCapture(finished.id()).orElseThrow();
        CaptureSession crashed = before.startCapture(request("{}"), "bob");
        publish(dora);
        // The daemon dies mid-write: half a block at the end of the file, the sidecar still says running.
        Path file = dir.resolve(crashed.id() + ".pcapng");
        long whole = Files.size(file);
        Files.write(file, new byte[] {6, 0, 0, 0, 0x40, 0, 0, 0, 1, 2}, java.nio.file.StandardOpenOption.APPEND);

        CaptureManager after = new CaptureManager(CaptureConfig.defaults().withDir(dir), new EventFanout<>(), time,
                scheduler);
        after.start();
        managers.add(0, after);
        assertEquals(List.of(crashed.id(), finished.id()), after.list().stream().map(CaptureSession::id).toList());
        assertEquals(finishedThen, after.get(finished.id()).orElseThrow(), "listed as it was");
        CaptureSession recovered = after.get(crashed.id()).orElseThrow();
        assertEquals(StopReason.SHUTDOWN, recovered.stopReason());
        assertEquals(dora.size(), recovered.packets());
        assertEquals(whole, recovered.fileBytes());
        assertEquals(whole, Files.size(file), "cut back to its last whole block");
        assertEquals(dora.size(), Tshark.read(file).size());
    }

    @Test
    void aFullBufferDropsAndCountsWhileThePublisherNeverWaits() throws Exception {
        var executor = java.util.concurrent.Executors.newSingleThreadScheduledExecutor();
        var captureThread = reactor.core.scheduler.Schedulers.fromExecutorService(executor);
        var stuck = new java.util.concurrent.CountDownLatch(1);
        try {
            CaptureManager m = new CaptureManager(CaptureConfig.defaults().withDir(dir).withSessions(16, 8), fanout,
                    time, captureThread);
            m.start();
            managers.add(m);
            // Capture's thread is stuck (a slow disk, say) from before the session starts while the verdict path
            // publishes a flood.
            captureThread.schedule(() -> {
                try {
                    stuck.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            CaptureSession s = m.startCapture(request("{\"max_packets\": 16}"), "a");
            List<DhcpEvent> flood = CorpusEvents.rawIp("zeek/dhcp_flood");
            long published = 0;
            long startNanos = System.nanoTime();
            for (int round = 0; round < 20; round++) {
                for (int i = 0; i < flood.size(); i += 64) {
                    DhcpEvent[] read = flood.subList(i, Math.min(flood.size(), i + 64)).toArray(new DhcpEvent[0]);
                    fanout.publishAll(read, read.length);
                    published += read.length;
                }
            }
            long took = System.nanoTime() - startNanos;
            assertTrue(took < Duration.ofSeconds(2).toNanos(), "publishing never waited on capture: " + took + " ns");
            stuck.countDown();

            CaptureSession done = m.stopped(s.id()).block(Duration.ofSeconds(10));
            assertEquals(16, done.packets(), "the 16 events the buffer held");
            // The fan-out counts the delivery once capture's thread is done with the event that stopped the session.
            var idle = new java.util.concurrent.CountDownLatch(1);
            captureThread.schedule(idle::countDown);
            assertTrue(idle.await(10, java.util.concurrent.TimeUnit.SECONDS));
            CaptureManager.Counters c = m.counters();
            assertEquals(16, c.offered());
            assertEquals(published - 16, c.dropped().get("queue_full"));
            MetricSamples samples = new MetricSamples();
            m.metrics(samples);
            assertEquals(published - 16, samples.samples().stream()
                    .filter(x -> x.name().equals("capture_dropped") && "queue_full".equals(x.labels().get("reason")))
                    .findFirst().orElseThrow().value());
        } finally {
            stuck.countDown();
            managers.forEach(CaptureManager::stop);
            managers.clear();
            captureThread.dispose();
        }
    }

    @Test
    void anEventWithoutAPacketIsSkippedAndCounted() {
        CaptureManager m = manager();
        CaptureSession s = m.startCapture(CaptureRequest.of(JSON.createObjectNode(), CaptureConfig.defaults()), "a");
        DhcpEvent fromFields = new DhcpEvent(1, 1, "lab", Direction.CLIENT_TO_SERVER, 4, 1, 1, "DISCOVER", 1,
                0x01000001, null, null, null, null, null, null, null, null, null, null, null, null, null, null, 0,
                null, null, null, -1, null, null, List.of());
        publish(List.of(fromFields));
        assertEquals(1L, m.counters().dropped().get("no_packet"));
        assertEquals(0, m.stopCapture(s.id()).orElseThrow().packets());
    }

    @Test
    void ethernetFramedEventsGoUnderAnEthernetInterfaceBesideRawIp() throws Exception {
        CaptureManager m = manager();
        List<DhcpEvent> events = new ArrayList<>(CorpusEvents.ethernet("zeek/dhcp_inform"));
        events.addAll(CorpusEvents.rawIp("zeek/dhcp"));
        events.addAll(CorpusEvents.ethernet("tcpdump/dhcpv6-ia-pd"));
        CaptureSession s = m.startCapture(request("{}"), "a");
        publish(events);
        m.stopCapture(s.id());
        List<Tshark.Frame> frames = Tshark.read(dir.resolve(s.id() + ".pcapng"));
        assertEquals(events.size(), frames.size());
        for (int i = 0; i < frames.size(); i++) {
            DhcpEvent e = events.get(i);
            assertArrayEquals(CorpusEvents.bytes(e), frames.get(i).bytes());
            assertEquals(e.framing() == Framing.ETHERNET ? 1 : 7, frames.get(i).encap());
            assertEquals(List.of(expectedComment(e)), frames.get(i).comments());
        }
    }

    @Test
    void aRunningCaptureDownloadsAsTheWholeBlocksWrittenSoFar() throws Exception {
        CaptureManager m = manager();
        List<DhcpEvent> dora = CorpusEvents.rawIp("zeek/dhcp");
        CaptureSession s = m.startCapture(request("{}"), "a");
        publish(dora);
        try (CaptureManager.Download d = m.open(s.id()).orElseThrow()) {
            assertTrue(d.session().running());
            publish(dora);
            Path copy = dir.resolve("partial.pcapng");
            Files.copy(d.stream(), copy);
            assertEquals(dora.size(), Tshark.read(copy).size(), "what was there when it was opened");
        }
        assertEquals(2L * dora.size(), Tshark.read(download(m, s.id())).size());
    }

    @Test
    void anIdThatIsNotACaptureIdIsRefusedBeforeAnyPathIsBuilt() throws Exception {
        Path outside = dir.resolve("outside.pcapng");
        Files.writeString(outside, "not yours");
        Path captures = dir.resolve("captures");
        Files.createDirectories(captures);
        // A sidecar whose name is an id but whose content names another path is not loaded (nor anything deleted).
        String id = "0f8fad5b-d9cb-469f-a165-70867728950e";
        ObjectNode forged = JSON.createObjectNode().put("id", "../outside").put("state", "stopped")
                .put("started_at", ORIGIN.toString());
        forged.putObject("limits").put("max_packets", 1).put("max_bytes", 2048).put("max_seconds", 1);
        Files.write(captures.resolve(id + ".json"), JSON.writeValueAsBytes(forged));
        Files.writeString(captures.resolve("notes.json"), "{}");
        CaptureManager m = manager(CaptureConfig.defaults().withDir(captures));
        assertEquals(List.of(), m.list());
        assertEquals(1, m.counters().loadErrors());

        for (String bad : List.of("../outside", "..%2Foutside", "/etc/passwd", "", " ",
                id.toUpperCase(), id + "/../x", "outside")) {
            assertEquals("id", assertThrows(CaptureRequestException.class, () -> m.get(bad)).field(), bad);
            assertThrows(CaptureRequestException.class, () -> m.delete(bad), bad);
            assertThrows(CaptureRequestException.class, () -> m.open(bad), bad);
            assertThrows(CaptureRequestException.class, () -> m.stopCapture(bad), bad);
        }
        assertThrows(CaptureRequestException.class, () -> m.get(null));
        assertTrue(Files.exists(outside));
        assertTrue(Files.exists(captures.resolve("notes.json")), "files that are not ours are left alone");
        assertTrue(m.get(id).isEmpty());
        assertFalse(m.delete(id));
    }

    @Test
    void theFanoutIsHeldOnlyWhileASessionRunsAndShutdownStopsWhatRuns() throws Exception {
        CaptureManager m = manager();
        assertFalse(fanout.hasSubscribers());
        publish(CorpusEvents.rawIp("zeek/dhcp"));
        assertEquals(0, m.counters().offered(), "no session, no subscription, nothing offered");
        CaptureSession a = m.startCapture(request("{}"), "a");
        CaptureSession b = m.startCapture(request("{}"), "a");
        assertTrue(fanout.hasSubscribers());
        m.stopCapture(a.id());
        assertTrue(fanout.hasSubscribers(), "one still runs");
        m.stop();
        assertFalse(fanout.hasSubscribers());
        CaptureSession stopped = m.get(b.id()).orElseThrow();
        assertEquals(StopReason.SHUTDOWN, stopped.stopReason());
        assertEquals("shutdown", JSON.readTree(dir.resolve(b.id() + ".json").toFile()).get("stop_reason").asText());
        assertThrows(IllegalStateException.class, () -> m.startCapture(request("{}"), "a"));
        assertEquals(1, fanout.stats().size(), "one fan-out entry for capture, however often it came and went");
    }

    @Test
    void sessionsBeyondMaxSessionsAreRefusedAndDeleteRemovesFiles() throws Exception {
        CaptureManager m = manager(CaptureConfig.defaults().withDir(dir).withSessions(4096, 2));
        CaptureSession a = m.startCapture(request("{}"), "a");
        m.startCapture(request("{}"), "a");
        assertTrue(assertThrows(IllegalStateException.class, () -> m.startCapture(request("{}"), "a")).getMessage()
                .contains("capture.max_sessions"));
        assertTrue(m.delete(a.id()));
        assertFalse(Files.exists(dir.resolve(a.id() + ".pcapng")));
        assertFalse(Files.exists(dir.resolve(a.id() + ".json")));
        assertTrue(m.get(a.id()).isEmpty());
        m.startCapture(request("{}"), "a");
        assertEquals(2, m.counters().running());
    }

    @Test
    void theJsonOfASessionIsTheApiContractsShape() throws Exception {
        CaptureManager m = manager();
        CaptureSession s = m.startCapture(request("{\"label\": \"dora\", \"filter\": {\"direction\": \"inbound\"},"
                + " \"max_packets\": 2}"), "alice");
        ObjectNode running = CaptureJson.session(s);
        assertEquals(List.of("id", "label", "state", "stop_reason", "filter", "limits", "packets", "bytes", "dropped",
                "started_at", "stopped_at", "created_by", "file_bytes"), fieldNames(running));
        assertEquals("running", running.get("state").asText());
        assertTrue(running.get("stop_reason").isNull());
        assertTrue(running.get("stopped_at").isNull());
        assertEquals("{\"direction\":\"inbound\"}", running.get("filter").toString());
        assertEquals("{\"max_packets\":2,\"max_bytes\":10485760,\"max_seconds\":300}",
                running.get("limits").toString());
        assertEquals("2026-12-01T10:00:00Z", running.get("started_at").asText());
        publish(CorpusEvents.rawIp("zeek/dhcp"));
        ObjectNode list = CaptureJson.list(m.list(), m.counters(), m.storage());
        assertEquals(List.of("captures", "counters", "storage"), fieldNames(list));
        ObjectNode stopped = (ObjectNode) list.get("captures").get(0);
        assertEquals("max_packets", stopped.get("stop_reason").asText());
        assertEquals(2, stopped.get("packets").asInt());
        assertEquals("alice", stopped.get("created_by").asText());
        assertEquals(Files.size(dir.resolve(s.id() + ".pcapng")), stopped.get("file_bytes").asLong());
        ObjectNode counters = (ObjectNode) list.get("counters");
        for (String key : List.of("offered", "written", "dropped_queue_full", "filtered_out", "dropped_no_packet",
                "dropped_bytes_limit", "write_errors")) {
            assertTrue(counters.has(key), key + " in " + counters);
        }
        assertEquals("{\"bytes\":" + Files.size(dir.resolve(s.id() + ".pcapng")) + ",\"files\":1,\"max_bytes\":"
                + 256 * 1024 * 1024 + ",\"max_age_hours\":168}", list.get("storage").toString());
        ObjectNode sidecar = (ObjectNode) JSON.readTree(dir.resolve(s.id() + ".json").toFile());
        assertEquals(1, sidecar.remove("v").asInt());
        assertEquals(stopped.toString(), sidecar.toString(), "the sidecar is the session's JSON");
        assertNull(m.counters().dropped().get("nonsense"));
    }

    private static List<String> fieldNames(ObjectNode n) {
        List<String> names = new ArrayList<>();
        n.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
