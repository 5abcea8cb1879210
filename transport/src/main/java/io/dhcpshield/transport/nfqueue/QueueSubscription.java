package io.dhcpshield.transport.nfqueue;

import io.dhcpshield.core.pipeline.QueuedPacket;
import io.dhcpshield.core.pipeline.ReadEndListener;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongFieldUpdater;
import java.util.function.BooleanSupplier;
import org.reactivestreams.Subscription;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Operators;

/**
 * The one subscriber of a queue and the bindings that serve it, one after another: its demand, its cancellation, and
 * (supervised) the re-binds after a socket failure. The packets go straight from the read loop to the subscriber's
 * {@code onNext}; demand is settled once per read, not per packet: a Reactor sink and a retry operator between the
 * read loop and the pipeline cost five atomic operations per packet and bought nothing (everything happens on the
 * queue's event loop).
 */
final class QueueSubscription implements Subscription {

    private static final Logger log = LoggerFactory.getLogger(QueueSubscription.class);
    private static final AtomicLongFieldUpdater<QueueSubscription> REQUESTED =
            AtomicLongFieldUpdater.newUpdater(QueueSubscription.class, "requested");

    /** Re-binding after a socket failure: exponential backoff with jitter, while {@code wanted} says so. */
    record Supervision(Duration minBackoff, Duration maxBackoff, BooleanSupplier wanted) {
    }

    /** The Flux of a queue's packets: one {@link QueueSubscription} per subscriber. */
    static Flux<QueuedPacket> flux(NfQueue queue, Supervision supervision) {
        return new Flux<>() {
            @Override
            public void subscribe(CoreSubscriber<? super QueuedPacket> actual) {
                QueueSubscription subscription = new QueueSubscription(queue, actual, supervision);
                actual.onSubscribe(subscription);
                subscription.bindNew();
            }
        };
    }

    private final NfQueue queue;
    private final CoreSubscriber<? super QueuedPacket> actual;
    private final Supervision supervision;
    /** The subscriber's read-end listener from its Reactor context, or null. */
    private final ReadEndListener readEnd;
    private volatile long requested;
    private volatile boolean cancelled;
    private volatile QueueBinding binding;
    /** The subscriber saw onComplete or onError (event loop only). */
    private boolean terminated;
    /** Re-binds since a binding last handed on a packet (event loop only). */
    private int attempts;

    private QueueSubscription(NfQueue queue, CoreSubscriber<? super QueuedPacket> actual, Supervision supervision) {
        this.queue = queue;
        this.actual = actual;
        this.supervision = supervision;
        this.readEnd = actual.currentContext().getOrDefault(ReadEndListener.class, null);
    }

    @Override
    public void request(long n) {
        if (!Operators.validate(n)) {
            return;
        }
        Operators.addCap(REQUESTED, this, n);
        QueueBinding b = binding;
        if (b != null) {
            b.requested();
        }
    }

    @Override
    public void cancel() {
        if (cancelled) {
            return;
        }
        cancelled = true;
        QueueBinding b = binding;
        if (b != null) {
            b.disposed();
        }
    }

    /** What the subscriber asked for and was not yet given (packets handed on in the current read not deducted). */
    long requested() {
        return requested;
    }

    boolean isCancelled() {
        return cancelled;
    }

    /** A read handed on {@code n} packets (event loop): deducted from the demand once per read. */
    void produced(long n) {
        attempts = 0;
        Operators.produced(REQUESTED, this, n);
    }

    CoreSubscriber<? super QueuedPacket> subscriber() {
        return actual;
    }

    ReadEndListener readEnd() {
        return readEnd;
    }

    /** Starts a new binding for this subscriber on the queue's event loop. */
    private void bindNew() {
        QueueBinding b = new QueueBinding(queue, this);
        binding = b;
        queue.start(b);
    }

    /** The queue closed (or this subscriber cancelled) and its binding let go: the Flux completes. */
    void complete() {
        if (terminated) {
            return;
        }
        terminated = true;
        if (!cancelled) {
            actual.onComplete();
        }
    }

    /** The binding could not start or its socket failed (event loop): re-bind with backoff, or end with the error. */
    void failed(Throwable error) {
        if (terminated) {
            return;
        }
        if (supervision != null && error instanceof IOException && !cancelled && !queue.isClosed()
                && supervision.wanted().getAsBoolean()) {
            long delay = backoffNanos(attempts++);
            queue.counters().recreated.increment();
            log.warn("nfqueue {}: re-binding in {} ms after: {}", queue.queueNumber(),
                    TimeUnit.NANOSECONDS.toMillis(delay), error.getMessage());
            try {
                queue.eventLoop().schedule(this::bindNew, delay, TimeUnit.NANOSECONDS);
                queue.awaitingRebind(this);
                return;
            } catch (RuntimeException e) {
                // The event loop is shutting down: end with the error below.
            }
        }
        terminated = true;
        if (!cancelled) {
            actual.onError(error);
        }
    }

    /** min × 2^attempt, at most max, ±50 % jitter (as Reactor's Retry.backoff). */
    private long backoffNanos(int attempt) {
        long min = supervision.minBackoff().toNanos();
        long max = supervision.maxBackoff().toNanos();
        long base = attempt >= 62 || min > (max >> Math.min(attempt, 62)) ? max : Math.min(max, min << attempt);
        long jitter = base / 2;
        long delay = base - jitter + ThreadLocalRandom.current().nextLong(2 * jitter + 1);
        return Math.max(min, Math.min(max, delay));
    }
}
