package io.dhcpshield.core.pipeline;

import io.dhcpshield.core.codec.DecodeError;
import io.dhcpshield.core.codec.TestPackets;
import io.dhcpshield.core.codec.TestPackets.Dhcp4;
import io.dhcpshield.core.codec.TestPackets.Dhcp6;
import io.dhcpshield.core.event.DhcpEvent;
import io.dhcpshield.core.event.Direction;
import io.dhcpshield.core.event.EventFanout;
import io.dhcpshield.core.event.Origin;
import io.dhcpshield.core.codec.Framing;
import io.dhcpshield.core.net.MacAddress;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.test.scheduler.VirtualTimeScheduler;
import reactor.test.StepVerifier;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static io.dhcpshield.core.codec.TestPackets.hex;
import static org.junit.jupiter.api.Assertions.*;

class InspectionPipelineTest {

    private final DenySet denySet = new DenySet();
    private final EventFanout<DhcpEvent> events = new EventFanout<>();
    /** Subscribers drain on a short timer: virtual time makes that instant and deterministic. */
    private final VirtualTimeScheduler time = VirtualTimeScheduler.create();

    private void drain() {
        time.advanceTimeBy(Duration.ofMillis(20));
    }

    private InspectionPipeline pipeline(boolean dropNonDhcp, List<CustomRule> rules) {
        return new InspectionPipeline(new InspectionPipeline.Settings(dropNonDhcp, "site-a", rules), denySet, events,
                () -> 1_700_000_000_000_000L);
    }

    private static List<TestQueuedPacket> run(InspectionPipeline p, TestQueuedPacket... packets) {
        runToTheEnd(p, Flux.fromArray(packets), packets.length);
        return List.of(packets);
    }

    /** Runs the queue's subscriber over {@code source} (synchronous here): all {@code n} packets, then completion. */
    private static InspectionPipeline.QueueRun runToTheEnd(InspectionPipeline p, Flux<QueuedPacket> source, long n) {
        long before = p.counters(1).snapshot().verdicted();
        InspectionPipeline.QueueRun run = p.run(1, source);
        assertNull(run.error());
        assertTrue(run.isDisposed(), "the source completed");
        assertEquals(n, p.counters(1).snapshot().verdicted() - before);
        return run;
    }

    /**
     * A source that reads in batches, like the NFQUEUE transport: {@code reads} reads of {@code perRead} DISCOVERs
     * (xid = packet id), each followed by {@code atReadEnd} and the listener the pipeline put in the subscription's
     * context, then {@code trailing} packets with no read end.
     */
    private static Flux<QueuedPacket> reads(int reads, int perRead, Runnable atReadEnd, int trailing) {
        return reads(new boolean[reads], perRead, atReadEnd, trailing);
    }

    /** {@link #reads(int, int, Runnable, int)} with one read per flag, its packets saying they were backlogged. */
    private static Flux<QueuedPacket> reads(boolean[] backlogged, int perRead, Runnable atReadEnd, int trailing) {
        return Flux.push(sink -> {
            ReadEndListener readEnd = sink.contextView().get(ReadEndListener.class);
            int id = 0;
            for (boolean b : backlogged) {
                for (int i = 0; i < perRead; i++, id++) {
                    TestQueuedPacket packet = new TestQueuedPacket(id, new Dhcp4().type(1).xid(id).ip());
                    packet.backlogged = b;
                    sink.next(packet);
                }
                atReadEnd.run();
                readEnd.readEnded();
            }
            for (int i = 0; i < trailing; i++, id++) {
                sink.next(new TestQueuedPacket(id, new Dhcp4().type(1).xid(id).ip()));
            }
            sink.complete();
        });
    }

    @Test
    void everyDhcpPacketIsAcceptedWithItsMarkExactlyOnce() {
        InspectionPipeline p = pipeline(false, List.of());
        TestQueuedPacket discover = new TestQueuedPacket(1, new Dhcp4().type(1).ip());
        TestQueuedPacket solicit = new TestQueuedPacket(2, TestPackets.ipv6Udp(
                new Dhcp6(1).option(1, hex("0003 0001 001122334455")).payload(), 546, 547));
        run(p, discover, solicit);
        assertEquals(Verdict.ACCEPT, discover.verdict);
        assertEquals(0x01102030, discover.verdictMark);
        assertEquals(0x11334455, solicit.verdictMark);
        assertEquals(1, discover.verdictCalls);
        QueueCounters.Snapshot s = p.counters(1).snapshot();
        assertEquals(2, s.received());
        assertEquals(2, s.verdicted());
        assertEquals(2, s.dhcp());
        assertEquals(1L, s.byTypeCode().get(0x01));
        assertEquals(1L, s.byTypeCode().get(0x11));
    }

    @Test
    void malformedDhcpIsStillAcceptedWithItsMarkAndCountedByReason() {
        InspectionPipeline p = pipeline(true, List.of());
        TestQueuedPacket bad = new TestQueuedPacket(1, new Dhcp4().cookie(0).type(1).ip());
        run(p, bad);
        assertEquals(Verdict.ACCEPT, bad.verdict, "nothing in our process drops DHCP, even with drop_non_dhcp");
        assertEquals(0x0F102030, bad.verdictMark);
        assertEquals(1L, p.counters(1).snapshot().byError().get(DecodeError.BAD_MAGIC_COOKIE));
    }

    @Test
    void nonDhcpIsAcceptedUnmarkedAndCountedByReason() {
        InspectionPipeline p = pipeline(false, List.of());
        TestQueuedPacket dns = new TestQueuedPacket(1, 1, TestPackets.ipv4Udp(new byte[12], 5353, 53), -1, 0x42);
        run(p, dns);
        assertEquals(Verdict.ACCEPT, dns.verdict);
        assertEquals(0x42, dns.verdictMark, "the packet keeps the mark it came with");
        QueueCounters.Snapshot s = p.counters(1).snapshot();
        assertEquals(1, s.nonDhcp());
        assertEquals(1L, s.byError().get(DecodeError.NOT_DHCP_PORT));
        assertEquals(0, s.nonDhcpDropped());
    }

    @Test
    void dropNonDhcpDropsOnlyNonDhcp() {
        InspectionPipeline p = pipeline(true, List.of());
        TestQueuedPacket dns = new TestQueuedPacket(1, TestPackets.ipv4Udp(new byte[12], 5353, 53));
        TestQueuedPacket dhcp = new TestQueuedPacket(2, new Dhcp4().type(3).ip());
        run(p, dns, dhcp);
        assertEquals(Verdict.DROP, dns.verdict);
        assertEquals(Verdict.ACCEPT, dhcp.verdict);
        assertEquals(1, p.counters(1).snapshot().nonDhcpDropped());
    }

    @Test
    void deniedClientKeepsVerdictAndMarkButProducesNoEvent() {
        InspectionPipeline p = pipeline(false, List.of());
        List<DhcpEvent> seen = new ArrayList<>();
        var sub = events.subscribe("test", 100, time).subscribe(seen::add);
        denySet.add(0x102030);
        TestQueuedPacket denied = new TestQueuedPacket(1, new Dhcp4().type(1).ip());
        TestQueuedPacket other = new TestQueuedPacket(2, new Dhcp4().type(1).chaddr(hex("02:00:5e:aa:bb:cc")).ip());
        run(p, denied, other);
        drain();
        assertEquals(Verdict.ACCEPT, denied.verdict);
        assertEquals(0x01102030, denied.verdictMark);
        assertEquals(1, seen.size());
        assertEquals(0xaabbcc, seen.get(0).clientMark());
        assertEquals(1, p.counters(1).snapshot().denied());
        assertEquals(1, p.counters(1).snapshot().events());
        sub.dispose();
    }

    @Test
    void eventCarriesParsedFieldsQueueAndSite() {
        InspectionPipeline p = pipeline(false, List.of());
        List<DhcpEvent> seen = new ArrayList<>();
        var sub = events.subscribe("test", 100, time).subscribe(seen::add);
        run(p, new TestQueuedPacket(7, new Dhcp4().type(1).giaddr(10, 0, 0, 1).option(12, "cam-1")
                .option(60, "axis").option(55, hex("010306")).option(82, hex("01 03 616263")).ip()));
        drain();
        DhcpEvent e = seen.get(0);
        assertEquals("DISCOVER", e.messageTypeName());
        assertEquals(Direction.CLIENT_TO_SERVER, e.direction());
        assertEquals("cam-1", e.hostname());
        assertEquals("axis", e.vendorClass());
        assertEquals("1,3,6", e.requestedOptions());
        assertEquals("abc", e.circuitId());
        assertEquals("10.0.0.1", e.relayAddress().toString());
        assertEquals("site-a", e.siteId());
        assertEquals(1, e.queue());
        assertEquals(0x01102030, e.mark());
        sub.dispose();
    }

    @Test
    void customRuleAssignsItsMark() {
        CustomRule rule = new CustomRule("cams", CustomRule.Field.HOSTNAME, CustomRule.MatchType.WILDCARD, "cam-*",
                0x7F000001);
        InspectionPipeline p = pipeline(false, List.of(rule));
        TestQueuedPacket cam = new TestQueuedPacket(1, new Dhcp4().type(1).option(12, "cam-17").ip());
        TestQueuedPacket pc = new TestQueuedPacket(2, new Dhcp4().type(1).option(12, "pc-3").ip());
        run(p, cam, pc);
        assertEquals(0x7F000001, cam.verdictMark);
        assertEquals(0x01102030, pc.verdictMark);
        assertEquals(1, p.counters(1).snapshot().ruleMatched());
    }

    @Test
    void pausedDemandStopsTheSourceAndResumeRestartsIt() {
        InspectionPipeline p = pipeline(false, List.of());
        AtomicLong requested = new AtomicLong();
        byte[] packet = new Dhcp4().type(1).ip();
        Flux<QueuedPacket> source = Flux.<QueuedPacket, Long>generate(() -> 0L, (id, sink) -> {
            sink.next(new TestQueuedPacket(id, packet));
            return id + 1;
        }).doOnRequest(requested::addAndGet).take(5000);
        InspectionPipeline.QueueRun run = p.queueRun(1);
        run.pause();
        source.subscribe(run);
        assertEquals(256, p.counters(1).snapshot().verdicted(), "only the first chunk flows while paused");
        assertEquals(256, requested.get(), "and nothing more is asked of the source");
        run.resume();
        assertEquals(5000, p.counters(1).snapshot().verdicted());
        assertNull(run.error());
    }

    @Test
    void slowSubscriberDropsItsOwnOverflowWithoutSlowingTheFastOne() {
        InspectionPipeline p = pipeline(false, List.of());
        List<DhcpEvent> fast = new ArrayList<>();
        var fastSub = events.subscribe("fast", 10_000, time).subscribe(fast::add);
        var slow = events.subscribe("slow", 8, time);
        StepVerifier.Step<DhcpEvent> verifier = StepVerifier.create(slow, 0);
        TestQueuedPacket[] packets = new TestQueuedPacket[100];
        for (int i = 0; i < packets.length; i++) {
            packets[i] = new TestQueuedPacket(i, new Dhcp4().type(1).xid(i).ip());
        }
        // The slow subscriber requests nothing while all 100 events are published.
        verifier.then(() -> run(p, packets))
                .then(this::drain)
                .thenRequest(8).then(this::drain).expectNextCount(8)
                .thenCancel().verify(Duration.ofSeconds(5));
        assertEquals(100, fast.size());
        EventFanout.SubscriberStats s = events.stats().stream().filter(x -> x.name().equals("slow")).findFirst()
                .orElseThrow();
        assertEquals(8, s.delivered());
        assertEquals(92, s.dropped());
        assertEquals(100, events.published());
        fastSub.dispose();
    }

    @Test
    void eventsOfAReadArePublishedTogetherWhenTheSourceReportsTheReadEnd() {
        InspectionPipeline p = pipeline(false, List.of());
        List<DhcpEvent> seen = new ArrayList<>();
        var sub = events.subscribe("batch", 100, time).subscribe(seen::add);
        List<Long> publishedAtReadEnd = new ArrayList<>();
        // Two reads of three packets.
        runToTheEnd(p, reads(2, 3, () -> publishedAtReadEnd.add(events.published()), 0), 6);
        drain();
        // The first read is published one by one (the pipeline has not yet seen a read end); from then on the
        // events of a read wait for its end and go out together, in order.
        assertEquals(List.of(3L, 3L), publishedAtReadEnd);
        assertEquals(6, events.published());
        assertEquals(List.of(0L, 1L, 2L, 3L, 4L, 5L), seen.stream().map(DhcpEvent::transactionId).toList());
        assertEquals(6, p.counters(1).snapshot().events());
        sub.dispose();
    }

    @Test
    void theQueuesOwnSubscriberFindsTheReadEndListenerInItsContextAndPublishesPerRead() {
        InspectionPipeline p = pipeline(false, List.of());
        List<DhcpEvent> seen = new ArrayList<>();
        var sub = events.subscribe("batch", 100, time).subscribe(seen::add);
        List<Long> publishedAtReadEnd = new ArrayList<>();
        // Three reads of two packets, then a last packet with no read end: completion publishes it.
        InspectionPipeline.QueueRun run = runToTheEnd(p, reads(3, 2, () -> publishedAtReadEnd.add(events.published()),
                1), 7);
        drain();
        assertNull(run.error());
        assertEquals(List.of(2L, 2L, 4L), publishedAtReadEnd);
        assertEquals(7, p.counters(1).snapshot().verdicted());
        assertEquals(List.of(0L, 1L, 2L, 3L, 4L, 5L, 6L), seen.stream().map(DhcpEvent::transactionId).toList());
        sub.dispose();
    }

    @Test
    void aReadWhoseSubscribersAreAllFullIsShedWithoutBuildingItsEvents() {
        InspectionPipeline p = pipeline(false, List.of());
        var full = events.subscribe("full", 4, time);
        StepVerifier.Step<DhcpEvent> verifier = StepVerifier.create(full, 0);
        // Three reads of three packets; the subscriber asks for nothing until the end.
        verifier.then(() -> runToTheEnd(p, reads(3, 3, () -> { }, 0), 9))
                .thenRequest(10).then(this::drain)
                .expectNextCount(4)
                .thenCancel().verify(Duration.ofSeconds(5));
        // Read 1: three events, one by one (3 of 4 buffered). Read 2 began with room: built, one fits, two dropped.
        // Read 3 began with every buffer full: its three events were never built, only counted.
        QueueCounters.Snapshot c = p.counters(1).snapshot();
        assertEquals(9, c.verdicted(), c::toString);
        assertEquals(6, c.events(), c::toString);
        assertEquals(3, c.eventsShed(), c::toString);
        assertEquals(9, events.published());
        EventFanout.SubscriberStats s = events.stats().get(0);
        assertEquals(4, s.delivered());
        assertEquals(5, s.dropped());
        assertEquals(s.delivered() + s.dropped() + s.buffered(), events.published());
    }

    /** Reads of {@code perRead} DISCOVERs, one per flag, each saying whether its read was backlogged. */
    private static Flux<QueuedPacket> backlogReads(int perRead, boolean... backlogged) {
        return reads(backlogged, perRead, () -> { }, 0);
    }

    /** A pipeline that builds one backlogged read's events in {@code backlogSample}. */
    private InspectionPipeline backlogPipeline(int backlogSample) {
        return new InspectionPipeline(new InspectionPipeline.Settings(false, "site-a", List.of(), null,
                backlogSample), denySet, events, () -> 1_700_000_000_000_000L);
    }

    @Test
    void backloggedReadsBuildTheEventsOfOneReadInTheSampleAndShedTheRestUnpublished() {
        InspectionPipeline p = backlogPipeline(3);
        List<DhcpEvent> seen = new ArrayList<>();
        var sub = events.subscribe("all", 1000, time).subscribe(seen::add);
        // Read 0 is not backlogged; reads 1-7 are: 1-2 shed, 3 built (the sample), 4-5 shed, 6 built, 7 shed; read
        // 8 is not backlogged (built, and the count starts over), 9 is backlogged again: shed.
        runToTheEnd(p, backlogReads(2, false, true, true, true, true, true, true, true, false, true), 20);
        drain();
        QueueCounters.Snapshot c = p.counters(1).snapshot();
        assertEquals(20, c.verdicted(), c::toString);
        assertEquals(8, c.events(), c::toString);
        assertEquals(12, c.eventsShedBacklog(), c::toString);
        assertEquals(0, c.eventsShed(), c::toString);
        // Shed for backlog, they were never published: no subscriber counts them as dropped.
        assertEquals(8, events.published());
        EventFanout.SubscriberStats s = events.stats().get(0);
        assertEquals(8, s.delivered());
        assertEquals(0, s.dropped());
        assertEquals(List.of(0L, 1L, 6L, 7L, 12L, 13L, 16L, 17L),
                seen.stream().map(DhcpEvent::transactionId).toList());
        sub.dispose();
    }

    @Test
    void grantedDemandNeverCutsAFullReadShortWhateverTheFirstReadsWere() {
        InspectionPipeline p = pipeline(false, List.of());
        AtomicLong requested = new AtomicLong();
        List<Long> demandAtReadStart = new ArrayList<>();
        // A transport that reads up to 64 packets as long as there is demand (as the NFQUEUE binding does), after a
        // first read of 18 (start-up reads come in any size) that puts the chunks out of step with the reads.
        Flux<QueuedPacket> source = new Flux<>() {
            @Override
            public void subscribe(reactor.core.CoreSubscriber<? super QueuedPacket> actual) {
                actual.onSubscribe(new org.reactivestreams.Subscription() {
                    @Override
                    public void request(long n) {
                        requested.addAndGet(n);
                    }

                    @Override
                    public void cancel() {
                    }
                });
                int id = 0;
                for (int read = 0; read < 41; read++) {
                    long r = requested.get();
                    if (read > 0) {
                        demandAtReadStart.add(r);
                    }
                    int n = (int) Math.min(read == 0 ? 18 : 64, r);
                    for (int i = 0; i < n; i++, id++) {
                        actual.onNext(new TestQueuedPacket(id, new Dhcp4().type(1).xid(id).ip()));
                    }
                    requested.addAndGet(-n);
                }
                actual.onComplete();
            }
        };
        runToTheEnd(p, source, 18 + 40 * 64);
        assertTrue(demandAtReadStart.stream().allMatch(r -> r >= 64), "demand at each read: " + demandAtReadStart);
    }

    @Test
    void aBacklogSampleOfOneBuildsEveryEvent() {
        InspectionPipeline p = backlogPipeline(1);
        var sub = events.subscribe("all", 1000, time).subscribe();
        runToTheEnd(p, backlogReads(2, true, true, true, true), 8);
        QueueCounters.Snapshot c = p.counters(1).snapshot();
        assertEquals(8, c.events(), c::toString);
        assertEquals(0, c.eventsShedBacklog(), c::toString);
        sub.dispose();
    }

    @Test
    void aBacklogSampleBelowOneIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new InspectionPipeline.Settings(false, "site-a", List.of(), null, 0));
        assertTrue(e.getMessage().contains("backlogSample"), e.getMessage());
    }

    @Test
    void aBatchLargerThanTheRoomLeftIsCutAndTheRestCountedAsDropped() {
        var slow = events.subscribe("small", 8, time);
        StepVerifier.Step<DhcpEvent> verifier = StepVerifier.create(slow, 0);
        DhcpEvent[] ten = new DhcpEvent[10];
        for (int i = 0; i < ten.length; i++) {
            ten[i] = new DhcpEvent(i, 1, "s", Direction.CLIENT_TO_SERVER, 4, 1, 1, "DISCOVER", i, 0x01000001, null, null, null,
                    null, null, null, null, null, null, null, null, null, null, null, 0, null, null, null, -1, null,
                    null, List.of());
        }
        verifier.then(() -> events.publishAll(ten, ten.length))
                .thenRequest(20).then(this::drain)
                .expectNextMatches(e -> e.timeMicros() == 0).expectNextCount(7)
                .thenCancel().verify(Duration.ofSeconds(5));
        EventFanout.SubscriberStats s = events.stats().get(0);
        assertEquals(8, s.delivered());
        assertEquals(2, s.dropped());
        assertEquals(10, events.published());
    }

    @Test
    void completeDeliversWhatIsBufferedThenEndsEachSubscriber() {
        InspectionPipeline p = pipeline(false, List.of());
        var sub = events.subscribe("late", 100, time);
        StepVerifier.Step<DhcpEvent> verifier = StepVerifier.create(sub, 0);
        verifier.then(() -> run(p, new TestQueuedPacket(1, new Dhcp4().type(1).ip()),
                        new TestQueuedPacket(2, new Dhcp4().type(3).ip())))
                .then(events::complete)
                .then(() -> events.publish(null))
                .thenRequest(10)
                .then(this::drain)
                .expectNextCount(2)
                .verifyComplete();
        assertEquals(1, events.stats().get(0).dropped(), "a publish after complete is counted as dropped");
    }

    @Test
    void eventsAreDecodedLazilyOnTheSubscriberSideOnceAndKeepTheVerdictMark() {
        CustomRule rule = new CustomRule("r", CustomRule.Field.HOSTNAME, CustomRule.MatchType.EXACT, "lazy", 0x7F000002);
        InspectionPipeline p = pipeline(false, List.of(rule));
        List<DhcpEvent> seen = new ArrayList<>();
        var sub = events.subscribe("test", 100, time).subscribe(seen::add);
        run(p, new TestQueuedPacket(1, new Dhcp4().type(3).option(12, "lazy").option(60, "vc").ip()));
        drain();
        DhcpEvent e = seen.get(0);
        assertFalse(e.isDecoded(), "nothing was decoded on the verdict path for the event");
        assertEquals(3, e.messageType(), "fast-path fields need no decode");
        assertEquals("02:00:5e:10:20:30", e.clientMac().toString());
        assertFalse(e.isDecoded());
        assertEquals("lazy", e.hostname());
        assertTrue(e.isDecoded());
        assertEquals("vc", e.vendorClass());
        assertEquals("REQUEST", e.messageTypeName());
        assertEquals(0x7F000002, e.mark(), "the event carries the mark of the verdict, custom rule included");
        sub.dispose();
    }

    @Test
    void eventCarriesTheLinkLayerSourceNfqueueGaveOutOfBand() {
        InspectionPipeline p = pipeline(false, List.of());
        List<DhcpEvent> seen = new ArrayList<>();
        var sub = events.subscribe("test", 100, time).subscribe(seen::add);
        long hwaddr = 0x02_00_5e_aa_bb_ccL;   // NFQA_HWADDR: not the chaddr 02:00:5e:10:20:30 inside the packet
        run(p, new TestQueuedPacket(1, 1, new Dhcp4().type(1).ip(), hwaddr, 0),
                new TestQueuedPacket(1, 2, new Dhcp4().type(1).ip(), -1, 0));
        drain();
        DhcpEvent e = seen.get(0);
        assertFalse(e.isDecoded());
        assertEquals("02:00:5e:aa:bb:cc", e.l2Source().toString(), "NFQA_HWADDR travels with the event");
        assertEquals("02:00:5e:10:20:30", e.clientMac().toString(), "the chaddr is still the client MAC");
        assertEquals("02:00:5e:aa:bb:cc", io.dhcpshield.core.json.EventJson.toJson(e).path("l2_src").asText());
        assertNull(seen.get(1).l2Source(), "no NFQA_HWADDR, no link-layer source");
        assertFalse(io.dhcpshield.core.json.EventJson.toJson(seen.get(1)).has("l2_src"));
        sub.dispose();
    }

    // ------------------------------------------------------------ re-injected mirror copies (collector reinject mode)

    private InspectionPipeline mirroring(MirrorLedger ledger) {
        return new InspectionPipeline(new InspectionPipeline.Settings(false, "central", List.of(), ledger), denySet,
                events, () -> 1_700_000_000_000_000L);
    }

    /** The copy the collector sends: the payload alone, 127.0.0.1:40000 to the mirror port. */
    private static byte[] copy4(byte[] payload) {
        byte[] ip = TestPackets.ipv4Udp(payload, 40_000, MirrorLedger.PORT_V4);
        System.arraycopy(new byte[] {127, 0, 0, 1, 127, 0, 0, 1}, 0, ip, 12, 8);
        return ip;
    }

    /** The remote site's frame: a relay (02:00:5e:00:07:01, 198.18.0.2:67) to the server (198.19.0.2:67). */
    private static byte[] relayedFrame(byte[] payload) {
        byte[] ip = TestPackets.ipv4Udp(payload, 67, 67);
        System.arraycopy(new byte[] {(byte) 198, 18, 0, 2, (byte) 198, 19, 0, 2}, 0, ip, 12, 8);
        byte[] frame = TestPackets.ethernet(hex("02:00:5e:00:07:01"), 0x0800, ip);
        System.arraycopy(hex("02:00:5e:00:07:02"), 0, frame, 0, 6);
        return frame;
    }

    @Test
    void aRecordedCopyLeavingGetsItsVerdictThenArrivingBecomesTheOriginalFramesEvent() {
        MirrorLedger ledger = new MirrorLedger(16);
        InspectionPipeline p = mirroring(ledger);
        List<DhcpEvent> seen = new ArrayList<>();
        var sub = events.subscribe("test", 100, time).subscribe(seen::add);
        byte[] payload = new Dhcp4().type(3).giaddr(198, 18, 0, 2).payload();
        ledger.record(payload, new MirrorLedger.Entry(relayedFrame(payload), "branch-7", "10.99.0.1:41000"));

        TestQueuedPacket leaving = new TestQueuedPacket(1, copy4(payload)).leaving();
        run(p, leaving);
        drain();
        assertEquals(Verdict.ACCEPT, leaving.verdict);
        assertEquals(0x03102030, leaving.verdictMark, "the copy is marked like any DHCP packet of its client");
        assertTrue(seen.isEmpty(), "no event on the output hook");
        assertEquals(1, p.counters(1).snapshot().mirroredLeaving());
        assertEquals(1, ledger.snapshot().waiting(), "the record waits for the copy's arrival");

        TestQueuedPacket arriving = new TestQueuedPacket(2, copy4(payload));
        run(p, arriving);
        drain();
        assertEquals(Verdict.ACCEPT, arriving.verdict);
        assertEquals(0x03102030, arriving.verdictMark);
        assertEquals(1, seen.size());
        DhcpEvent e = seen.get(0);
        assertEquals("branch-7", e.siteId(), "the agent's site, not the processor's");
        assertEquals(Origin.mirrored("10.99.0.1:41000", MacAddress.parse("02:00:5e:00:07:02")), e.origin());
        assertEquals("02:00:5e:00:07:01", e.l2Source().toString());
        assertEquals("198.18.0.2", e.source().toString(), "the frame's addresses, not the copy's 127.0.0.1");
        assertEquals("198.19.0.2", e.destination().toString());
        assertEquals(Framing.ETHERNET, e.framing());
        assertEquals(0, e.queue());
        assertEquals("REQUEST", e.messageTypeName());
        QueueCounters.Snapshot s = p.counters(1).snapshot();
        assertEquals(1, s.mirrored());
        assertEquals(0, s.mirroredUnmatched());
        assertEquals(1, s.events());
        assertEquals(new MirrorLedger.Snapshot(1, 1, 0, 0, 0, 0), ledger.snapshot());
        sub.dispose();
    }

    @Test
    void aDhcpv6CopyOnItsMirrorPortMeetsItsRecord() {
        MirrorLedger ledger = new MirrorLedger(16);
        InspectionPipeline p = mirroring(ledger);
        List<DhcpEvent> seen = new ArrayList<>();
        var sub = events.subscribe("test", 100, time).subscribe(seen::add);
        byte[] payload = new Dhcp6(1).option(1, hex("0003 0001 001122334455")).payload();
        byte[] frame = TestPackets.ethernet(hex("00:11:22:33:44:55"), 0x86DD, TestPackets.ipv6Udp(payload, 546, 547));
        ledger.record(payload, new MirrorLedger.Entry(frame, "branch-6", "10.99.0.1:41000"));
        run(p, new TestQueuedPacket(1, TestPackets.ipv6Udp(payload, 40_000, MirrorLedger.PORT_V6)));
        drain();
        assertEquals(1, seen.size());
        assertEquals("branch-6", seen.get(0).siteId());
        assertEquals(6, seen.get(0).family());
        assertEquals("00:11:22:33:44:55", seen.get(0).l2Source().toString());
        assertEquals(1, p.counters(1).snapshot().mirrored());
        sub.dispose();
    }

    @Test
    void aCopyNobodyRecordedIsItsOwnEventCountedUnmatched() {
        MirrorLedger ledger = new MirrorLedger(16);
        InspectionPipeline p = mirroring(ledger);
        List<DhcpEvent> seen = new ArrayList<>();
        var sub = events.subscribe("test", 100, time).subscribe(seen::add);
        byte[] recorded = new Dhcp4().type(1).xid(1).payload();
        ledger.record(recorded, new MirrorLedger.Entry(relayedFrame(recorded), "branch-7", "10.99.0.1:41000"));
        run(p, new TestQueuedPacket(1, copy4(new Dhcp4().type(1).xid(2).payload())));
        drain();
        assertEquals(1, seen.size());
        DhcpEvent e = seen.get(0);
        assertEquals("central", e.siteId(), "no record: the processor's own site");
        assertEquals(Origin.NFQUEUE, e.origin());
        assertEquals("127.0.0.1", e.source().toString());
        assertEquals(2, e.transactionId());
        assertEquals(1, p.counters(1).snapshot().mirroredUnmatched());
        assertEquals(0, p.counters(1).snapshot().mirrored());
        assertEquals(new MirrorLedger.Snapshot(1, 0, 1, 0, 0, 1), ledger.snapshot(), "the other record still waits");
        sub.dispose();
    }

    @Test
    void aDeniedClientsCopyOrOneNobodyListensForTakesItsRecordWithoutAnEvent() {
        MirrorLedger ledger = new MirrorLedger(16);
        InspectionPipeline p = mirroring(ledger);
        byte[] payload = new Dhcp4().type(1).payload();
        ledger.record(payload, new MirrorLedger.Entry(relayedFrame(payload), "b", "a:1"));
        run(p, new TestQueuedPacket(1, copy4(payload)));      // no subscriber yet
        assertEquals(new MirrorLedger.Snapshot(1, 1, 0, 0, 0, 0), ledger.snapshot());

        List<DhcpEvent> seen = new ArrayList<>();
        var sub = events.subscribe("test", 100, time).subscribe(seen::add);
        denySet.add(0x102030);
        ledger.record(payload, new MirrorLedger.Entry(relayedFrame(payload), "b", "a:1"));
        TestQueuedPacket denied = new TestQueuedPacket(2, copy4(payload));
        run(p, denied);
        drain();
        assertEquals(Verdict.ACCEPT, denied.verdict);
        assertTrue(seen.isEmpty(), "a denied client gives no event, mirrored or not");
        assertEquals(new MirrorLedger.Snapshot(2, 2, 0, 0, 0, 0), ledger.snapshot(), "and leaves no record behind");
        assertEquals(2, p.counters(1).snapshot().mirrored());
        assertEquals(0, p.counters(1).snapshot().events());
        sub.dispose();
    }

    @Test
    void withoutALedgerAMirrorPortPacketIsAnOrdinaryEvent() {
        InspectionPipeline p = pipeline(false, List.of());
        List<DhcpEvent> seen = new ArrayList<>();
        var sub = events.subscribe("test", 100, time).subscribe(seen::add);
        TestQueuedPacket leaving = new TestQueuedPacket(1, copy4(new Dhcp4().type(1).payload())).leaving();
        run(p, leaving);
        drain();
        assertEquals(1, seen.size(), "observe mode: nothing is re-injected, the port has no meaning");
        assertEquals("site-a", seen.get(0).siteId());
        assertEquals(0, p.counters(1).snapshot().mirroredLeaving());
        sub.dispose();
    }
}
