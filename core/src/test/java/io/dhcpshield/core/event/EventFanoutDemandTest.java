package io.dhcpshield.core.event;

import org.junit.jupiter.api.Test;
import org.reactivestreams.Subscription;
import reactor.core.publisher.BaseSubscriber;
import reactor.test.scheduler.VirtualTimeScheduler;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each subscriber's channel is its subscription: it never emits beyond demand and honours demand at once. */
class EventFanoutDemandTest {

    private final VirtualTimeScheduler time = VirtualTimeScheduler.create();

    @Test
    void aSubscriberAskingForOneEventAtATimeFromInsideOnNextGetsEveryEventInOrder() {
        EventFanout<Integer> fanout = new EventFanout<>();
        List<Integer> seen = new ArrayList<>();
        fanout.subscribe("one-by-one", 1000, time).subscribe(new BaseSubscriber<>() {
            @Override
            protected void hookOnSubscribe(Subscription subscription) {
                request(1);
            }

            @Override
            protected void hookOnNext(Integer value) {
                seen.add(value);
                request(1);
            }
        });
        Integer[] batch = new Integer[100];
        for (int i = 0; i < batch.length; i++) {
            batch[i] = i;
        }
        fanout.publishAll(batch, batch.length);
        time.advanceTimeBy(Duration.ofMillis(20));
        assertEquals(100, seen.size());
        for (int i = 0; i < 100; i++) {
            assertEquals(i, seen.get(i));
        }
        EventFanout.SubscriberStats s = fanout.stats().get(0);
        assertEquals(new EventFanout.SubscriberStats("one-by-one", 1000, 100, 0, 0), s);
    }

    @Test
    void noEventGoesBeyondDemandAndNewDemandIsServedWithoutAnotherPublish() {
        EventFanout<Integer> fanout = new EventFanout<>();
        List<Integer> seen = new ArrayList<>();
        BaseSubscriber<Integer> subscriber = new BaseSubscriber<>() {
            @Override
            protected void hookOnSubscribe(Subscription subscription) {
                request(3);
            }

            @Override
            protected void hookOnNext(Integer value) {
                seen.add(value);
            }
        };
        fanout.subscribe("bounded", 100, time).subscribe(subscriber);
        for (int i = 0; i < 10; i++) {
            fanout.publish(i);
        }
        time.advanceTimeBy(Duration.ofMillis(20));
        assertEquals(List.of(0, 1, 2), seen);
        assertEquals(7, fanout.stats().get(0).buffered());
        subscriber.request(5);
        time.advanceTimeBy(Duration.ZERO);
        assertEquals(List.of(0, 1, 2, 3, 4, 5, 6, 7), seen);
        subscriber.request(Long.MAX_VALUE);
        time.advanceTimeBy(Duration.ZERO);
        assertEquals(10, seen.size());
        EventFanout.SubscriberStats s = fanout.stats().get(0);
        assertEquals(10, s.delivered());
        assertEquals(0, s.buffered());
    }

    @Test
    void aSubscriberThatCancelsInOnSubscribeIsDetachedAndCountsWhatItMissedNowhere() {
        EventFanout<Integer> fanout = new EventFanout<>();
        fanout.subscribe("gone", 10, time).subscribe(new BaseSubscriber<>() {
            @Override
            protected void hookOnSubscribe(Subscription subscription) {
                subscription.cancel();
            }
        });
        assertTrue(!fanout.hasSubscribers(), "a cancelled subscriber is not attached");
        fanout.publish(1);
        assertEquals(1, fanout.published());
        assertEquals(new EventFanout.SubscriberStats("gone", 10, 0, 0, 0), fanout.stats().get(0));
    }

    @Test
    void completionDeliversTheBufferEndsTheSubscriberAndDetachesIt() {
        EventFanout<Integer> fanout = new EventFanout<>();
        List<Integer> seen = new ArrayList<>();
        boolean[] completed = {false};
        fanout.subscribe("ends", 10, time).subscribe(seen::add, e -> { }, () -> completed[0] = true);
        fanout.publish(1);
        fanout.publish(2);
        fanout.complete();
        time.advanceTimeBy(Duration.ZERO);
        assertEquals(List.of(1, 2), seen);
        assertTrue(completed[0]);
        assertTrue(!fanout.hasSubscribers(), "a completed subscriber is detached");
        fanout.publish(3);
        assertEquals(new EventFanout.SubscriberStats("ends", 10, 2, 0, 0), fanout.stats().get(0));
    }
}
