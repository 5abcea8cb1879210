package io.dhcpshield.alarms;

import io.dhcpshield.core.time.Time;
import org.junit.jupiter.api.Test;
import reactor.test.scheduler.VirtualTimeScheduler;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AlarmEngineTest {

    private final VirtualTimeScheduler vts = VirtualTimeScheduler.create();
    private final Time time = Time.of(vts, Instant.parse("2026-12-04T10:00:00Z"));
    private final AlarmEngine engine = new AlarmEngine(time);
    private final List<AlarmChange> changes = new ArrayList<>();

    AlarmEngineTest() {
        engine.listen(changes::add);
    }

    private Signal signal(String key, Severity sev, String client, long count) {
        Instant now = time.now();
        return new Signal(key, Channel.DHCP, "security", "rogue_server", sev, "Rogue " + key, "seen " + count,
                List.of(new Party("client", client, "", count, now, now)), Map.of("n", Long.toString(count)),
                Duration.ofSeconds(60));
    }

    @Test
    void aConditionSeenAgainUpdatesTheOneOpenAlarmOfItsSourceKeyAndAddsUpItsContext() {
        Alarm first = engine.report(signal("rogue_server/10.0.0.9", Severity.WARNING, "02:00:00:00:00:01", 2));
        vts.advanceTimeBy(Duration.ofSeconds(10));
        engine.report(signal("rogue_server/10.0.0.9", Severity.WARNING, "02:00:00:00:00:01", 3));
        Alarm now = engine.report(signal("rogue_server/10.0.0.9", Severity.WARNING, "02:00:00:00:00:02", 1));

        assertEquals(1, engine.openAlarms().size());
        assertEquals(first.id(), now.id());
        assertEquals(3, now.occurrences());
        assertEquals(5, now.context().get(0).count(), "counts of a party add up, the most seen first");
        assertEquals("02:00:00:00:00:01", now.context().get(0).id());
        assertEquals(Instant.parse("2026-12-04T10:00:00Z"), now.context().get(0).firstSeen());
        assertEquals(Instant.parse("2026-12-04T10:00:10Z"), now.lastSeen());
        assertEquals(List.of(AlarmChange.Type.RAISED, AlarmChange.Type.UPDATED, AlarmChange.Type.UPDATED),
                changes.stream().map(AlarmChange::type).toList());
    }

    @Test
    void aHigherSeverityEscalatesTheOpenAlarm() {
        engine.report(signal("k", Severity.WARNING, "a", 1));
        Alarm a = engine.report(signal("k", Severity.CRITICAL, "a", 1));
        assertEquals(Severity.CRITICAL, a.severity());
        assertEquals(AlarmChange.Type.ESCALATED, changes.get(1).type());
    }

    @Test
    void anAlarmClearsByItselfOnlyAfterItsConditionHasBeenGoneForTheHoldTime() {
        Alarm a = engine.report(signal("k", Severity.WARNING, "a", 1));
        vts.advanceTimeBy(Duration.ofSeconds(59));
        assertEquals(0, engine.expire());
        engine.report(signal("k", Severity.WARNING, "a", 1));
        vts.advanceTimeBy(Duration.ofSeconds(59));
        assertEquals(0, engine.expire(), "seen again: the hold counts from the last sighting");
        vts.advanceTimeBy(Duration.ofSeconds(1));
        assertEquals(1, engine.expire());

        Alarm cleared = engine.get(a.id()).orElseThrow();
        assertEquals(AlarmState.CLEARED, cleared.state());
        assertEquals("auto", cleared.clearedBy());
        assertTrue(engine.openAlarms().isEmpty());
        Alarm again = engine.report(signal("k", Severity.WARNING, "a", 1));
        assertTrue(!again.id().equals(a.id()), "after a clear the same condition raises a new alarm");
    }

    @Test
    void anOperatorAcknowledgesThenClearsAndCannotDoEitherTwice() {
        Alarm a = engine.report(signal("k", Severity.CRITICAL, "a", 1));
        Alarm acked = engine.acknowledge(a.id(), "alice", "looking").orElseThrow();
        assertEquals(AlarmState.ACKNOWLEDGED, acked.state());
        assertEquals("alice", acked.acknowledgedBy());
        assertThrows(IllegalStateException.class, () -> engine.acknowledge(a.id(), "bob", ""));

        Alarm seen = engine.report(signal("k", Severity.CRITICAL, "a", 1));
        assertEquals(AlarmState.ACKNOWLEDGED, seen.state(), "an update keeps the acknowledgement");

        Alarm cleared = engine.clear(a.id(), "bob", "fixed").orElseThrow();
        assertEquals("bob", cleared.clearedBy());
        assertThrows(IllegalStateException.class, () -> engine.clear(a.id(), "bob", ""));
        assertTrue(engine.acknowledge("no-such-id", "bob", "").isEmpty());
        assertEquals("fixed", changes.get(changes.size() - 1).note());
    }

    @Test
    void aRestoredAlarmIsOpenAgainWithoutAChangeAndClearsAfterItsHold() {
        Alarm a = engine.report(signal("k", Severity.WARNING, "a", 1));
        AlarmEngine after = new AlarmEngine(time);
        List<AlarmChange> seen = new ArrayList<>();
        after.listen(seen::add);
        after.restore(a, Duration.ofSeconds(60));
        assertEquals(List.of(a), after.openAlarms());
        assertTrue(seen.isEmpty());
        vts.advanceTimeBy(Duration.ofSeconds(60));
        assertEquals(1, after.expire());
    }

    @Test
    void theContextKeepsTheMostSeenPartiesAndCountsTheRest() {
        Instant now = time.now();
        List<Party> many = new ArrayList<>();
        for (int i = 0; i < AlarmEngine.MAX_PARTIES + 7; i++) {
            many.add(new Party("client", "c" + i, "", 1, now, now));
        }
        Alarm a = engine.report(new Signal("k", Channel.DHCP, "security", "starvation", Severity.CRITICAL, "t", "m",
                many, Map.of(), Duration.ofSeconds(60)));
        assertEquals(AlarmEngine.MAX_PARTIES, a.context().size());
        assertEquals("7", a.facts().get("parties_not_listed"));
    }

    @Test
    void theJsonFormReadsBackToTheSameAlarm() throws Exception {
        Alarm a = engine.report(signal("k", Severity.WARNING, "a", 1));
        a = engine.acknowledge(a.id(), "alice", "").orElseThrow();
        var json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(AlarmJson.alarm(a).toString());
        assertEquals(a, AlarmJson.parse(json));
    }
}
