package io.dhcpshield.storage;

import io.dhcpshield.core.time.Time;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dhcpshield.core.net.MacAddress;
import io.dhcpshield.enforcement.action.ActionLog;
import io.dhcpshield.enforcement.action.ActionRecord;
import io.dhcpshield.enforcement.action.ActionTarget;
import io.dhcpshield.enforcement.action.ActionType;
import io.dhcpshield.enforcement.action.Actor;
import io.r2dbc.spi.Row;
import java.time.Duration;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * The Action Manager's {@link ActionLog} over the {@code actions_log} table (migration V004, plain MergeTree). Every
 * {@link #save} appends one row, a new version of the action; reads take the newest version per {@code action_id}.
 *
 * <p>Columns: {@code event_time} = when this version was saved (injected time), {@code action} and {@code state}
 * as lowercase labels, {@code client_mark}, {@code client_mac} (the MAC of a MAC target, else 0),
 * {@code duration_secs} (requested; 0 = permanent or not applicable), {@code source} = actor kind
 * ({@code user}, {@code automation_rule}, {@code analysis}, {@code system}), {@code actor} = its name, {@code reason}.
 * {@code duid} = the DUID of a DUID target (else empty). The rest of the record (target kind and text, kernel
 * timeout, taken at, expires at, ended at/by, the ids a cleanup cleared, the kernel error) and a version finer than
 * a second travel as one JSON object in {@code detail} (migration V005). Rows written before V005 carry that JSON in
 * {@code duid} and are read from there. The version ({@code "v"}, microseconds, strictly increasing per process)
 * orders versions saved within the same second.
 */
public final class ClickHouseActionLog implements ActionLog {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final ClickHouseClient client;
    private final Time time;
    private long lastVersion;

    public ClickHouseActionLog(ClickHouseClient client, Time time) {
        this.client = Objects.requireNonNull(client, "client");
        this.time = Objects.requireNonNull(time, "time");
    }

    @Override
    public void save(ActionRecord r) {
        saveAll(List.of(r));
    }

    /** One INSERT (JSONEachRow in the request body) for all of them: an action on 500 clients is one write. */
    @Override
    public synchronized void saveAll(List<ActionRecord> records) {
        if (records.isEmpty()) return;
        Instant now = time.now();
        StringBuilder rows = new StringBuilder();
        for (ActionRecord r : records) {
            rows.append(row(r, now)).append('\n');
        }
        try {
            client.insert("actions_log", COLUMNS, "JSONEachRow", rows.toString().getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("actions_log: " + e.getMessage(), e);
        }
    }

    private static final List<String> COLUMNS = List.of("event_time", "action_id", "action", "state", "client_mark",
            "client_mac", "duid", "duration_secs", "source", "actor", "reason", "detail");

    private ObjectNode row(ActionRecord r, Instant now) {
        long v = Math.max(lastVersion + 1, now.getEpochSecond() * 1_000_000L + now.getNano() / 1000);
        lastVersion = v;
        ObjectNode d = JSON.createObjectNode();
        d.put("v", v);
        d.put("target_kind", r.target().kind().name().toLowerCase(Locale.ROOT));
        d.put("target", r.target().value());
        d.put("kernel_timeout", r.kernelTimeout());
        d.put("duration_ms", r.duration().toMillis());
        d.put("at_ms", r.at().toEpochMilli());
        if (r.expiresAt() != null) d.put("expires_at_ms", r.expiresAt().toEpochMilli());
        if (r.endedAt() != null) d.put("ended_at_ms", r.endedAt().toEpochMilli());
        d.put("ended_by", r.endedBy());
        d.putArray("cleared").addAll(r.cleared().stream().map(u -> JSON.getNodeFactory().textNode(u.toString())).toList());
        d.put("error", r.error());
        long mac = r.target().kind() == ActionTarget.Kind.MAC ? MacAddress.parse(r.target().value()).value() : 0L;
        String duid = r.target().kind() == ActionTarget.Kind.DUID ? r.target().value() : "";
        ObjectNode row = JSON.createObjectNode();
        row.put("event_time", now.getEpochSecond());
        row.put("action_id", r.id().toString());
        row.put("action", r.type().label());
        row.put("state", r.state().name().toLowerCase(Locale.ROOT));
        row.put("client_mark", (long) r.target().clientMark() & 0xffffffffL);
        row.put("client_mac", mac);
        row.put("duid", duid);
        row.put("duration_secs", Math.min(r.duration().toSeconds(), 0xffffffffL));
        row.put("source", r.actor().kind().name().toLowerCase(Locale.ROOT));
        row.put("actor", r.actor().name());
        row.put("reason", r.reason());
        row.put("detail", d.toString());
        return row;
    }

    @Override
    public Optional<ActionRecord> find(UUID id) {
        return newest(Queries.bind("actions.versions_of", id.toString())).stream().findFirst();
    }

    @Override
    public List<ActionRecord> active(Instant now) {
        List<ActionRecord> out = new ArrayList<>();
        for (ActionRecord r : newest(Queries.bind("actions.versions_of_active"))) {
            if (r.activeAt(now)) out.add(r);
        }
        out.sort(Comparator.comparing(ActionRecord::at));
        return out;
    }

    @Override
    public List<ActionRecord> history(Instant from, Instant to) {
        // Every version of an action is saved at or after it was taken, so its rows are all at/after `from`.
        List<ActionRecord> out = new ArrayList<>();
        for (ActionRecord r : newest(Queries.bind("actions.versions_since", from))) {
            if (!r.at().isBefore(from) && r.at().isBefore(to)) out.add(r);
        }
        out.sort(Comparator.comparing(ActionRecord::at));
        return out;
    }

    /** One stored version of an action: its record and its version number ({@code "v"}, µs). */
    record Version(long v, ActionRecord record) {}

    /** Runs a versions query and keeps the newest version of each action id. */
    private List<ActionRecord> newest(String sql) {
        return newest(client.query(sql, (row, meta) -> version(row)).collectList().block());
    }

    /** The newest version of each action id among {@code rows}. */
    static List<ActionRecord> newest(List<Version> rows) {
        Map<String, Version> best = new HashMap<>();
        for (Version v : rows) best.merge(v.record().id().toString(), v, (a, b) -> a.v() >= b.v() ? a : b);
        return best.values().stream().map(Version::record).toList();
    }

    /** A row of the versions columns ({@code action_id, action, state, client_mark, duration_secs, source, actor,
     * reason, duid, detail}, in this order) as one version. */
    static Version version(Row row) {
        return parse(row.get(0, String.class), row.get(1, String.class), row.get(2, String.class),
                Long.parseLong(String.valueOf(row.get(3))), row.get(5, String.class), row.get(6, String.class),
                row.get(7, String.class), detailOf(row.get(8, String.class), row.get(9, String.class)));
    }

    /** The record's JSON: the detail column, or (rows written before migration V005) the duid column. */
    static String detailOf(String duid, String detail) {
        return detail != null && !detail.isEmpty() ? detail : duid;
    }

    private static Version parse(String id, String action, String state, long mark, String source, String actor,
                                 String reason, String detail) {
        try {
            JsonNode d = JSON.readTree(detail);
            ActionTarget target = new ActionTarget(ActionTarget.Kind.valueOf(d.path("target_kind").asText().toUpperCase(Locale.ROOT)),
                    d.path("target").asText(), (int) mark);
            List<UUID> cleared = new ArrayList<>();
            d.path("cleared").forEach(n -> cleared.add(UUID.fromString(n.asText())));
            ActionRecord r = new ActionRecord(UUID.fromString(id), ActionType.parse(action), target,
                    new Actor(Actor.Kind.valueOf(source.toUpperCase(Locale.ROOT)), actor), reason,
                    Duration.ofMillis(d.path("duration_ms").asLong()), d.path("kernel_timeout").asLong(),
                    Instant.ofEpochMilli(d.path("at_ms").asLong()),
                    d.has("expires_at_ms") ? Instant.ofEpochMilli(d.get("expires_at_ms").asLong()) : null,
                    ActionRecord.State.valueOf(state.toUpperCase(Locale.ROOT)),
                    d.has("ended_at_ms") ? Instant.ofEpochMilli(d.get("ended_at_ms").asLong()) : null,
                    d.path("ended_by").asText(), cleared, d.path("error").asText());
            return new Version(d.path("v").asLong(), r);
        } catch (java.io.IOException | RuntimeException e) {
            throw new IllegalStateException("actions_log row " + id + " is not a record this class wrote: " + e.getMessage(), e);
        }
    }
}
