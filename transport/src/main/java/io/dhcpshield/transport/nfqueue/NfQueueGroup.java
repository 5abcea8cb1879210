package io.dhcpshield.transport.nfqueue;

import io.dhcpshield.core.pipeline.QueuedPacket;
import io.netty.channel.IoEventLoop;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.EventExecutor;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;

/**
 * Queues 1..queueCount spread over the event loops of one Netty group, each exposed as a supervised Flux that
 * re-binds with backoff when its socket dies. {@link #close()} closes every queue gracefully, then the group.
 */
public final class NfQueueGroup implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(NfQueueGroup.class);
    private static final long SHUTDOWN_TIMEOUT_SECONDS = 5;

    private final NfQueueGroupConfig config;
    private final NfQueueTransport transport;
    private final MultiThreadIoEventLoopGroup group;
    private final List<NfQueue> queues = new ArrayList<>();

    private NfQueueGroup(NfQueueGroupConfig config, int firstQueue) {
        this.config = Objects.requireNonNull(config, "config");
        this.transport = config.transport().resolve();
        int loops = config.eventLoops() > 0 ? config.eventLoops()
                : Math.min(Runtime.getRuntime().availableProcessors(), config.queueCount());
        ThreadFactory threads = new DefaultThreadFactory("nfqueue");
        if (!config.networkNamespace().isEmpty()) {
            threads = NetworkNamespace.threadFactory(config.networkNamespace(), threads);
        }
        this.group = new MultiThreadIoEventLoopGroup(loops, threads, transport.ioHandlerFactory());
        List<IoEventLoop> eventLoops = new ArrayList<>();
        for (EventExecutor executor : group) {
            eventLoops.add((IoEventLoop) executor);
        }
        for (int n = 1; n <= config.queueCount(); n++) {
            queues.add(new NfQueue(eventLoops.get((n - 1) % loops),
                    config.queue().withQueueNumber(firstQueue + n - 1)));
        }
        log.info("nfqueue group: queues {}..{} on {} {} event loop(s){}", firstQueue,
                firstQueue + config.queueCount() - 1, loops, transport.configName(),
                config.networkNamespace().isEmpty() ? "" : " in network namespace " + config.networkNamespace());
    }

    /** Starts the event loops; a queue binds when its {@link #packets(int)} is subscribed. */
    public static NfQueueGroup start(NfQueueGroupConfig config) {
        return start(config, 1);
    }

    /**
     * A group whose queue {@code n} (1..queueCount, as {@link #packets} and {@link #queue} number them) reads kernel
     * queue {@code firstQueue + n - 1}: benchmarks run two daemons side by side in one lab this way.
     */
    public static NfQueueGroup start(NfQueueGroupConfig config, int firstQueue) {
        if (firstQueue < 0 || firstQueue + config.queueCount() - 1 > 0xffff) {
            throw new IllegalArgumentException("queues " + firstQueue + ".." + (firstQueue + config.queueCount() - 1)
                    + " are outside 0..65535");
        }
        return new NfQueueGroup(config, firstQueue);
    }

    /**
     * Queue {@code queueNumber}'s packets (see {@link NfQueue#packets()}), re-bound with exponential backoff
     * whenever the socket fails; each re-bind attempt counts in {@code recreated}. Completes when the group closes.
     */
    public Flux<QueuedPacket> packets(int queueNumber) {
        return queue(queueNumber).packets(new QueueSubscription.Supervision(config.minBackoff(), config.maxBackoff(),
                () -> !group.isShuttingDown()));
    }

    /** Queue {@code queueNumber} (1..queueCount), for its counters and health. */
    public NfQueue queue(int queueNumber) {
        if (queueNumber < 1 || queueNumber > queues.size()) {
            throw new IllegalArgumentException("nfqueue queue number must be 1.." + queues.size() + ", was "
                    + queueNumber);
        }
        return queues.get(queueNumber - 1);
    }

    public List<NfQueue> queues() {
        return List.copyOf(queues);
    }

    /** The transport actually used (auto resolved). */
    public NfQueueTransport transport() {
        return transport;
    }

    /** The sum of every queue's counters. */
    public NfQueueCounters.Snapshot totals() {
        NfQueueCounters.Snapshot sum = NfQueueCounters.Snapshot.empty();
        for (NfQueue queue : queues) {
            sum = sum.plus(queue.counters().snapshot());
        }
        return sum;
    }

    @Override
    public void close() {
        for (NfQueue queue : queues) {
            queue.close();
        }
        group.shutdownGracefully(0, SHUTDOWN_TIMEOUT_SECONDS, TimeUnit.SECONDS)
                .awaitUninterruptibly(SHUTDOWN_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }
}
