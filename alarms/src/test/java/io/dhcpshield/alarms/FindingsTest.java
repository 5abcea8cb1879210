package io.dhcpshield.alarms;

import io.dhcpshield.automation.AlarmEvent;
import io.dhcpshield.automation.rules.HitClient;
import io.dhcpshield.automation.rules.HitOutcome;
import io.dhcpshield.automation.rules.Rule;
import io.dhcpshield.automation.rules.RuleHit;
import io.dhcpshield.core.net.MacAddress;
import io.dhcpshield.enforcement.action.ActionTarget;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class FindingsTest {

    private static final Instant NOW = Instant.parse("2026-12-04T10:00:00Z");

    @Test
    void aDetectorAlarmIsAClientAlarmKeyedByDetectorAndSubjectWithItsFactsAndTheFindingHold() {
        AlarmEvent e = new AlarmEvent("x", NOW, "detector:fingerprint_change", "fingerprint_change", "warning",
                "02:00:00:00:ca:01", "fingerprint changed", Map.of("before", "1,3,6", "after", "1,3"));
        Signal s = Findings.fromDetector(e, Duration.ofHours(1));
        assertEquals("detector/fingerprint_change/02:00:00:00:ca:01", s.sourceKey());
        assertEquals(Channel.DETECTOR, s.channel());
        assertEquals("client", s.parties().get(0).role());
        assertEquals("1,3,6", s.facts().get("before"));
        assertEquals(Duration.ofHours(1), s.hold());
    }

    @Test
    void aRuleHitThatAlarmedNamesItsGroupAndClientsAndOtherOutcomesAreNotAlarms() {
        Map<String, String> key = new LinkedHashMap<>();
        key.put("relay", "198.18.0.2");
        key.put("circuit", "ge0001");
        RuleHit hit = new RuleHit("starvation-circuit", key, 42, 0, new Rule.Tier(10, Rule.Outcome.ALARM, null),
                List.of());
        HitClient c = new HitClient(ActionTarget.mac(MacAddress.parse("02:00:00:00:00:01")), 42);
        Signal s = Findings.fromRuleHit(new HitOutcome(hit, List.of(c), HitOutcome.Status.ALARMED, ""), NOW,
                Duration.ofHours(1));
        assertEquals("automation/starvation-circuit/relay=198.18.0.2, circuit=ge0001", s.sourceKey());
        assertEquals(List.of("relay 198.18.0.2", "circuit ge0001", "client 02:00:00:00:00:01"),
                s.parties().stream().map(p -> p.role() + " " + p.id()).toList());
        assertNull(Findings.fromRuleHit(new HitOutcome(hit, List.of(c), HitOutcome.Status.ACTED, ""), NOW,
                Duration.ofHours(1)));
    }
}
