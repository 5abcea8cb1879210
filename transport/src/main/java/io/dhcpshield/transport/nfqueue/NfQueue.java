package io.dhcpshield.transport.nfqueue;

import io.dhcpshield.core.pipeline.QueuedPacket;
import io.netty.channel.IoEventLoop;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.uring.IoUringIoHandler;
import java.util.Objects;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import reactor.core.publisher.Flux;

/**
 * One netfilter queue read through one netlink socket on one epoll or io_uring event loop. The queue is bound while
 * {@link #packets()} is subscribed; counters survive re-binds.
 */
public final class NfQueue implements AutoCloseable {

    private static final long CLOSE_TIMEOUT_SECONDS = 5;

    private final IoEventLoop loop;
    private final NfQueueConfig config;
    private final NfQueueCounters counters = new NfQueueCounters();
    private final boolean ioUring;
    private QueueBinding current;
    /** A subscriber between a failed binding and its re-bind (event loop only). */
    private QueueSubscription rebinding;
    private volatile boolean bound;
    /** What makes the bound socket's recvmmsg and send calls ("ffm" or "jna"), null while unbound. */
    private volatile String callsKind;
    private volatile boolean closed;

    /**
     * @param loop an event loop of a group made with {@code EpollIoHandler.newFactory()} or
     *     {@code IoUringIoHandler.newFactory()}; the socket is created on it, so it also picks the network namespace
     */
    public NfQueue(IoEventLoop loop, NfQueueConfig config) {
        this.loop = Objects.requireNonNull(loop, "loop");
        this.config = Objects.requireNonNull(config, "config");
        if (loop.isIoType(EpollIoHandler.class)) {
            ioUring = false;
        } else if (loop.isIoType(IoUringIoHandler.class)) {
            ioUring = true;
        } else {
            throw new IllegalArgumentException("nfqueue needs an epoll or io_uring event loop, got " + loop);
        }
    }

    /**
     * The queued packets, for one subscriber at a time. Subscribing binds the queue; reads follow demand (no demand:
     * no reads, the kernel queue fills and fail-open passes packets); cancelling closes gracefully. Each packet is
     * a reused flyweight to answer synchronously in {@code onNext}: unanswered packets are accepted with their own
     * mark and counted as missed. A fatal socket error ends the Flux with an {@link java.io.IOException}.
     */
    public Flux<QueuedPacket> packets() {
        return QueueSubscription.flux(this, null);
    }

    /** {@link #packets()}, re-bound with backoff after a socket failure while {@code supervision} wants it. */
    Flux<QueuedPacket> packets(QueueSubscription.Supervision supervision) {
        return QueueSubscription.flux(this, Objects.requireNonNull(supervision, "supervision"));
    }

    /** Starts {@code binding} on the event loop (any thread). */
    void start(QueueBinding binding) {
        try {
            loop.execute(() -> startOnLoop(binding));
        } catch (RejectedExecutionException e) {
            binding.subscription().failed(new IllegalStateException("nfqueue " + config.queueNumber()
                    + ": event loop is shut down", e));
        }
    }

    private void startOnLoop(QueueBinding binding) {
        QueueSubscription subscription = binding.subscription();
        if (rebinding == subscription) {
            rebinding = null;
        }
        if (closed || subscription.isCancelled()) {
            subscription.complete();
        } else if (current != null) {
            subscription.failed(new IllegalStateException("nfqueue " + config.queueNumber()
                    + " already has a subscriber"));
        } else {
            current = binding;
            binding.start();
        }
    }

    /** {@code subscription} waits to re-bind (event loop): closing the queue meanwhile completes it. */
    void awaitingRebind(QueueSubscription subscription) {
        rebinding = subscription;
    }

    void bindingOpened(QueueBinding binding) {
        if (current == binding) {
            callsKind = binding.callsKind();
            bound = true;
        }
    }

    void bindingClosed(QueueBinding binding) {
        if (current == binding) {
            current = null;
            bound = false;
        }
    }

    public int queueNumber() {
        return config.queueNumber();
    }

    public NfQueueConfig config() {
        return config;
    }

    public NfQueueCounters counters() {
        return counters;
    }

    public IoEventLoop eventLoop() {
        return loop;
    }

    /** True while a socket is bound to the queue and being read: the queue's health. */
    public boolean isBound() {
        return bound;
    }

    public boolean isClosed() {
        return closed;
    }

    /** "ffm" (the Java FFM API, JDK 22+) or "jna": what makes the read loop's native calls; null until bound. */
    public String callsKind() {
        return callsKind;
    }

    boolean usesIoUring() {
        return ioUring;
    }

    /**
     * Closes gracefully (see {@link #packets()}): the subscriber sees onComplete; later subscriptions complete. Waits
     * for the close unless called on the queue's own event loop (say from {@code onNext}), where it is only scheduled.
     */
    @Override
    public void close() {
        closed = true;
        try {
            if (loop.inEventLoop()) {
                loop.execute(this::closeCurrent);
                return;
            }
            loop.submit(this::closeCurrent).await(CLOSE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (RejectedExecutionException e) {
            // The loop is gone; its shutdown closed the handle.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void closeCurrent() {
        if (current != null) {
            current.close();
        } else if (rebinding != null) {
            rebinding.complete();
            rebinding = null;
        }
    }

    /** Test hook: closes the bound socket's file descriptor under the reader. */
    void killSocketForTest() {
        loop.execute(() -> {
            if (current != null) {
                current.killSocketForTest();
            }
        });
    }
}
