package io.dhcpshield.core.event;

import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxSink;
import reactor.core.scheduler.Scheduler;

import java.util.List;
import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * The multicast point after the verdict: every event goes to every subscriber (ClickHouse writer, WebSocket hub,
 * alarms, capture) without ever blocking the publisher. Each subscriber has its own bounded buffer, drained on its
 * own scheduler (every millisecond, and whenever it requests more) at the pace its Flux is requested; when the
 * buffer is full the event is dropped and counted for that subscriber only. For each subscriber:
 * published = delivered + dropped + buffered. Publishing is a queue offer and two counter updates.
 */
public final class EventFanout<T> {

    private final List<Channel<T>> channels = new CopyOnWriteArrayList<>();
    /** How often a subscriber's buffer is drained when no new demand arrives. */
    static final long DRAIN_PERIOD_MICROS = 1_000;

    private final List<SubscriberStats> retired = new CopyOnWriteArrayList<>();
    private final LongAdder published = new LongAdder();

    /** Counts of one subscriber. */
    public record SubscriberStats(String name, int capacity, long delivered, long dropped, int buffered) {
    }

    /** Hands {@code event} to every subscriber; never blocks, never throws. */
    public void publish(T event) {
        published.increment();
        for (Channel<T> c : channels) {
            c.offer(event);
        }
    }

    /**
     * Ends every subscriber's stream once its buffer is delivered (shutdown): late publishes are dropped and counted.
     */
    public void complete() {
        for (Channel<T> c : channels) {
            c.completing = true;
            c.schedule();
        }
    }

    /** True when at least one subscriber is attached, so callers can skip building events nobody reads. */
    public boolean hasSubscribers() {
        return !channels.isEmpty();
    }

    public long published() {
        return published.sum();
    }

    /**
     * A subscriber's stream: events published after subscription, buffered up to {@code capacity}, delivered on
     * {@code scheduler}. Cancelling the Flux detaches the subscriber.
     */
    public Flux<T> subscribe(String name, int capacity, Scheduler scheduler) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(scheduler, "scheduler");
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be >= 1, was " + capacity);
        }
        return Flux.create(sink -> {
            Channel<T> channel = new Channel<>(name, capacity, sink, scheduler.createWorker());
            channels.add(channel);
            sink.onRequest(n -> channel.schedule());
            // Publishers never wake the subscriber's thread (a wake-up per event costs the verdict path more than
            // the event itself): the channel drains on a short period, and right away when demand arrives.
            channel.worker.schedulePeriodically(channel::schedule, DRAIN_PERIOD_MICROS, DRAIN_PERIOD_MICROS,
                    java.util.concurrent.TimeUnit.MICROSECONDS);
            sink.onDispose(() -> {
                channels.remove(channel);
                channel.worker.dispose();
                retired.add(channel.stats());
            });
        }, FluxSink.OverflowStrategy.ERROR);
    }

    /** Counts of every attached subscriber, then of detached ones. */
    public List<SubscriberStats> stats() {
        List<SubscriberStats> out = new java.util.ArrayList<>();
        for (Channel<T> c : channels) {
            out.add(c.stats());
        }
        out.addAll(retired);
        return out;
    }

    private static final class Channel<T> {
        final String name;
        final int capacity;
        final FluxSink<T> sink;
        final Scheduler.Worker worker;
        final Queue<T> queue = new ConcurrentLinkedQueue<>();
        final AtomicInteger size = new AtomicInteger();
        final AtomicInteger wip = new AtomicInteger();
        final LongAdder delivered = new LongAdder();
        final LongAdder dropped = new LongAdder();
        final Runnable drain = this::drain;
        volatile boolean completing;
        private boolean completed;

        Channel(String name, int capacity, FluxSink<T> sink, Scheduler.Worker worker) {
            this.name = name;
            this.capacity = capacity;
            this.sink = sink;
            this.worker = worker;
        }

        void offer(T event) {
            if (completing) {
                dropped.increment();
                return;
            }
            if (size.incrementAndGet() > capacity) {
                size.decrementAndGet();
                dropped.increment();
                return;
            }
            queue.offer(event);
        }

        void schedule() {
            if (wip.getAndIncrement() == 0) {
                worker.schedule(drain);
            }
        }

        /** Emits while there is demand; the wip counter makes drains serial and never lost. */
        void drain() {
            int missed = 1;
            do {
                long requested = sink.requestedFromDownstream();
                while (requested > 0 && !sink.isCancelled()) {
                    T e = queue.poll();
                    if (e == null) {
                        break;
                    }
                    size.decrementAndGet();
                    delivered.increment();
                    sink.next(e);
                    requested--;
                    if (requested == 0) {
                        requested = sink.requestedFromDownstream();
                    }
                }
                if (completing && !completed && queue.isEmpty()) {
                    completed = true;
                    sink.complete();
                }
                missed = wip.addAndGet(-missed);
            } while (missed != 0);
        }

        SubscriberStats stats() {
            return new SubscriberStats(name, capacity, delivered.sum(), dropped.sum(), size.get());
        }
    }
}
