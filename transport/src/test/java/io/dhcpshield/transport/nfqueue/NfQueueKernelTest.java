package io.dhcpshield.transport.nfqueue;

import static io.dhcpshield.transport.nfqueue.TestNetwork.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.dhcpshield.core.pipeline.QueuedPacket;
import io.dhcpshield.core.pipeline.Verdict;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.reactivestreams.Subscription;
import reactor.core.Disposable;
import reactor.core.publisher.BaseSubscriber;
import reactor.test.StepVerifier;

/**
 * The queue reader against the real kernel: packets sent through a veth pair into a namespace whose PREROUTING
 * queues them, read with each transport, and counted after the queue by nft. Needs root.
 */
@Timeout(90)
class NfQueueKernelTest {

    private static final int QUEUE = 3;
    private static final int TYPE_BITS = 0x01000000;

    private TestNetwork net;
    private MultiThreadIoEventLoopGroup loops;
    private NfQueue queue;
    private Disposable subscription;

    @BeforeAll
    static void needsRoot() {
        assumeTrue(TestNetwork.isRoot(), "skipped: these tests create network namespaces, iptables and nft rules,"
                + " and bind netfilter queues, which needs root (CAP_NET_ADMIN + CAP_SYS_ADMIN)");
    }

    @AfterEach
    void tearDown() {
        if (subscription != null) {
            subscription.dispose();
        }
        if (queue != null) {
            queue.close();
        }
        if (loops != null) {
            loops.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        }
        if (net != null) {
            net.close();
        }
    }

    /** What the subscriber saw of the first packet, copied out of the flyweight inside onNext. */
    record Seen(int queue, long id, int hook, int hwProtocol, long l2Source, int in, int ipVersion, int udpPort,
            int length) {

        static Seen of(QueuedPacket p) {
            NfQueuePacket n = (NfQueuePacket) p;
            int ip = p.payloadIndex();
            return new Seen(p.queue(), p.packetId(), n.hook(), n.hwProtocol(), p.l2Source(), p.inInterface(),
                    (p.buffer().getByte(ip) & 0xff) >> 4, p.buffer().getUnsignedShort(ip + 22), p.payloadLength());
        }
    }

    private static void markByType(QueuedPacket p) {
        p.verdict(Verdict.ACCEPT, TYPE_BITS | (int) (p.packetId() & 0xffffff));
    }

    /** A subscriber that asks for {@code n} packets at first, then only when told, and marks each by type. */
    private static BaseSubscriber<QueuedPacket> requesting(long n) {
        return requesting(n, p -> { });
    }

    /** {@link #requesting(long)}, showing each packet to {@code seen} before marking it. */
    private static BaseSubscriber<QueuedPacket> requesting(long n, Consumer<QueuedPacket> seen) {
        return new BaseSubscriber<>() {
            @Override
            protected void hookOnSubscribe(Subscription s) {
                s.request(n);
            }

            @Override
            protected void hookOnNext(QueuedPacket p) {
                seen.accept(p);
                markByType(p);
            }
        };
    }

    /**
     * Subscribes a reader of one packet to {@code q}, sends one and waits until it is marked: from then on the
     * reader reads nothing until asked for more, and the kernel holds what arrives.
     */
    private BaseSubscriber<QueuedPacket> pausedAfterOne(NfQueue q, Consumer<QueuedPacket> seen) {
        BaseSubscriber<QueuedPacket> oneAtFirst = requesting(1, seen);
        q.packets().subscribe(oneAtFirst);
        subscription = oneAtFirst;
        awaitBound(q);
        net.send(1);
        await("the first packet marked", () -> net.counter("marked") == 1, this::state);
        return oneAtFirst;
    }

    /**
     * Reads one packet, then (paused) lets {@code burst} packets overflow a tiny socket buffer, resumes, and reads a
     * last probe packet after the buffer drained, so every id gap behind the overflow has been seen.
     */
    private void overflowWhilePaused(NfQueue q, int burst, boolean awaitEnobufs) {
        BaseSubscriber<QueuedPacket> oneAtFirst = pausedAfterOne(q, p -> { });
        net.send(burst);
        if (awaitEnobufs) {
            await("ENOBUFS counted", () -> q.counters().snapshot().enobufs() > 0, this::state);
        }
        oneAtFirst.requestUnbounded();
        await("every packet out of the queue", () -> net.passed() == 1 + burst, this::state);
        net.send(1);
        await("the probe marked", () -> net.passed() == 2 + burst
                && q.counters().snapshot().verdicted() == net.counter("marked"), this::state);
    }

    private NfQueue open(NfQueueTransport transport, NfQueueConfig config, boolean preMark) {
        assumeTrue(transport.isAvailable(), () -> "skipped: " + transport.configName()
                + " is not available on this kernel/JVM: " + transport.unavailabilityCause());
        net = TestNetwork.create("--queue-num " + QUEUE, preMark);
        loops = new MultiThreadIoEventLoopGroup(1,
                NetworkNamespace.threadFactory(net.app(), new DefaultThreadFactory("nfq-test")),
                transport.ioHandlerFactory());
        queue = new NfQueue(loops.next(), config);
        return queue;
    }

    private void awaitBound(NfQueue q) {
        await("queue " + q.queueNumber() + " bound", q::isBound, () -> q.counters().snapshot().toString());
    }

    private String state() {
        return "nft marked=" + net.counter("marked") + " premarked=" + net.counter("premarked") + " unmarked="
                + net.counter("unmarked") + " other=" + net.counter("other") + "; counters "
                + queue.counters().snapshot();
    }

    @ParameterizedTest
    @EnumSource(value = NfQueueTransport.class, names = {"EPOLL", "IO_URING"})
    void everyPacketIsVerdictedWithTheSubscribersMark(NfQueueTransport transport) {
        int n = 2000;
        NfQueue q = open(transport, NfQueueConfig.defaults(QUEUE), false);
        AtomicReference<Seen> first = new AtomicReference<>();
        subscription = q.packets().subscribe(p -> {
            first.compareAndSet(null, Seen.of(p));
            markByType(p);
        });
        awaitBound(q);

        net.send(n);

        await(n + " packets with type bits 0x01 after the queue", () -> net.counter("marked") == n, this::state);
        NfQueueCounters.Snapshot c = q.counters().snapshot();
        System.out.println("[" + transport.configName() + "] " + n + " packets: " + c);
        assertEquals(0, net.counter("unmarked"), this::state);
        assertEquals(n, c.received());
        assertEquals(n, c.verdicted());
        assertTrue(c.verdictBatches() > 0 && c.readBatches() > 0, c::toString);
        assertTrue(c.verdictBatches() <= c.readBatches(), "one send per read batch at most: " + c);
        assertEquals(0, c.missedVerdict() + c.idGaps() + c.malformedNetlink() + c.verdictErrors() + c.enobufs(),
                c::toString);
        assertTrue(c.verdictLatencyP99Nanos() > 0, c::toString);

        Seen seen = first.get();
        assertNotNull(seen);
        assertEquals(QUEUE, seen.queue());
        assertEquals(0, seen.hook(), "NF_INET_PRE_ROUTING");
        assertEquals(0x0800, seen.hwProtocol());
        assertEquals(TestNetwork.CLIENT_MAC_48, seen.l2Source());
        assertEquals(net.appInterfaceIndex(), seen.in());
        assertEquals(4, seen.ipVersion());
        assertEquals(67, seen.udpPort());
        assertEquals(20 + 8 + TestNetwork.PAYLOAD_BYTES, seen.length());
    }

    /**
     * The read loop's recvmmsg and send go through the FFM API on JDK 22+ and through JNA otherwise (or when asked):
     * both verdict every packet with the subscriber's mark, and the queue says which one it bound with.
     */
    @ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"jna", "ffm"})
    void bothNativeCallPathsVerdictEveryPacket(String kind) {
        assumeTrue(!kind.equals("ffm") || DataPathCalls.ffmUnavailable() == null,
                () -> "skipped: the FFM API is not usable on Java " + Runtime.version() + ": "
                        + DataPathCalls.ffmUnavailable());
        String before = System.getProperty(DataPathCalls.PROPERTY);
        System.setProperty(DataPathCalls.PROPERTY, kind);
        try {
            int n = 1000;
            NfQueue q = open(NfQueueTransport.EPOLL, NfQueueConfig.defaults(QUEUE), false);
            subscription = q.packets().subscribe(NfQueueKernelTest::markByType);
            awaitBound(q);
            assertEquals(kind, q.callsKind());

            net.send(n);

            await(n + " packets marked", () -> net.counter("marked") == n, this::state);
            NfQueueCounters.Snapshot c = q.counters().snapshot();
            assertEquals(0, net.counter("unmarked"), this::state);
            assertEquals(n, c.received(), c::toString);
            assertEquals(n, c.verdicted(), c::toString);
            assertEquals(0, c.missedVerdict() + c.idGaps() + c.malformedNetlink() + c.verdictErrors(), c::toString);
        } finally {
            if (before == null) {
                System.clearProperty(DataPathCalls.PROPERTY);
            } else {
                System.setProperty(DataPathCalls.PROPERTY, before);
            }
        }
    }

    @Test
    void anInvalidDescriptorAnswersEbadfThroughEitherCallPath() {
        assumeTrue(DataPathCalls.ffmUnavailable() == null, "the FFM API is not usable on this JDK");
        for (DataPathCalls calls : new DataPathCalls[] {new DataPathCalls.Jna(), new DataPathCalls.Ffm()}) {
            assertEquals(-Syscalls.EBADF, calls.send(-1, 0L, 0), calls.kind());
            assertEquals(-Syscalls.EBADF, calls.receive(-1, 0L, 1), calls.kind());
        }
    }

    @ParameterizedTest
    @EnumSource(value = NfQueueTransport.class, names = {"EPOLL", "IO_URING"})
    void missedVerdictsAreAcceptedWithThePacketsOwnMark(NfQueueTransport transport) {
        int n = 300;
        NfQueue q = open(transport, NfQueueConfig.defaults(QUEUE), true);
        subscription = q.packets().subscribe(p -> { });
        awaitBound(q);

        net.send(n);

        await(n + " packets passed with the mark they had before the queue",
                () -> net.counter("premarked") == n, this::state);
        NfQueueCounters.Snapshot c = q.counters().snapshot();
        assertEquals(n, c.missedVerdict(), c::toString);
        assertEquals(n, c.received());
        assertEquals(n, c.verdicted());
        assertEquals(0, net.counter("marked") + net.counter("unmarked") + net.counter("other"), this::state);
    }

    @ParameterizedTest
    @EnumSource(value = NfQueueTransport.class, names = {"EPOLL", "IO_URING"})
    void readingStopsWithoutDemandAndTheKernelFailsOpen(NfQueueTransport transport) {
        int maxLength = 16;
        int burst = 200;
        NfQueue q = open(transport, NfQueueConfig.defaults(QUEUE).withQueueMaxLength(maxLength), false);
        BaseSubscriber<QueuedPacket> tenOnly = requesting(10);
        q.packets().subscribe(tenOnly);
        subscription = tenOnly;
        awaitBound(q);

        net.send(10);
        await("the 10 requested packets marked", () -> net.counter("marked") == 10, this::state);
        net.send(burst);

        // No demand: nothing more is read, the kernel holds maxlen packets and fails the rest open, unmarked.
        await((burst - maxLength) + " packets passed unmarked by fail-open",
                () -> net.counter("unmarked") == burst - maxLength, this::state);
        NfQueueCounters.Snapshot c = q.counters().snapshot();
        assertEquals(10, c.received(), c::toString);
        assertEquals(10, net.counter("marked"));
        // A full queue fails packets open before the kernel numbers them, so they leave no gap in the ids.
        assertEquals(0, c.idGaps(), c::toString);

        // Cancelling closes gracefully: the held packets are accepted with their own (zero) mark, not dropped.
        tenOnly.dispose();
        await("the " + maxLength + " held packets accepted on close",
                () -> net.counter("unmarked") == burst, this::state);
        c = q.counters().snapshot();
        assertEquals(maxLength, c.acceptedUnseen(), c::toString);
        assertEquals(10 + maxLength, c.received());
        assertEquals(10 + maxLength, c.verdicted());
        await("queue unbound", () -> !q.isBound(), this::state);
    }

    @ParameterizedTest
    @EnumSource(value = NfQueueTransport.class, names = {"EPOLL", "IO_URING"})
    void aFullQueuesWorthOfFullReadsInARowIsReportedBacklogged(NfQueueTransport transport) {
        // Five reads of 64: not a multiple of the read budget (256), so the last drain sees the socket empty.
        int maxLength = 320;
        NfQueueConfig config = NfQueueConfig.defaults(QUEUE).withQueueMaxLength(maxLength);
        NfQueue q = open(transport, config, false);
        AtomicLong flagged = new AtomicLong();
        BaseSubscriber<QueuedPacket> oneAtFirst = pausedAfterOne(q, p -> {
            if (p.backlogged()) {
                flagged.incrementAndGet();
            }
        });

        // Input outran the reader: the kernel holds a full queue (the rest fails open). Read at last, it comes in
        // full reads of 64; the read that completes a queue's worth in a row is backlogged, then the socket is empty.
        int burst = 1000;
        net.send(burst);
        await("the overflow failed open", () -> net.counter("unmarked") == burst - maxLength, this::state);
        oneAtFirst.requestUnbounded();
        await("the held packets marked", () -> net.counter("marked") == 1 + maxLength, this::state);
        NfQueueCounters.Snapshot c = q.counters().snapshot();
        assertEquals(1, c.backloggedReads(), c::toString);
        assertEquals(config.batchSize(), flagged.get(), c::toString);

        // One packet alone: a short read, so the run of full reads is over even if the burst below had reached the
        // socket before the reader's next read saw it empty (a busy machine: the run would then go on into it).
        net.send(1);
        await("the lone packet marked", () -> net.counter("marked") == 2 + maxLength, this::state);
        // A burst the queue holds, read as it comes: never a queue's worth of full reads in a row.
        net.send(maxLength / 2);
        await("the burst marked", () -> net.counter("marked") == 2 + maxLength + maxLength / 2, this::state);
        c = q.counters().snapshot();
        assertEquals(1, c.backloggedReads(), c::toString);
        assertEquals(config.batchSize(), flagged.get(), c::toString);
        assertEquals(c.received(), c.verdicted(), c::toString);
    }

    @ParameterizedTest
    @EnumSource(value = NfQueueTransport.class, names = {"EPOLL", "IO_URING"})
    void socketBufferOverflowShowsAsPacketIdGaps(NfQueueTransport transport) {
        int burst = 300;
        NfQueue q = open(transport, NfQueueConfig.defaults(QUEUE).withReceiveBufferBytes(4096), false);

        // Paused with a tiny socket buffer: a few packets fit, the kernel fails the rest open after numbering them.
        overflowWhilePaused(q, burst, false);

        NfQueueCounters.Snapshot c = q.counters().snapshot();
        System.out.println("[" + transport.configName() + "] overflow: " + c + "; " + state());
        assertTrue(c.idGaps() > 0, c::toString);
        assertEquals(2 + burst, c.received() + c.idGaps(), c::toString);
        assertEquals(net.counter("unmarked"), c.idGaps(), this::state);
        assertEquals(net.counter("marked"), c.received(), this::state);
        assertEquals(0, c.enobufs(), "NETLINK_NO_ENOBUFS is on by default: " + c);
    }

    @ParameterizedTest
    @EnumSource(value = NfQueueTransport.class, names = {"EPOLL", "IO_URING"})
    void enobufsIsCountedAndReadingGoesOn(NfQueueTransport transport) {
        int burst = 300;
        NfQueueConfig config = NfQueueConfig.defaults(QUEUE).withReceiveBufferBytes(4096).withNoEnobufs(false);
        NfQueue q = open(transport, config, false);

        // Paused, the overflow raises ENOBUFS on the socket (EPOLLERR / POLLERR while not reading).
        overflowWhilePaused(q, burst, true);

        NfQueueCounters.Snapshot c = q.counters().snapshot();
        assertTrue(q.isBound(), c::toString);
        assertEquals(0, c.socketFailures(), c::toString);
        assertEquals(2 + burst, c.received() + c.idGaps(), c::toString);
    }

    @Test
    void aFatalSocketErrorEndsTheFluxWithTheError() {
        NfQueue q = open(NfQueueTransport.EPOLL, NfQueueConfig.defaults(QUEUE), false);
        StepVerifier.create(q.packets())
                .then(() -> {
                    awaitBound(q);
                    q.killSocketForTest();
                })
                .expectErrorMatches(e -> e instanceof IOException
                        && e.getMessage().contains("Bad file descriptor"))
                .verify(Duration.ofSeconds(20));
        assertEquals(1, q.counters().snapshot().socketFailures());
        assertFalse(q.isBound());
    }

    @ParameterizedTest
    @EnumSource(value = NfQueueTransport.class, names = {"EPOLL", "IO_URING"})
    void groupRebindsAQueueWhoseSocketDies(NfQueueTransport transport) {
        assumeTrue(transport.isAvailable(), () -> "skipped: " + transport.configName()
                + " is not available on this kernel/JVM: " + transport.unavailabilityCause());
        net = TestNetwork.create("--queue-num 1", false);
        NfQueueGroupConfig config = NfQueueGroupConfig.defaults()
                .withQueueCount(2)
                .withTransport(transport)
                .withNetworkNamespace(net.app());
        NfQueueGroup group = NfQueueGroup.start(config);
        try {
            assertEquals(transport, group.transport());
            NfQueue first = group.queue(1);
            AtomicReference<Boolean> completed = new AtomicReference<>(false);
            Disposable one = group.packets(1).subscribe(NfQueueKernelTest::markByType, e -> { },
                    () -> completed.set(true));
            Disposable two = group.packets(2).subscribe(NfQueueKernelTest::markByType);
            await("both queues bound", () -> first.isBound() && group.queue(2).isBound(), group.totals()::toString);

            net.send(50);
            await("50 marked", () -> net.counter("marked") == 50, () -> state(group));

            first.killSocketForTest();
            await("queue 1 re-bound", () -> first.counters().snapshot().recreated() == 1 && first.isBound(),
                    () -> state(group));
            net.send(50);
            await("100 marked", () -> net.counter("marked") == 100, () -> state(group));

            NfQueueCounters.Snapshot c = first.counters().snapshot();
            assertEquals(1, c.recreated(), c::toString);
            assertEquals(1, c.socketFailures(), c::toString);
            assertEquals(100, c.received());
            assertEquals(100, c.verdicted());
            assertEquals(0, net.counter("unmarked"), () -> state(group));

            group.close();
            assertFalse(first.isBound());
            assertTrue(completed.get(), "the supervised Flux completes on close");
            one.dispose();
            two.dispose();
        } finally {
            group.close();
        }
    }

    private String state(NfQueueGroup group) {
        return "nft marked=" + net.counter("marked") + " unmarked=" + net.counter("unmarked") + "; queue 1 "
                + group.queue(1).counters().snapshot();
    }

    @Test
    void aSecondSubscriberIsRejected() {
        NfQueue q = open(NfQueueTransport.EPOLL, NfQueueConfig.defaults(QUEUE), false);
        subscription = q.packets().subscribe(NfQueueKernelTest::markByType);
        awaitBound(q);
        StepVerifier.create(q.packets())
                .expectErrorMatches(e -> e instanceof IllegalStateException
                        && e.getMessage().contains("already has a subscriber"))
                .verify(Duration.ofSeconds(10));
        assertTrue(q.isBound(), "the first subscriber keeps the queue");
    }
    @Test
    void demandAskedForInsideOnNextIsServedWithoutALostPacket() {
        int n = 500;
        NfQueue q = open(NfQueueTransport.EPOLL, NfQueueConfig.defaults(QUEUE), false);
        // One packet at a time, each asked for while the previous one is handled: the read loop must see demand
        // that arrives during its own onNext call.
        BaseSubscriber<QueuedPacket> oneByOne = new BaseSubscriber<>() {
            @Override
            protected void hookOnSubscribe(Subscription s) {
                s.request(1);
            }

            @Override
            protected void hookOnNext(QueuedPacket p) {
                markByType(p);
                request(1);
            }
        };
        q.packets().subscribe(oneByOne);
        subscription = oneByOne;
        awaitBound(q);

        net.send(n);

        await(n + " packets marked", () -> net.counter("marked") == n, this::state);
        NfQueueCounters.Snapshot c = q.counters().snapshot();
        assertEquals(n, c.received(), c::toString);
        assertEquals(0, c.missedVerdict() + c.acceptedUnseen() + c.idGaps(), c::toString);
        assertEquals(0, net.counter("unmarked"), this::state);
    }

    @Test
    void aSupervisedQueueRejectsASecondSubscriberWithoutRetrying() {
        net = TestNetwork.create("--queue-num 1", false);
        NfQueueGroup group = NfQueueGroup.start(NfQueueGroupConfig.defaults().withNetworkNamespace(net.app()));
        try {
            Disposable first = group.packets(1).subscribe(NfQueueKernelTest::markByType);
            await("queue 1 bound", () -> group.queue(1).isBound(), group.totals()::toString);
            StepVerifier.create(group.packets(1))
                    .expectErrorMatches(e -> e instanceof IllegalStateException
                            && e.getMessage().contains("already has a subscriber"))
                    .verify(Duration.ofSeconds(10));
            assertEquals(0, group.queue(1).counters().snapshot().recreated(), "not a socket failure to re-bind");
            assertTrue(group.queue(1).isBound(), "the first subscriber keeps the queue");
            first.dispose();
        } finally {
            group.close();
        }
    }

    @Test
    void aGroupStartedAtAFirstQueueReadsThatKernelQueueAsItsQueueOne() {
        // Without bypass: a packet reaches the sink only through a reader of kernel queue 7.
        net = TestNetwork.create("--queue-num 7", false);
        NfQueueGroup group = NfQueueGroup.start(NfQueueGroupConfig.defaults().withQueueCount(1)
                .withNetworkNamespace(net.app()), 7);
        try {
            Disposable one = group.packets(1).subscribe(NfQueueKernelTest::markByType);
            await("queue 1 bound", () -> group.queue(1).isBound(), group.totals()::toString);
            assertEquals(7, group.queue(1).queueNumber());
            net.send(20);
            await("20 marked", () -> net.counter("marked") == 20, () -> state(group));
            assertEquals(20, group.queue(1).counters().snapshot().received());
            assertEquals(0, net.counter("unmarked"), () -> state(group));
            one.dispose();
        } finally {
            group.close();
        }
        assertThrows(IllegalArgumentException.class,
                () -> NfQueueGroup.start(NfQueueGroupConfig.defaults().withQueueCount(2), 65535));
    }

    @Test
    void closingTheGroupWhileAQueueWaitsToRebindCompletesItsFlux() {
        net = TestNetwork.create("--queue-num 1", false);
        NfQueueGroupConfig config = NfQueueGroupConfig.defaults().withNetworkNamespace(net.app())
                .withBackoff(Duration.ofMinutes(5), Duration.ofMinutes(5));
        NfQueueGroup group = NfQueueGroup.start(config);
        try {
            NfQueue first = group.queue(1);
            StepVerifier.create(group.packets(1))
                    .then(() -> {
                        await("queue 1 bound", first::isBound, group.totals()::toString);
                        first.killSocketForTest();
                        await("a re-bind counted", () -> first.counters().snapshot().recreated() == 1,
                                group.totals()::toString);
                        group.close();
                    })
                    .expectComplete()
                    .verify(Duration.ofSeconds(20));
            assertFalse(first.isBound());
        } finally {
            group.close();
        }
    }
}
