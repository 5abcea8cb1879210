package io.dhcpshield.alarms;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

/**
 * The one JSON form of an alarm and of a notification (docs/alarms.md): the API, the live stream's {@code alarm}
 * messages, the Vector sink and the {@code alarms} table's context column all write it from here. Times are ISO-8601
 * UTC; absent times are left out.
 */
public final class AlarmJson {

    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private AlarmJson() {
    }

    public static ObjectNode alarm(Alarm a) {
        ObjectNode n = F.objectNode();
        n.put("id", a.id());
        n.put("source_key", a.sourceKey());
        n.put("channel", a.channel().label());
        n.put("category", a.category());
        n.put("kind", a.kind());
        n.put("severity", a.severity().label());
        n.put("state", a.state().label());
        n.put("title", a.title());
        n.put("message", a.message());
        n.put("raised_at", a.raisedAt().toString());
        n.put("last_seen", a.lastSeen().toString());
        n.put("occurrences", a.occurrences());
        time(n, "acknowledged_at", a.acknowledgedAt());
        if (!a.acknowledgedBy().isEmpty()) {
            n.put("acknowledged_by", a.acknowledgedBy());
        }
        time(n, "cleared_at", a.clearedAt());
        if (!a.clearedBy().isEmpty()) {
            n.put("cleared_by", a.clearedBy());
        }
        var ctx = n.putArray("context");
        for (Party p : a.context()) {
            ctx.add(party(p));
        }
        ObjectNode facts = n.putObject("facts");
        new TreeMap<>(a.facts()).forEach(facts::put);
        return n;
    }

    public static ObjectNode party(Party p) {
        ObjectNode o = F.objectNode();
        o.put("role", p.role());
        o.put("id", p.id());
        if (!p.mac().isEmpty()) {
            o.put("mac", p.mac());
        }
        o.put("count", p.count());
        o.put("first_seen", p.firstSeen().toString());
        o.put("last_seen", p.lastSeen().toString());
        return o;
    }

    /**
     * A notification as sinks send it: {@code {"type":"alarm","change":"raised","id":...,"time":...,"route":...,
     * "appliance":...,"alarm":{...}}}.
     */
    public static ObjectNode notification(Notification n, String appliance) {
        ObjectNode o = F.objectNode();
        o.put("type", "alarm");
        o.put("change", n.change().label());
        o.put("id", n.id());
        o.put("time", n.time().toString());
        o.put("route", n.route());
        o.put("appliance", appliance);
        o.set("alarm", alarm(n.alarm()));
        return o;
    }

    /** Reads an alarm back from {@link #alarm} (the history's {@code alarm_json}); fails on a malformed one. */
    public static Alarm parse(com.fasterxml.jackson.databind.JsonNode n) {
        java.util.List<Party> parties = new java.util.ArrayList<>();
        for (var p : n.path("context")) {
            parties.add(new Party(p.path("role").asText(), p.path("id").asText(), p.path("mac").asText(""),
                    p.path("count").asLong(), Instant.parse(p.path("first_seen").asText()),
                    Instant.parse(p.path("last_seen").asText())));
        }
        Map<String, String> facts = new java.util.LinkedHashMap<>();
        n.path("facts").fields().forEachRemaining(e -> facts.put(e.getKey(), e.getValue().asText()));
        return new Alarm(n.path("id").asText(), n.path("source_key").asText(), Channel.of(n.path("channel").asText()),
                n.path("category").asText(), n.path("kind").asText(), Severity.of(n.path("severity").asText()),
                AlarmState.of(n.path("state").asText()), n.path("title").asText(), n.path("message").asText(),
                Instant.parse(n.path("raised_at").asText()), Instant.parse(n.path("last_seen").asText()),
                n.path("occurrences").asLong(), optTime(n, "acknowledged_at"), n.path("acknowledged_by").asText(""),
                optTime(n, "cleared_at"), n.path("cleared_by").asText(""), parties, facts);
    }

    private static Instant optTime(com.fasterxml.jackson.databind.JsonNode n, String f) {
        return n.hasNonNull(f) ? Instant.parse(n.get(f).asText()) : null;
    }

    private static void time(ObjectNode n, String field, Instant t) {
        if (t != null) {
            n.put(field, t.toString());
        }
    }
}
