package io.dhcpshield.capture;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The JSON forms of packet capture (docs/capture.md), snake_case: a session as the API returns it and as its sidecar
 * {@code <id>.json} stores it, and the list with counters and storage totals. The API resource writes these and
 * nothing else.
 */
public final class CaptureJson {

    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private CaptureJson() {
    }

    /**
     * {@code {"id","label","state","stop_reason","filter","limits":{"max_packets","max_bytes","max_seconds"},
     * "packets","bytes","dropped","started_at","stopped_at","created_by","file_bytes"}}; {@code stop_reason} and
     * {@code stopped_at} are null while the session runs.
     */
    public static ObjectNode session(CaptureSession s) {
        ObjectNode n = F.objectNode();
        n.put("id", s.id());
        n.put("label", s.label());
        n.put("state", s.state().label());
        if (s.stopReason() != null) {
            n.put("stop_reason", s.stopReason().label());
        } else {
            n.putNull("stop_reason");
        }
        n.set("filter", filter(s.filter()));
        n.set("limits", limits(s.limits()));
        n.put("packets", s.packets());
        n.put("bytes", s.bytes());
        n.put("dropped", s.dropped());
        n.put("started_at", s.startedAt().toString());
        if (s.stoppedAt() != null) {
            n.put("stopped_at", s.stoppedAt().toString());
        } else {
            n.putNull("stopped_at");
        }
        n.put("created_by", s.createdBy());
        n.put("file_bytes", s.fileBytes());
        return n;
    }

    /** The criteria given, normalised ({@code "direction": "inbound"}, lower-case MAC and DUID); {} for none. */
    public static ObjectNode filter(CaptureFilter f) {
        ObjectNode n = F.objectNode();
        if (f.mac() != null) {
            n.put("mac", f.mac().toString());
        }
        if (f.duid() != null) {
            n.put("duid", f.duid());
        }
        if (f.messageType() != null) {
            n.put("message_type", f.messageType().name());
        }
        if (f.relay() != null) {
            n.put("relay", f.relay().toString());
        }
        if (f.circuit() != null) {
            n.put("circuit", f.circuit());
        }
        if (f.direction() != null) {
            n.put("direction", CaptureFilter.label(f.direction()));
        }
        if (f.site() != null) {
            n.put("site", f.site());
        }
        return n;
    }

    public static ObjectNode limits(CaptureLimits l) {
        ObjectNode n = F.objectNode();
        n.put("max_packets", l.maxPackets());
        n.put("max_bytes", l.maxBytes());
        n.put("max_seconds", l.maxSeconds());
        return n;
    }

    /**
     * {@code {"offered","matched","written","written_bytes","filtered_out","dropped_<reason>"...,"write_errors",
     * "load_errors","sessions_started","sessions_stopped":{reason: n},"retention_removed":{"size","age"},
     * "running"}}.
     */
    public static ObjectNode counters(CaptureManager.Counters c) {
        ObjectNode n = F.objectNode();
        n.put("offered", c.offered());
        n.put("matched", c.matched());
        n.put("written", c.written());
        n.put("written_bytes", c.writtenBytes());
        n.put("filtered_out", c.filteredOut());
        c.dropped().forEach((reason, v) -> n.put("dropped_" + reason, v));
        n.put("write_errors", c.writeErrors());
        n.put("load_errors", c.loadErrors());
        n.put("sessions_started", c.sessionsStarted());
        n.set("sessions_stopped", counts(c.sessionsStopped()));
        n.set("retention_removed", counts(c.retentionRemoved()));
        n.put("running", c.running());
        return n;
    }

    /** {@code {"bytes","files","max_bytes","max_age_hours"}}. */
    public static ObjectNode storage(CaptureManager.Storage s) {
        ObjectNode n = F.objectNode();
        n.put("bytes", s.bytes());
        n.put("files", s.files());
        n.put("max_bytes", s.maxBytes());
        n.put("max_age_hours", s.maxAgeHours());
        return n;
    }

    /** The list answer: {@code {"captures":[session...],"counters":{...},"storage":{...}}}. */
    public static ObjectNode list(List<CaptureSession> sessions, CaptureManager.Counters counters,
                                  CaptureManager.Storage storage) {
        ObjectNode n = F.objectNode();
        var a = n.putArray("captures");
        sessions.forEach(s -> a.add(session(s)));
        n.set("counters", counters(counters));
        n.set("storage", storage(storage));
        return n;
    }

    private static ObjectNode counts(Map<String, Long> m) {
        ObjectNode n = F.objectNode();
        m.forEach(n::put);
        return n;
    }

    /**
     * A session read back from its sidecar (what {@link #session} wrote); IllegalArgumentException when a field is
     * missing or wrong.
     */
    static CaptureSession readSession(JsonNode n) {
        String id = required(n, "id").asText();
        JsonNode limits = required(n, "limits");
        CaptureLimits l = new CaptureLimits(required(limits, "max_packets").asLong(),
                required(limits, "max_bytes").asLong(), required(limits, "max_seconds").asLong());
        JsonNode reason = n.get("stop_reason");
        JsonNode stopped = n.get("stopped_at");
        return new CaptureSession(id, n.path("label").asText(""), n.path("created_by").asText(""),
                CaptureFilter.of(n.get("filter")), l,
                CaptureSession.State.valueOf(required(n, "state").asText().toUpperCase(java.util.Locale.ROOT)),
                reason == null || reason.isNull() ? null : StopReason.of(reason.asText()),
                n.path("packets").asLong(), n.path("bytes").asLong(), n.path("dropped").asLong(),
                Instant.parse(required(n, "started_at").asText()),
                stopped == null || stopped.isNull() ? null : Instant.parse(stopped.asText()),
                n.path("file_bytes").asLong());
    }

    private static JsonNode required(JsonNode n, String key) {
        JsonNode v = n.get(key);
        if (v == null || v.isNull()) {
            throw new IllegalArgumentException("missing " + key);
        }
        return v;
    }
}
