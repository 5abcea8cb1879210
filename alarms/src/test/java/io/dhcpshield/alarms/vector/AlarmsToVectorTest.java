package io.dhcpshield.alarms.vector;

import io.dhcpshield.alarms.AlarmEngine;
import io.dhcpshield.alarms.Channel;
import io.dhcpshield.alarms.NotificationSink;
import io.dhcpshield.alarms.Severity;
import io.dhcpshield.alarms.Signal;
import io.dhcpshield.alarms.notify.BellSink;
import io.dhcpshield.alarms.notify.Dispatcher;
import io.dhcpshield.alarms.notify.Route;
import io.dhcpshield.alarms.notify.RouteStore;
import io.dhcpshield.core.time.Time;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The whole notification path with the real Vector sink and a real HTTP receiver: alarms raised and cleared by the
 * engine, routed by the seed routes, delivered through an outage of the receiver. Every notification routed to Vector
 * is accounted for: sent + dropped + pending = routed, and what the receiver got is what was sent.
 */
class AlarmsToVectorTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    private static void await(String what, java.util.function.BooleanSupplier c) {
        io.dhcpshield.storage.Await.until(WAIT, c, what);
    }

    @Test
    void everyNotificationRoutedToVectorThroughAnOutageIsSentDroppedOrPendingAndTheReceiverGotWhatWasSent() {
        try (VectorReceiver receiver = VectorReceiver.start()) {
            VectorSink vector = new VectorSink(VectorSinkConfig.defaults().enabledAt(receiver.url())
                    .withBatch(5, Duration.ofMillis(20), 100)
                    .withRetries(3, Duration.ofMillis(20), Duration.ofMillis(100), Duration.ofSeconds(1))
                    .withBreaker(2, Duration.ofMillis(300)), Time.SYSTEM);
            vector.start();
            List<NotificationSink> sinks = List.of(new BellSink(), vector);
            List<Route> routes = RouteStore.seeds(Set.of("bell", "vector"));
            Dispatcher d = new Dispatcher(sinks, () -> routes, () -> new Dispatcher.Limits(Duration.ZERO, 10_000),
                    Time.SYSTEM);
            AlarmEngine engine = new AlarmEngine(Time.SYSTEM);
            engine.listen(d::dispatch);
            try {
                raiseAndClear(engine, "before", 10);
                await("the first notifications sent", () -> vector.counts().sent() >= 20);
                receiver.down();
                raiseAndClear(engine, "outage", 30);
                await("the breaker to open", () -> vector.breakerOpened() >= 1);
                receiver.up();
                raiseAndClear(engine, "after", 10);
                await("everything delivered or dropped", () -> vector.counts().pending() == 0);
                await("the breaker closed again", () -> vector.breakerState().label().equals("closed"));

                VectorSink.Counts c = vector.counts();
                // info alarms do not match "warnings and worse to Vector": only the warnings were routed there.
                assertEquals(d.routed("vector"), c.offered());
                assertEquals(2 * 50, c.offered(), "a raise and a clear of each warning");
                assertEquals(c.offered(), c.sent() + c.dropped() + c.pending());
                assertEquals(c.sent(), receiver.lines().stream().distinct().count(),
                        "what the receiver got, once each, is what was sent");
                assertTrue(c.sent() > 0 && c.retried() > 0, c.toString());
                assertEquals(2 * 100, d.routed("bell"), "the bell got every raise and clear");
            } finally {
                vector.stop();
            }
        }
    }

    private static void raiseAndClear(AlarmEngine engine, String prefix, int n) {
        for (int i = 0; i < n; i++) {
            for (Severity s : List.of(Severity.INFO, Severity.WARNING)) {
                var a = engine.report(new Signal(prefix + "/" + s.label() + "/" + i, Channel.DHCP, "traffic", "test",
                        s, "t", "m", List.of(), Map.of(), Duration.ofSeconds(30)));
                engine.clear(a.id(), "test", "");
            }
        }
    }
}
