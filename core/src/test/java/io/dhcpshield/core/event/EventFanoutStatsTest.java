package io.dhcpshield.core.event;

import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.test.scheduler.VirtualTimeScheduler;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The fan-out's counts are by subscriber name, so a report never carries one name twice. */
class EventFanoutStatsTest {

    private final VirtualTimeScheduler time = VirtualTimeScheduler.create();

    @Test
    void aSubscriberThatComesAndGoesUnderOneNameReportsOneEntryWhoseCountsOnlyGrow() {
        EventFanout<Integer> fanout = new EventFanout<>();
        List<Integer> seen = new ArrayList<>();
        long lastDelivered = 0;
        // More subscriptions than the fan-out keeps live, so older ones are folded into the name's totals.
        for (int round = 0; round < 100; round++) {
            Disposable sub = fanout.subscribe("capture", 16, time).subscribe(seen::add);
            fanout.publish(round);
            time.advanceTimeBy(Duration.ofMillis(20));
            sub.dispose();
            fanout.publish(-1);
            List<EventFanout.SubscriberStats> stats = fanout.stats();
            assertEquals(1, stats.size(), stats::toString);
            EventFanout.SubscriberStats s = stats.get(0);
            assertEquals("capture", s.name());
            assertEquals(round + 1, s.delivered(), s::toString);
            assertEquals(0, s.dropped(), "nothing was buffered when it left: " + s);
            lastDelivered = s.delivered();
        }
        assertEquals(100, lastDelivered);
        assertEquals(100, seen.size());
        assertEquals(200, fanout.published());
    }

    @Test
    void twoAttachedSubscribersOfOneNameAreReportedTogether() {
        EventFanout<Integer> fanout = new EventFanout<>();
        Disposable a = fanout.subscribe("stream", 4, time).subscribe(x -> { });
        Disposable b = fanout.subscribe("stream", 8, time).subscribe(x -> { });
        Disposable other = fanout.subscribe("alarms", 4, time).subscribe(x -> { });
        fanout.publish(1);
        time.advanceTimeBy(Duration.ofMillis(20));
        List<EventFanout.SubscriberStats> stats = fanout.stats();
        assertEquals(List.of(new EventFanout.SubscriberStats("stream", 8, 2, 0, 0),
                new EventFanout.SubscriberStats("alarms", 4, 1, 0, 0)), stats);
        a.dispose();
        b.dispose();
        other.dispose();
    }
}
