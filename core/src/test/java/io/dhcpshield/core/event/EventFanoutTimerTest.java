package io.dhcpshield.core.event;

import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.scheduler.Scheduler;
import reactor.test.scheduler.VirtualTimeScheduler;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The timed drain: an event waits at most {@link EventFanout#DRAIN_DELAY_MICROS} for its subscriber, a publisher arms
 * a timer only after a quiet spell (under a steady load the subscriber's own timed drains re-arm it), and an idle
 * fan-out schedules nothing.
 */
class EventFanoutTimerTest {

    private static final Duration DELAY = Duration.ofNanos(EventFanout.DRAIN_DELAY_MICROS * 1000);

    private final VirtualTimeScheduler time = VirtualTimeScheduler.create();
    private final CountingScheduler scheduler = new CountingScheduler(time);

    @Test
    void anEventIntoAnIdleFanoutIsDeliveredOneDrainDelayLaterNotBefore() {
        List<Integer> seen = new ArrayList<>();
        EventFanout<Integer> fanout = fanoutInto(seen);

        fanout.publish(1);
        time.advanceTimeBy(DELAY.minusNanos(1000));
        assertEquals(List.of(), seen);
        time.advanceTimeBy(Duration.ofNanos(1000));
        assertEquals(List.of(1), seen);
    }

    @Test
    void underASteadyLoadThePublisherArmsOnceAndTheTimedDrainsReArmThemselves() {
        List<Integer> seen = new ArrayList<>();
        EventFanout<Integer> fanout = fanoutInto(seen);

        int published = 0;
        for (int period = 0; period < 20; period++) {
            for (int i = 0; i < 10; i++) {
                fanout.publish(published++);
            }
            time.advanceTimeBy(DELAY);
            assertEquals(published, seen.size(), "delivered by the end of period " + period);
        }
        assertEquals(1, scheduler.timersArmedOutside, "timers armed by the publisher");
        assertEquals(20, scheduler.timersArmedInside, "timers armed by the timed drains that delivered");
    }

    @Test
    void anIdleFanoutStopsItsTimerAndTheNextPublishArmsItAgain() {
        List<Integer> seen = new ArrayList<>();
        EventFanout<Integer> fanout = fanoutInto(seen);

        fanout.publish(1);
        time.advanceTimeBy(DELAY);
        // The drain that delivered re-armed once; that timer finds nothing and stops.
        time.advanceTimeBy(DELAY.multipliedBy(100));
        assertEquals(2, scheduler.timersRun);
        assertEquals(2, scheduler.timersArmedOutside + scheduler.timersArmedInside);

        fanout.publish(2);
        assertEquals(2, scheduler.timersArmedOutside, "the publish after the quiet spell armed a timer");
        time.advanceTimeBy(DELAY);
        assertEquals(List.of(1, 2), seen);
    }

    @Test
    void aSubscriberWithoutDemandIsNotPolledByTimersAndItsNextRequestDrainsAtOnce() {
        EventFanout<Integer> fanout = new EventFanout<>();
        List<Integer> seen = new ArrayList<>();
        reactor.core.publisher.BaseSubscriber<Integer> subscriber = new reactor.core.publisher.BaseSubscriber<>() {
            @Override
            protected void hookOnSubscribe(org.reactivestreams.Subscription subscription) {
                // no demand yet
            }

            @Override
            protected void hookOnNext(Integer value) {
                seen.add(value);
            }
        };
        fanout.subscribe("s", 1000, scheduler).subscribe(subscriber);

        fanout.publish(1);
        time.advanceTimeBy(DELAY.multipliedBy(100));
        assertEquals(1, scheduler.timersRun, "one timer, then none while the subscriber asks for nothing");
        assertEquals(List.of(), seen);

        subscriber.request(1);
        time.advanceTimeBy(Duration.ofNanos(1));
        assertEquals(List.of(1), seen);
    }

    /** A fan-out with one subscriber that asks for everything and adds it to {@code seen}, on the counting scheduler. */
    private EventFanout<Integer> fanoutInto(List<Integer> seen) {
        EventFanout<Integer> fanout = new EventFanout<>();
        fanout.subscribe("s", 1000, scheduler).subscribe(seen::add);
        return fanout;
    }

    /**
     * A scheduler that counts the delayed tasks its workers are given: from outside (a publisher) or from inside one
     * of its own tasks (the subscriber's side), and how many of them ran.
     */
    private static final class CountingScheduler implements Scheduler {
        private final Scheduler delegate;
        int timersArmedOutside;
        int timersArmedInside;
        int timersRun;
        private boolean inTask;

        CountingScheduler(Scheduler delegate) {
            this.delegate = delegate;
        }

        @Override
        public Disposable schedule(Runnable task) {
            return delegate.schedule(wrap(task, false));
        }

        @Override
        public Worker createWorker() {
            Worker w = delegate.createWorker();
            return new Worker() {
                @Override
                public Disposable schedule(Runnable task) {
                    return w.schedule(wrap(task, false));
                }

                @Override
                public Disposable schedule(Runnable task, long delay, TimeUnit unit) {
                    if (inTask) {
                        timersArmedInside++;
                    } else {
                        timersArmedOutside++;
                    }
                    return w.schedule(wrap(task, true), delay, unit);
                }

                @Override
                public void dispose() {
                    w.dispose();
                }

                @Override
                public boolean isDisposed() {
                    return w.isDisposed();
                }
            };
        }

        private Runnable wrap(Runnable task, boolean timer) {
            return () -> {
                if (timer) {
                    timersRun++;
                }
                boolean outer = inTask;
                inTask = true;
                try {
                    task.run();
                } finally {
                    inTask = outer;
                }
            };
        }
    }
}
