package io.dhcpshield.transport.nfqueue;

import io.dhcpshield.core.pipeline.QueuedPacket;
import io.dhcpshield.core.pipeline.ReadEndListener;
import io.dhcpshield.core.pipeline.Verdict;
import io.dhcpshield.transport.nfqueue.NfqParser.Kind;
import io.netty.channel.IoEventLoop;
import io.netty.channel.IoRegistration;
import io.netty.util.concurrent.Future;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.CoreSubscriber;

/**
 * One subscription's bound socket: the batch receive loop, demand gating, verdict flushing and the graceful close.
 * Everything except {@link #requested()} and {@link #disposed()} runs on the queue's event loop.
 */
final class QueueBinding {

    private static final Logger log = LoggerFactory.getLogger(QueueBinding.class);
    private static final int ENOTSOCK = 88;
    /** Datagrams read while waiting for the bind ACK before giving up. */
    private static final int BIND_READ_LIMIT = 1024;

    private enum State { NEW, OPEN, CLOSED }

    private final NfQueue queue;
    private final NfQueueConfig config;
    private final NfQueueCounters counters;
    private final IoEventLoop loop;
    private final QueueSubscription subscription;
    private final CoreSubscriber<? super QueuedPacket> subscriber;
    /** The subscriber's read-end listener from its Reactor context, or null. */
    private final ReadEndListener readEnd;
    /** Packets of the read being dispatched that were handed to the subscriber. */
    private int handed;
    /** The subscriber's demand as last read; compared with {@link #handed} while a read is dispatched. */
    private long demand;
    private final AtomicBoolean resumeScheduled = new AtomicBoolean();
    private volatile boolean paused;

    private State state = State.NEW;
    private NetlinkSocket socket;
    private ReceiveRing ring;
    private VerdictBatch verdicts;
    private NfqParser parser;
    private NfQueuePacket packet;
    private QueueReadiness readiness;
    private long lastPacketId;
    /** Packet messages of the read being dispatched; added to the counters once per read. */
    private long received;
    /**
     * Packets read in a row by full reads (every read came back with a whole batch: the kernel kept more waiting);
     * 0 after a read that emptied the socket. A socket that a full read emptied exactly as the read budget ran out
     * is not seen empty (level-triggered epoll reports it only when input comes), so such a run can go on with the
     * next full reads: rare, and it only brings a backlog forward by what those reads carry.
     */
    private long fullStreak;
    private int configSequence;

    QueueBinding(NfQueue queue, QueueSubscription subscription) {
        this.queue = queue;
        this.config = queue.config();
        this.counters = queue.counters();
        this.loop = queue.eventLoop();
        this.subscription = subscription;
        this.subscriber = subscription.subscriber();
        this.readEnd = subscription.readEnd();
    }

    QueueSubscription subscription() {
        return subscription;
    }

    String callsKind() {
        return socket.callsKind();
    }

    /** Downstream asked for more (any thread): resume reading on the loop if paused. */
    void requested() {
        if (paused && resumeScheduled.compareAndSet(false, true)) {
            try {
                loop.execute(this::resume);
            } catch (RejectedExecutionException e) {
                resumeScheduled.set(false);
            }
        }
    }

    /** The subscription ended (any thread): close on the loop, after the read in progress. */
    void disposed() {
        try {
            loop.execute(this::close);
        } catch (RejectedExecutionException e) {
            log.debug("nfqueue {}: event loop already shut down at dispose", config.queueNumber());
        }
    }

    /** Opens, binds and registers the socket, then starts reading. */
    void start() {
        if (state != State.NEW) {
            return;
        }
        try {
            socket = NetlinkSocket.open(config);
            ring = new ReceiveRing(config.batchSize(), config.rxSlotBytes());
            verdicts = new VerdictBatch(config.queueNumber(), config.batchSize(), counters);
            parser = new NfqParser(ring.memory(), counters);
            packet = new NfQueuePacket(ring.buffer(), verdicts);
            bind();
            socket.nonBlocking();
        } catch (IOException e) {
            fail(e);
            return;
        } catch (RuntimeException e) {
            fail("opening the queue socket", e);
            return;
        }
        readiness = queue.usesIoUring()
                ? new IoUringQueueHandle(this, socket, loop)
                : new EpollQueueHandle(this, socket);
        loop.register(readiness).addListener(this::registered);
    }

    private void registered(Future<? super IoRegistration> future) {
        if (!future.isSuccess()) {
            fail("register with the event loop", future.cause());
            return;
        }
        IoRegistration registration = (IoRegistration) future.getNow();
        if (state != State.NEW) {
            registration.cancel();
            return;
        }
        state = State.OPEN;
        readiness.registered(registration);
        queue.bindingOpened(this);
        log.info("nfqueue {} bound: {} ({} calls), portid {}, rcvbuf {} bytes, maxlen {}, copy range {}, fail-open {}",
                config.queueNumber(), queue.usesIoUring() ? "io_uring" : "epoll", socket.callsKind(), socket.portId(),
                socket.receiveBufferBytes(), config.queueMaxLength(), config.copyRange(), config.failOpen());
        readiness.reading(true);
        drain();
    }

    /** The socket has input (or a drain was re-scheduled). */
    void readable() {
        if (state == State.OPEN && !paused) {
            drain();
        }
    }

    /** The socket reported an error condition: read it; ENOBUFS is counted and survived, anything else is fatal. */
    void socketError(boolean hangUp) {
        if (state != State.OPEN) {
            return;
        }
        int errno = socket.takeError();
        if (errno == Syscalls.ENOBUFS) {
            counters.enobufs.increment();
        } else if (errno != 0) {
            fail(NetlinkSocket.failure("socket", errno));
        } else if (hangUp) {
            fail(new IOException("netlink socket hung up"));
        }
    }

    private void resume() {
        resumeScheduled.set(false);
        if (state != State.OPEN || !paused) {
            return;
        }
        paused = false;
        readiness.reading(true);
        drain();
    }

    /** Reads batches while there is demand and budget; the verdicts of each batch leave in one send. */
    private void drain() {
        int budget = config.readBudget();
        while (state == State.OPEN && !subscription.isCancelled()) {
            long demand = subscription.requested();
            if (demand <= 0) {
                if (pauseUnlessDemand()) {
                    continue;
                }
                return;
            }
            if (budget <= 0) {
                readiness.budgetExhausted();
                return;
            }
            int want = (int) Math.min(Math.min(ring.batch(), budget), demand);
            int n = socket.receive(ring.vector(), want);
            if (n > 0) {
                budget -= n;
                dispatch(n, true);
                if (n < want) {
                    // The socket had less than asked: it is empty now. Level-triggered epoll and the multishot poll
                    // both report input that arrives from here on, so a read that would only say EAGAIN is saved.
                    return;
                }
                continue;
            }
            int errno = -n;
            if (n == 0 || errno == Syscalls.EAGAIN) {
                fullStreak = 0;
                return;
            }
            if (errno == Syscalls.ENOBUFS) {
                counters.enobufs.increment();
            } else if (errno != Syscalls.EINTR) {
                fail(NetlinkSocket.failure("recvmmsg", errno));
                return;
            }
        }
    }

    /**
     * Stops reading; the kernel queue then fills and fail-open passes new packets. The volatile {@code paused} is
     * written before demand is read again, so a request racing with the pause is never lost.
     */
    private boolean pauseUnlessDemand() {
        paused = true;
        readiness.reading(false);
        if (subscription.requested() > 0 && !subscription.isCancelled()) {
            paused = false;
            readiness.reading(true);
            return true;
        }
        return false;
    }

    /** Parses the datagrams of one read, hands packets on (or accepts them unseen), then sends the verdicts. */
    private void dispatch(int datagrams, boolean emit) {
        long now = System.nanoTime();
        demand = subscription.requested();
        verdicts.begin(now);
        counters.readBatch(datagrams);
        // Backlogged: the queue has not emptied for as long as it takes to read as many packets as it holds. No
        // burst the queue can hold does that; sustained input faster than the reader does (fail-open is next).
        fullStreak = datagrams == ring.batch() ? fullStreak + datagrams : 0;
        packet.backlogged = fullStreak >= config.queueMaxLength();
        if (packet.backlogged) {
            counters.backloggedReads.increment();
        }
        long bytes = 0;
        for (int i = 0; i < datagrams && state == State.OPEN; i++) {
            int length = ring.length(i);
            bytes += length;
            parser.reset(ring.offset(i), length);
            for (Kind kind = parser.next(packet); kind != Kind.END; kind = parser.next(packet)) {
                if (kind == Kind.PACKET) {
                    offer(emit, now);
                } else if (kind == Kind.MALFORMED && packet.packetId >= 0) {
                    answerMalformed();
                } else if (kind == Kind.ERROR_REPLY) {
                    counters.verdictErrors.increment();
                }
            }
        }
        counters.bytes.add(bytes);
        flush();
        if (handed > 0) {
            subscription.produced(handed);
            handed = 0;
            readEnded();
        }
    }

    /** After the verdicts of a read are out: the subscriber may now do what it gathered per read (events). */
    private void readEnded() {
        if (readEnd != null) {
            try {
                readEnd.readEnded();
            } catch (RuntimeException e) {
                log.warn("nfqueue {}: subscriber failed at the end of a read", config.queueNumber(), e);
            }
        }
    }

    private void offer(boolean emit, long now) {
        received++;
        trackId(packet.packetId);
        if (verdicts.isFull()) {
            flush();
        }
        packet.receivedNanos = now;
        if (emit && hasDemand()) {
            handed++;
            try {
                subscriber.onNext(packet);
            } catch (RuntimeException e) {
                log.warn("nfqueue {}: subscriber failed on packet {}", config.queueNumber(), packet.packetId, e);
            }
            if (!packet.verdicted) {
                packet.verdicted = true;
                verdicts.add(packet.packetId, Verdict.ACCEPT.code(), packet.mark, true);
                counters.missedVerdict.increment();
            }
        } else {
            packet.verdicted = true;
            verdicts.add(packet.packetId, Verdict.ACCEPT.code(), packet.mark, true);
            counters.acceptedUnseen.increment();
        }
    }

    /** The subscriber wants another packet of this read (it may have asked for more while handling the last one). */
    private boolean hasDemand() {
        if (subscription.isCancelled()) {
            return false;
        }
        if (handed < demand) {
            return true;
        }
        demand = subscription.requested();
        return handed < demand;
    }

    /** A malformed message that still carried its id: accept it without touching its mark. */
    private void answerMalformed() {
        received++;
        trackId(packet.packetId);
        if (verdicts.isFull()) {
            flush();
        }
        verdicts.add(packet.packetId, Verdict.ACCEPT.code(), 0, false);
        counters.acceptedUnseen.increment();
    }

    /** Ids a queue hands out rise by one; a jump means the kernel passed packets it could not deliver to us. */
    private void trackId(long id) {
        long jump = (id - lastPacketId) & 0xffffffffL;
        if (jump > 1 && jump < 0x8000_0000L) {
            counters.idGaps.add(jump - 1);
        }
        lastPacketId = id;
    }

    /** Counts the packets read so far (before their verdicts, so received never trails verdicted). */
    private void countReceived() {
        if (received > 0) {
            counters.received.add(received);
            received = 0;
        }
    }

    private void flush() {
        countReceived();
        int result = verdicts.send(socket);
        if (result >= 0) {
            return;
        }
        int errno = -result;
        if (errno == Syscalls.EBADF || errno == ENOTSOCK) {
            fail(NetlinkSocket.failure("send(verdicts)", errno));
        } else {
            log.debug("nfqueue {}: verdict send failed: {}", config.queueNumber(), Syscalls.describe(errno));
        }
    }

    /**
     * Sends the bind CONFIG and waits for its ACK. The kernel handles a request inside send(), so the ACK is already
     * queued when send returns; a packet queued just after the bind may still come first, and is accepted unseen.
     */
    private void bind() throws IOException {
        byte[] message = new byte[NfqWire.CONFIG_MAX_LEN];
        int sequence = ++configSequence;
        int length = NfqWire.writeBind(ByteBuffer.wrap(message).order(ByteOrder.nativeOrder()), sequence, config);
        int sent = socket.send(message, length);
        if (sent < 0) {
            throw NetlinkSocket.failure("send(NFQNL_CFG_CMD_BIND)", -sent);
        }
        for (int reads = 0; reads < BIND_READ_LIMIT; reads++) {
            int n = socket.receiveBlocking(ring.vector(), 1);
            if (n == -Syscalls.EINTR) {
                continue;
            }
            if (n <= 0) {
                throw NetlinkSocket.failure("waiting for the ACK of the bind of queue " + config.queueNumber(), -n);
            }
            verdicts.begin(System.nanoTime());
            parser.reset(ring.offset(0), ring.length(0));
            boolean acknowledged = false;
            for (Kind kind = parser.next(packet); kind != Kind.END; kind = parser.next(packet)) {
                if ((kind == Kind.ACK || kind == Kind.ERROR_REPLY) && parser.sequence() == sequence) {
                    if (kind == Kind.ERROR_REPLY) {
                        throw bindRefused(parser.error());
                    }
                    acknowledged = true;
                } else if (kind == Kind.PACKET) {
                    offer(false, System.nanoTime());
                } else if (kind == Kind.MALFORMED && packet.packetId >= 0) {
                    answerMalformed();
                }
            }
            countReceived();
            verdicts.send(socket);
            if (acknowledged) {
                return;
            }
        }
        throw new IOException("no ACK to the bind of queue " + config.queueNumber() + " in " + BIND_READ_LIMIT
                + " messages");
    }

    private IOException bindRefused(int errno) {
        String why = switch (errno) {
            case Syscalls.EPERM -> "the queue is bound by another netlink socket (another reader, or one still"
                    + " closing)";
            case Syscalls.EBUSY -> "this socket already bound the queue";
            default -> Syscalls.describe(errno);
        };
        return new IOException("binding nfqueue " + config.queueNumber() + " was refused: " + why);
    }

    /**
     * Graceful close: stop reading; with fail-open set maxlen 0 so new packets pass instead of queueing; accept what
     * is still in the socket with each packet's own mark; unbind; close. Unbinding first would make the kernel drop
     * every packet still queued.
     */
    void close() {
        if (state == State.CLOSED) {
            return;
        }
        if (state == State.OPEN) {
            paused = true;
            readiness.reading(false);
            acceptRemaining();
            if (state == State.OPEN) {
                byte[] message = new byte[NfqWire.CONFIG_MAX_LEN];
                int length = NfqWire.writeUnbind(ByteBuffer.wrap(message).order(ByteOrder.nativeOrder()),
                        ++configSequence, config.queueNumber());
                socket.send(message, length);
                log.info("nfqueue {} unbound: {}", config.queueNumber(), counters.snapshot());
            }
        }
        teardown();
        subscription.complete();
    }

    private void acceptRemaining() {
        if (config.failOpen()) {
            byte[] message = new byte[NfqWire.CONFIG_MAX_LEN];
            int length = NfqWire.writeMaxLength(ByteBuffer.wrap(message).order(ByteOrder.nativeOrder()),
                    ++configSequence, config.queueNumber(), 0);
            socket.send(message, length);
        }
        // Without fail-open new packets keep arriving; the bound keeps the close finite.
        int rounds = config.queueMaxLength() / ring.batch() + 2;
        for (int i = 0; i < rounds && state == State.OPEN; i++) {
            int n = socket.receive(ring.vector(), ring.batch());
            if (n > 0) {
                dispatch(n, false);
            } else if (n != -Syscalls.EINTR && n != -Syscalls.ENOBUFS) {
                return;
            }
        }
    }

    void fail(String operation, int errno) {
        fail(NetlinkSocket.failure(operation, errno));
    }

    void fail(String operation, Throwable cause) {
        fail(new IOException(operation + " failed: " + cause, cause));
    }

    /** A fatal error: count it, release everything, and end the Flux with the error (the supervisor re-binds). */
    private void fail(IOException error) {
        if (state == State.CLOSED) {
            return;
        }
        counters.socketFailures.increment();
        log.warn("nfqueue {} failed: {}", config.queueNumber(), error.getMessage());
        teardown();
        subscription.failed(error);
    }

    private void teardown() {
        state = State.CLOSED;
        if (readiness != null) {
            readiness.detach();
        }
        if (socket != null) {
            socket.close();
        }
        queue.bindingClosed(this);
    }

    /** Test hook: close the file descriptor under the reader, which finds out on its next read. */
    void killSocketForTest() {
        if (state == State.OPEN) {
            socket.close();
            drain();
        }
    }
}
