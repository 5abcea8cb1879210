package io.dhcpshield.core.event;

import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Operators;
import reactor.core.scheduler.Scheduler;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongFieldUpdater;
import java.util.concurrent.atomic.LongAdder;

/**
 * The multicast point after the verdict: every event goes to every subscriber (ClickHouse writer, WebSocket hub,
 * alarms, capture) without ever blocking the publisher. Each subscriber has its own bounded buffer, drained on its
 * own scheduler at the pace its Flux is requested; when the buffer is full the event is dropped and counted for that
 * subscriber only. For each subscriber: published = delivered + dropped + buffered.
 *
 * <p>Publishers never wake a subscriber's thread per event (a wake-up per event costs the verdict path more than the
 * event itself), and an idle fan-out wakes nobody: the first event after a quiet spell arms a drain
 * {@link #DRAIN_DELAY_MICROS} later; a buffer that reaches half its capacity is drained at once; new demand drains
 * at once. A timed drain that delivered events arms the next one itself, on the subscriber's thread, so under a
 * steady load the publishers arm nothing (arming from another thread wakes the subscriber's thread to re-sort its
 * timers: a futex call on the verdict path and a second wake-up per drain); one that found nothing to deliver lets
 * the next publish arm it. Publishing is a queue offer and two counter updates.
 */
public final class EventFanout<T> {

    private final List<Channel<T>> channels = new CopyOnWriteArrayList<>();
    /** How long an event may wait in a subscriber's buffer before the subscriber's thread is woken for it. */
    static final long DRAIN_DELAY_MICROS = 10_000;

    /**
     * Detached subscribers whose counts are still read live (the newest ones; a subscriber such as packet capture
     * comes and goes), then folded into {@link #departed}. Guarded by itself.
     */
    private final List<Channel<T>> retired = new ArrayList<>();
    private static final int RETIRED_KEPT = 64;
    /** The final counts of older detached subscribers, by name. Guarded by {@link #retired}. */
    private final Map<String, SubscriberStats> departed = new HashMap<>();
    private final LongAdder published = new LongAdder();

    /** Counts of one subscriber. */
    public record SubscriberStats(String name, int capacity, long delivered, long dropped, int buffered) {
    }

    /** Hands {@code event} to every subscriber; never blocks, never throws (a null event is dropped). */
    public void publish(T event) {
        published.increment();
        Object[] one = {event};
        for (Channel<T> c : channels) {
            if (event == null) {
                c.dropped.increment();
            } else {
                c.offer(one);
            }
        }
    }

    /**
     * Hands the first {@code count} of {@code events} to every subscriber, in order, as one unit: one buffer
     * operation per subscriber instead of one per event (the verdict path publishes the events of a whole read
     * this way). The array is copied, so the caller may reuse it. Never blocks, never throws; nulls are not allowed.
     */
    public void publishAll(T[] events, int count) {
        if (count <= 0) {
            return;
        }
        published.add(count);
        if (channels.isEmpty()) {
            return;
        }
        Object[] batch = java.util.Arrays.copyOf(events, count, Object[].class);
        for (Channel<T> c : channels) {
            c.offer(batch);
        }
    }

    /**
     * True when at least one subscriber has room for another event. When none has, an event would only be dropped
     * by every subscriber: the verdict path then skips building it and calls {@link #shed} instead (under overload,
     * observability is shed before inspection). A volatile read per subscriber: ask once per read, not per packet.
     */
    public boolean hasRoom() {
        for (Channel<T> c : channels) {
            if (!c.completing && c.size.get() < c.capacity) {
                return true;
            }
        }
        return false;
    }

    /**
     * Counts {@code count} events that were not built because no subscriber had room ({@link #hasRoom}): published,
     * and dropped by every subscriber, so for each subscriber published = delivered + dropped + buffered still holds.
     */
    public void shed(int count) {
        if (count <= 0) {
            return;
        }
        published.add(count);
        for (Channel<T> c : channels) {
            c.dropped.add(count);
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
     * {@code scheduler}. Cancelling the Flux detaches the subscriber. Each subscriber's {@link Channel} is its
     * subscription: demand is settled once per drain, not per event ({@code Flux.create}'s sink spent three atomic
     * operations per event and subscriber on serializing and on demand, on the subscribers' threads).
     */
    public Flux<T> subscribe(String name, int capacity, Scheduler scheduler) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(scheduler, "scheduler");
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be >= 1, was " + capacity);
        }
        return new Flux<>() {
            @Override
            public void subscribe(CoreSubscriber<? super T> actual) {
                Channel<T> channel = new Channel<>(EventFanout.this, name, capacity, actual,
                        scheduler.createWorker());
                // Attached before the subscriber sees its subscription, so a cancel from onSubscribe detaches it.
                channels.add(channel);
                actual.onSubscribe(channel);
            }
        };
    }

    /** A subscriber cancelled or was completed: detach it, keeping its counts. */
    private void detach(Channel<T> channel) {
        // Listed as retired before it leaves the attached list, so stats() never misses it (the subscriber may
        // already have seen onComplete and ask for the counts while this runs).
        synchronized (retired) {
            retired.add(channel);
        }
        channels.remove(channel);
        channel.worker.dispose();
        channel.retire();
        synchronized (retired) {
            while (retired.size() > RETIRED_KEPT) {
                Channel<T> old = retired.remove(0);
                departed.merge(old.name, old.stats(), EventFanout::sum);
            }
        }
    }

    /**
     * Counts by subscriber name, attached subscribers first: every subscription a name ever had, attached or
     * detached, summed into one entry, so a subscriber that comes and goes reports one series that only grows (and
     * a report never carries one name twice).
     */
    public List<SubscriberStats> stats() {
        Map<String, SubscriberStats> byName = new LinkedHashMap<>();
        for (Channel<T> c : channels) {
            byName.merge(c.name, c.stats(), EventFanout::sum);
        }
        synchronized (retired) {
            for (Channel<T> c : retired) {
                if (!channels.contains(c)) {
                    byName.merge(c.name, c.stats(), EventFanout::sum);
                }
            }
            departed.forEach((name, s) -> byName.merge(name, s, EventFanout::sum));
        }
        return new ArrayList<>(byName.values());
    }

    /** Two subscriptions of one name as one: counts added, the larger capacity. */
    private static SubscriberStats sum(SubscriberStats a, SubscriberStats b) {
        return new SubscriberStats(a.name(), Math.max(a.capacity(), b.capacity()), a.delivered() + b.delivered(),
                a.dropped() + b.dropped(), a.buffered() + b.buffered());
    }

    /** One subscriber: its bounded buffer, its counts, and (as its {@link Subscription}) its demand. */
    private static final class Channel<T> implements Subscription {
        /** Buffered events are given back to the size count in steps of this many while a drain runs. */
        private static final int RELEASE_STEP = 64;
        @SuppressWarnings("rawtypes")
        private static final AtomicLongFieldUpdater<Channel> REQUESTED =
                AtomicLongFieldUpdater.newUpdater(Channel.class, "requested");

        final EventFanout<T> fanout;
        final String name;
        final int capacity;
        final CoreSubscriber<? super T> actual;
        final Scheduler.Worker worker;
        /** Published arrays of events, shared read-only by every channel. */
        final Queue<Object[]> queue = new ConcurrentLinkedQueue<>();
        final AtomicInteger size = new AtomicInteger();
        final AtomicInteger wip = new AtomicInteger();
        /**
         * A timed drain is pending: set by the publisher that armed it, kept while timed drains re-arm themselves,
         * cleared by a timed drain that delivered nothing.
         */
        final AtomicBoolean armed = new AtomicBoolean();
        /** Cancelled or completed: detached once. */
        final AtomicBoolean detached = new AtomicBoolean();
        final int wakeAt;
        final Runnable timerFired = this::timerFired;
        final LongAdder delivered = new LongAdder();
        final LongAdder dropped = new LongAdder();
        final Runnable drain = this::drain;
        volatile long requested;
        volatile boolean cancelled;
        volatile boolean completing;
        volatile boolean retired;
        private boolean completed;
        /** The array being emitted and the next index in it: drain-only state. */
        private Object[] current;
        private int index;
        /** Events emitted since the last timed drain: drain-only state (drains and timed drains run on the worker). */
        private long emittedSinceTimer;

        Channel(EventFanout<T> fanout, String name, int capacity, CoreSubscriber<? super T> actual,
                Scheduler.Worker worker) {
            this.fanout = fanout;
            this.name = name;
            this.capacity = capacity;
            this.actual = actual;
            this.worker = worker;
            this.wakeAt = Math.max(1, capacity / 2);
        }

        /** New demand drains at once. */
        @Override
        public void request(long n) {
            if (Operators.validate(n)) {
                Operators.addCap(REQUESTED, this, n);
                schedule();
            }
        }

        @Override
        public void cancel() {
            cancelled = true;
            detach();
        }

        private void detach() {
            if (detached.compareAndSet(false, true)) {
                fanout.detach(this);
            }
        }

        /** Buffers as much of {@code events} as fits; the rest is dropped and counted. */
        void offer(Object[] events) {
            int n = events.length;
            if (completing) {
                dropped.add(n);
                return;
            }
            int before = size.getAndAdd(n);
            int fit = Math.min(n, Math.max(0, capacity - before));
            if (fit < n) {
                size.addAndGet(fit - n);
                dropped.add(n - fit);
                if (fit == 0) {
                    return;
                }
                events = java.util.Arrays.copyOf(events, fit);
            }
            queue.offer(events);
            if (before < wakeAt && before + fit >= wakeAt) {
                schedule();
            } else if (!armed.get() && armed.compareAndSet(false, true) && !arm()) {
                // The worker is disposed (the subscriber left): nothing will read this buffer again.
                armed.set(false);
            }
        }

        /**
         * The timed drain. Runs on the subscriber's worker, like every drain. When events were emitted since the last
         * one (a load is running), the next is armed from here: the publishers, seeing it armed, arm nothing. When
         * none were, the subscriber is idle or has no demand: disarm, then look again, so an event offered while
         * disarming arms a drain (here or in its publisher) and none waits unseen; a subscriber without demand is
         * drained by its next request, not by a timer.
         */
        private void timerFired() {
            // Already on the subscriber's worker: drain here rather than queue a second task behind this one. A drain
            // already queued (wip was not 0) runs after this task and delivers; count it as a load.
            boolean queuedDrain = wip.getAndIncrement() != 0;
            if (!queuedDrain) {
                drain();
            }
            boolean load = queuedDrain || emittedSinceTimer > 0;
            emittedSinceTimer = 0;
            if (load && !cancelled && !completing && arm()) {
                return;
            }
            armed.set(false);
            if (!cancelled && !completing && requested > 0 && size.get() > 0 && armed.compareAndSet(false, true)
                    && !arm()) {
                armed.set(false);
            }
        }

        /** Schedules the timed drain; false when the worker is disposed (the subscriber left). */
        private boolean arm() {
            try {
                worker.schedule(timerFired, DRAIN_DELAY_MICROS, TimeUnit.MICROSECONDS);
                return true;
            } catch (RuntimeException e) {
                return false;
            }
        }

        void schedule() {
            if (wip.getAndIncrement() == 0) {
                try {
                    worker.schedule(drain);
                } catch (RuntimeException e) {
                    // The worker is disposed (the subscriber left).
                }
            }
        }

        /**
         * Emits while there is demand; the wip counter makes drains serial and never lost, and the events emitted
         * are taken from the demand once per pass.
         */
        @SuppressWarnings("unchecked")
        void drain() {
            int missed = 1;
            do {
                long r = requested;
                long emitted = 0;
                int unreleased = 0;
                while (emitted != r && !cancelled) {
                    if (current == null) {
                        current = queue.poll();
                        index = 0;
                        if (current == null) {
                            break;
                        }
                    }
                    T e = (T) current[index++];
                    if (index == current.length) {
                        current = null;
                    }
                    if (++unreleased == RELEASE_STEP) {
                        release(unreleased);
                        unreleased = 0;
                    }
                    actual.onNext(e);
                    emitted++;
                }
                release(unreleased);
                if (emitted != 0) {
                    Operators.produced(REQUESTED, this, emitted);
                    emittedSinceTimer += emitted;
                }
                if (completing && !completed && !cancelled && current == null && queue.isEmpty()) {
                    completed = true;
                    actual.onComplete();
                    detach();
                }
                missed = wip.addAndGet(-missed);
            } while (missed != 0);
        }

        private void release(int emitted) {
            if (emitted > 0) {
                size.addAndGet(-emitted);
                delivered.add(emitted);
            }
        }

        /** The subscriber left: what it had buffered is released (and counted as dropped in its stats). */
        void retire() {
            completing = true;
            retired = true;
            queue.clear();
        }

        SubscriberStats stats() {
            if (retired) {
                return new SubscriberStats(name, capacity, delivered.sum(), dropped.sum() + Math.max(0, size.get()),
                        0);
            }
            return new SubscriberStats(name, capacity, delivered.sum(), dropped.sum(), size.get());
        }
    }
}
