package io.dhcpshield.core.event;

import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two queue threads publishing reads of events at once, as the processor does with two queues: every subscriber sees
 * each publisher's events in order, and for each subscriber published = delivered + dropped once the fan-out is
 * complete (nothing lost between the buffer and the counters, nothing counted twice).
 */
class EventFanoutConcurrencyTest {

    private static final int PER_PUBLISHER = 200_000;

    @Test
    void concurrentReadsArriveInOrderPerPublisherAndEveryEventIsDeliveredOrCountedDropped() throws Exception {
        EventFanout<Long> fanout = new EventFanout<>();
        Scheduler bigThread = Schedulers.newSingle("big");
        Scheduler smallThread = Schedulers.newSingle("small");
        try {
            Mono<List<Long>> big = fanout.subscribe("big", 2 * PER_PUBLISHER, bigThread).collectList().cache();
            // A small buffer behind a subscriber stuck on its first event until both publishers are done: it
            // overflows and drops, deterministically.
            CountDownLatch publishersDone = new CountDownLatch(1);
            Mono<List<Long>> small = fanout.subscribe("small", 64, smallThread)
                    .doOnNext(e -> await(publishersDone))
                    .collectList().cache();
            big.subscribe();
            small.subscribe();

            CountDownLatch start = new CountDownLatch(1);
            Thread[] publishers = new Thread[2];
            for (int p = 0; p < publishers.length; p++) {
                long id = p;
                publishers[p] = new Thread(() -> {
                    await(start);
                    Long[] read = new Long[64];
                    long seq = 0;
                    while (seq < PER_PUBLISHER) {
                        int n = (int) Math.min(ThreadLocalRandom.current().nextInt(1, 65), PER_PUBLISHER - seq);
                        for (int i = 0; i < n; i++) {
                            read[i] = (id << 32) | seq++;
                        }
                        if (n == 1 && (seq & 1) == 0) {
                            fanout.publish(read[0]);
                        } else {
                            fanout.publishAll(read, n);
                        }
                    }
                }, "publisher-" + p);
                publishers[p].start();
            }
            start.countDown();
            for (Thread t : publishers) {
                t.join(30_000);
            }
            publishersDone.countDown();
            fanout.complete();

            List<Long> bigSeen = big.block(Duration.ofSeconds(30));
            List<Long> smallSeen = small.block(Duration.ofSeconds(30));
            assertEquals(2L * PER_PUBLISHER, fanout.published());
            assertEquals(2 * PER_PUBLISHER, bigSeen.size(), "the big buffer never overflows");
            assertInOrderPerPublisher(bigSeen);
            assertInOrderPerPublisher(smallSeen);

            for (EventFanout.SubscriberStats s : fanout.stats()) {
                assertEquals(0, s.buffered(), s::toString);
                assertEquals(2L * PER_PUBLISHER, s.delivered() + s.dropped(), s::toString);
            }
            EventFanout.SubscriberStats smallStats = fanout.stats().stream()
                    .filter(s -> s.name().equals("small")).findFirst().orElseThrow();
            assertEquals(smallSeen.size(), smallStats.delivered());
            assertTrue(smallStats.dropped() > 0, () -> "the small buffer should have overflowed: " + smallStats);
        } finally {
            bigThread.dispose();
            smallThread.dispose();
        }
    }

    private static void assertInOrderPerPublisher(List<Long> seen) {
        long[] last = {-1, -1};
        for (long e : seen) {
            int publisher = (int) (e >>> 32);
            long seq = e & 0xffff_ffffL;
            assertTrue(seq > last[publisher], () -> "publisher " + publisher + ": " + seq + " after " + last[publisher]);
            last[publisher] = seq;
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
