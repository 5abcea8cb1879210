package io.dhcpshield.alarms.notify;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dhcpshield.alarms.Alarm;
import io.dhcpshield.alarms.AlarmEngine;
import io.dhcpshield.alarms.Channel;
import io.dhcpshield.alarms.Notification;
import io.dhcpshield.alarms.NotificationSink;
import io.dhcpshield.alarms.Severity;
import io.dhcpshield.alarms.Signal;
import io.dhcpshield.core.metrics.MetricWriter;
import io.dhcpshield.core.time.Time;
import org.junit.jupiter.api.Test;
import reactor.test.scheduler.VirtualTimeScheduler;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class DispatcherTest {

    /** A sink that records what it is offered. */
    static final class Recording implements NotificationSink {
        final String name;
        final List<Notification> got = new ArrayList<>();

        Recording(String name) {
            this.name = name;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public boolean offer(Notification n) {
            got.add(n);
            return true;
        }

        @Override
        public void metrics(MetricWriter out) {
        }

        @Override
        public ObjectNode status() {
            return JsonNodeFactory.instance.objectNode();
        }

        List<String> changes() {
            return got.stream().map(n -> n.change().label() + " " + n.alarm().sourceKey()).toList();
        }
    }

    private final VirtualTimeScheduler vts = VirtualTimeScheduler.create();
    private final Time time = Time.of(vts, Instant.parse("2026-12-04T10:00:00Z"));
    private final Recording ops = new Recording("ops");
    private final Recording siem = new Recording("siem");
    private final Set<String> names = Set.of("ops", "siem");

    private Dispatcher dispatcher(List<Route> routes, Duration dedupe, long perMinute) {
        return new Dispatcher(List.of(ops, siem), () -> routes, () -> new Dispatcher.Limits(dedupe, perMinute), time);
    }

    private static Signal signal(String key, Channel ch, String category, Severity sev) {
        return new Signal(key, ch, category, "k", sev, "t", "m", List.of(), Map.of(), Duration.ofSeconds(30));
    }

    @Test
    void routesMatchByChannelCategoryMinimumSeverityAndSourceKeyRegex() {
        Route critical = RouteJson.parse("{\"id\":\"a\",\"name\":\"critical security\",\"channels\":[\"dhcp\"],"
                + "\"categories\":[\"security\"],\"min_severity\":\"critical\",\"source_key_regex\":\"^rogue_\","
                + "\"sinks\":[\"siem\"]}", names);
        Route all = RouteJson.parse("{\"id\":\"b\",\"name\":\"all\",\"sinks\":[\"ops\"]}", names);
        AlarmEngine engine = new AlarmEngine(time);
        engine.listen(dispatcher(List.of(critical, all), Duration.ZERO, 1000)::dispatch);

        engine.report(signal("rogue_server/1", Channel.DHCP, "security", Severity.CRITICAL));
        engine.report(signal("rogue_server/2", Channel.DHCP, "security", Severity.WARNING));
        engine.report(signal("starvation/x", Channel.DHCP, "security", Severity.CRITICAL));
        engine.report(signal("rogue_server/3", Channel.SYSTEM, "security", Severity.CRITICAL));
        engine.report(signal("rogue_server/4", Channel.DHCP, "health", Severity.CRITICAL));

        assertEquals(List.of("raised rogue_server/1"), siem.changes());
        assertEquals(5, ops.got.size());
    }

    @Test
    void aFlappingConditionIsNotifiedOnceWithinTheDedupeTimeAndItsSuppressedClearsWithIt() {
        Route all = RouteJson.parse("{\"id\":\"b\",\"name\":\"all\",\"sinks\":[\"ops\"]}", names);
        AlarmEngine engine = new AlarmEngine(time);
        Dispatcher d = dispatcher(List.of(all), Duration.ofMinutes(5), 1000);
        engine.listen(d::dispatch);
        for (int i = 0; i < 10; i++) {
            engine.report(signal("flap", Channel.DHCP, "traffic", Severity.WARNING));
            vts.advanceTimeBy(Duration.ofSeconds(30));
            engine.expire();
        }
        assertEquals(List.of("raised flap", "cleared flap"), ops.changes());
        assertEquals(9, d.suppressed("ops", "duplicate"));
        assertEquals(9, d.suppressed("ops", "not_raised_here"));
        vts.advanceTimeBy(Duration.ofMinutes(5));
        engine.report(signal("flap", Channel.DHCP, "traffic", Severity.WARNING));
        assertEquals(3, ops.got.size(), "after the dedupe time it is notified again");
    }

    @Test
    void eachRouteAndSinkIsRateLimitedAndTheRestIsCounted() {
        Route all = RouteJson.parse("{\"id\":\"b\",\"name\":\"all\",\"sinks\":[\"ops\"]}", names);
        AlarmEngine engine = new AlarmEngine(time);
        Dispatcher d = dispatcher(List.of(all), Duration.ZERO, 5);
        engine.listen(d::dispatch);
        for (int i = 0; i < 12; i++) {
            engine.report(signal("s" + i, Channel.DHCP, "traffic", Severity.WARNING));
        }
        assertEquals(5, ops.got.size());
        assertEquals(7, d.suppressed("ops", "rate_limited"));
        vts.advanceTimeBy(Duration.ofSeconds(24));
        engine.report(signal("later", Channel.DHCP, "traffic", Severity.WARNING));
        assertEquals(6, ops.got.size(), "the bucket refills at the route's rate");
        assertEquals(d.routed("ops"), ops.got.size());
    }

    @Test
    void aBadRouteIsRefusedNamingTheField() {
        var e = assertThrows(RouteJson.InvalidRoute.class, () -> RouteJson.parse("{\"id\":\"x\",\"name\":\"n\","
                + "\"source_key_regex\":\"(\",\"sinks\":[\"ops\"]}", names));
        assertEquals("source_key_regex", e.field());
        assertEquals("sinks", assertThrows(RouteJson.InvalidRoute.class, () -> RouteJson.parse(
                "{\"id\":\"x\",\"name\":\"n\",\"sinks\":[\"pager\"]}", names)).field());
        assertEquals("min_severity", assertThrows(RouteJson.InvalidRoute.class, () -> RouteJson.parse(
                "{\"id\":\"x\",\"name\":\"n\",\"min_severity\":\"loud\",\"sinks\":[\"ops\"]}", names)).field());
        assertEquals("colour", assertThrows(RouteJson.InvalidRoute.class, () -> RouteJson.parse(
                "{\"id\":\"x\",\"name\":\"n\",\"colour\":1,\"sinks\":[\"ops\"]}", names)).field());
    }

    @Test
    void anAlarmRoutedByTwoRoutesToOneSinkIsOfferedOnce() {
        Route a = RouteJson.parse("{\"id\":\"a\",\"name\":\"a\",\"sinks\":[\"ops\"]}", names);
        Route b = RouteJson.parse("{\"id\":\"b\",\"name\":\"b\",\"sinks\":[\"ops\",\"siem\"]}", names);
        AlarmEngine engine = new AlarmEngine(time);
        engine.listen(dispatcher(List.of(a, b), Duration.ZERO, 100)::dispatch);
        Alarm x = engine.report(signal("x", Channel.DHCP, "traffic", Severity.INFO));
        engine.acknowledge(x.id(), "alice", "");
        assertEquals(List.of("raised x", "acknowledged x"), ops.changes());
        assertEquals(List.of("raised x", "acknowledged x"), siem.changes());
    }

    @Test
    void anAlarmRestoredAfterARestartHasItsClearNotifiedWhereItsRaiseWent() {
        Route all = RouteJson.parse("{\"id\":\"b\",\"name\":\"all\",\"sinks\":[\"ops\"]}", names);
        AlarmEngine before = new AlarmEngine(time);
        Alarm a = before.report(signal("k", Channel.DHCP, "traffic", Severity.WARNING));
        AlarmEngine after = new AlarmEngine(time);
        Dispatcher d = dispatcher(List.of(all), Duration.ZERO, 100);
        after.listen(d::dispatch);
        after.restore(a, Duration.ofSeconds(30));
        d.restored(a);
        after.clear(a.id(), "alice", "");
        assertEquals(List.of("cleared k"), ops.changes());
    }

    @Test
    @org.junit.jupiter.api.Timeout(30)
    void aCatastrophicallyBacktrackingRegexOnAWireControlledKeyIsGivenUpNotHung() {
        Route evil = RouteJson.parse("{\"id\":\"e\",\"name\":\"e\",\"source_key_regex\":\"^relay_storm/x/(a+)+$\","
                + "\"sinks\":[\"ops\"]}", names);
        AlarmEngine engine = new AlarmEngine(time);
        engine.listen(dispatcher(List.of(evil), Duration.ZERO, 100)::dispatch);
        engine.report(signal("relay_storm/x/" + "a".repeat(40) + "!", Channel.DHCP, "traffic", Severity.WARNING));
        engine.report(signal("relay_storm/x/aaa", Channel.DHCP, "traffic", Severity.WARNING));
        assertEquals(List.of("raised relay_storm/x/aaa"), ops.changes());
    }
}
