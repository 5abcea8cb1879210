package io.dhcpshield.alarms;

import io.dhcpshield.automation.AlarmEvent;
import io.dhcpshield.automation.rules.HitClient;
import io.dhcpshield.automation.rules.HitOutcome;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Automation's findings as signals: a detector's alarm ({@code detector/<kind>/<subject>}, category {@code client})
 * and an automation rule's hit whose action is alarm ({@code automation/<rule>/<group key>}). They are findings,
 * not conditions re-checked every interval, so they hold for {@code operational.alarms.finding_hold_seconds}.
 */
public final class Findings {

    private Findings() {
    }

    public static Signal fromDetector(AlarmEvent e, Duration hold) {
        Instant t = e.time();
        List<Party> parties = new ArrayList<>();
        parties.add(new Party(e.subject().matches("([0-9a-f]{2}:){5}[0-9a-f]{2}") ? "client" : "subject",
                e.subject(), "", 1, t, t));
        Map<String, String> facts = new LinkedHashMap<>(e.context());
        facts.put("detector", e.source());
        return new Signal("detector/" + e.kind() + "/" + e.subject(), Channel.DETECTOR, "client", e.kind(),
                Severity.of(e.severity()), words(e.kind()) + ": " + e.subject(), e.message(), parties, facts, hold);
    }

    /** The signal of a rule hit that alarmed, or null for any other outcome. */
    public static Signal fromRuleHit(HitOutcome o, Instant now, Duration hold) {
        if (o.status() != HitOutcome.Status.ALARMED) {
            return null;
        }
        List<Party> parties = new ArrayList<>();
        o.hit().key().forEach((name, value) -> {
            if (!value.isEmpty() && List.of("relay", "circuit", "site", "vendor_class").contains(name)) {
                parties.add(new Party(name, value, "", 1, now, now));
            }
        });
        for (HitClient c : o.clients()) {
            parties.add(new Party(c.target().kind() == io.dhcpshield.enforcement.action.ActionTarget.Kind.MARK
                    ? "mark" : "client", c.target().value(), "", 1, now, now));
        }
        Map<String, String> facts = new LinkedHashMap<>();
        facts.put("rule", o.hit().ruleId());
        facts.put("value", Double.toString(o.hit().value()));
        facts.put("tier", Integer.toString(o.hit().tier()));
        facts.put("group", o.hit().keyText());
        String key = o.hit().keyText();
        return new Signal("automation/" + o.hit().ruleId() + "/" + key, Channel.AUTOMATION, "client",
                "automation_rule", Severity.WARNING, "Automation rule " + o.hit().ruleId() + ": " + key,
                o.detail() == null || o.detail().isEmpty() ? "rule " + o.hit().ruleId() + " matched " + key
                        + " (value " + o.hit().value() + ")" : o.detail(), parties, facts, hold);
    }

    private static String words(String kind) {
        String s = kind.replace('_', ' ');
        return s.isEmpty() ? s : s.substring(0, 1).toUpperCase(Locale.ROOT) + s.substring(1);
    }
}
