package io.dhcpshield.api.resources;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dhcpshield.api.http.Json;
import io.dhcpshield.core.event.DhcpEvent;
import io.dhcpshield.core.json.EventJson;
import io.dhcpshield.enforcement.action.ActionRecord;
import io.dhcpshield.storage.AuditEntry;
import io.dhcpshield.storage.HistoryQueries;
import io.dhcpshield.storage.StoredUser;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * The JSON of every resource the API returns, in one place: events through the one event model
 * ({@link EventJson}); actions, bindings, devices, users and audit entries as documented in the OpenAPI document.
 * Times are ISO-8601 UTC; absent values are left out.
 */
public final class Views {

    private Views() {
    }

    static ObjectNode object() {
        return Json.MAPPER.createObjectNode();
    }

    static JsonNode event(DhcpEvent e) {
        return EventJson.toJson(e);
    }

    public static ObjectNode action(ActionRecord r) {
        ObjectNode n = object();
        n.put("id", r.id().toString());
        n.put("action", r.type().label());
        n.put("state", r.state().name().toLowerCase(Locale.ROOT));
        target(n.putObject("target"), r.target());
        n.put("actor", r.actor().toString());
        n.put("reason", r.reason());
        n.put("duration_secs", r.duration().toSeconds());
        n.put("kernel_timeout_secs", r.kernelTimeout());
        n.put("at", r.at().toString());
        time(n, "expires_at", r.expiresAt());
        time(n, "ended_at", r.endedAt());
        if (!r.endedBy().isEmpty()) {
            n.put("ended_by", r.endedBy());
        }
        if (!r.cleared().isEmpty()) {
            ArrayNode a = n.putArray("cleared");
            for (UUID id : r.cleared()) {
                a.add(id.toString());
            }
        }
        if (!r.error().isEmpty()) {
            n.put("error", r.error());
        }
        return n;
    }

    /** An action target: what the operator typed, its kind and the 24-bit mark the kernel sets use. */
    static ObjectNode target(ObjectNode t, io.dhcpshield.enforcement.action.ActionTarget target) {
        t.put("kind", target.kind().name().toLowerCase(Locale.ROOT));
        t.put("value", target.value());
        t.put("client_mark", String.format("0x%06x", target.clientMark()));
        return t;
    }

    static ArrayNode actions(List<ActionRecord> list) {
        ArrayNode a = Json.MAPPER.createArrayNode();
        list.forEach(r -> a.add(action(r)));
        return a;
    }

    static ObjectNode binding(HistoryQueries.Binding b) {
        ObjectNode n = object();
        text(n, "ip", b.ip());
        text(n, "prefix", b.prefix());
        n.put("lease_start", b.leaseStart().toString());
        n.put("lease_end", b.leaseEnd().toString());
        text(n, "client_mac", b.mac());
        text(n, "duid", b.duid());
        text(n, "client_id", b.clientId());
        text(n, "hostname", b.hostname());
        text(n, "circuit_id", b.circuitId());
        text(n, "remote_id", b.remoteId());
        text(n, "relay_ip", b.relayIp());
        text(n, "server_id", b.serverId());
        return n;
    }

    static ArrayNode seen(List<HistoryQueries.Seen> list) {
        ArrayNode a = Json.MAPPER.createArrayNode();
        for (HistoryQueries.Seen s : list) {
            ObjectNode n = a.addObject();
            n.put("value", s.value());
            n.put("events", s.events());
            time(n, "first_seen", s.firstSeen());
            time(n, "last_seen", s.lastSeen());
        }
        return a;
    }

    static ObjectNode device(HistoryQueries.DeviceSummary d) {
        ObjectNode n = object();
        n.put("client", d.client() instanceof io.dhcpshield.storage.Client.ByMac m ? m.mac().toString()
                : ((io.dhcpshield.storage.Client.ByDuid) d.client()).duid().toString());
        n.put("kind", d.client() instanceof io.dhcpshield.storage.Client.ByMac ? "mac" : "duid");
        n.put("events", d.events());
        n.put("client_messages", d.clientMessages());
        time(n, "first_seen", d.firstSeen());
        time(n, "last_seen", d.lastSeen());
        ObjectNode identity = n.putObject("identity");
        identity.set("macs", seen(d.macs()));
        identity.set("duids", seen(d.duids()));
        identity.set("client_ids", seen(d.clientIds()));
        identity.set("mark_sources", seen(d.markSources()));
        identity.set("client_marks", seen(d.clientMarks()));
        ObjectNode fp = n.putObject("fingerprint");
        if (d.fingerprint() != null) {
            text(fp, "prl", d.fingerprint().parameterRequestList());
            text(fp, "vendor_class", d.fingerprint().vendorClass());
            text(fp, "hostname", d.fingerprint().hostname());
        }
        ObjectNode history = n.putObject("fingerprint_history");
        history.set("prl", seen(d.parameterRequestLists()));
        history.set("vendor_class", seen(d.vendorClasses()));
        history.set("hostname", seen(d.hostnames()));
        ArrayNode relays = n.putArray("relays");
        for (HistoryQueries.RelaySeen r : d.relays()) {
            ObjectNode x = relays.addObject();
            text(x, "relay_ip", r.relayIp());
            text(x, "circuit_id", r.circuitId());
            text(x, "remote_id", r.remoteId());
            x.put("events", r.events());
            time(x, "first_seen", r.firstSeen());
            time(x, "last_seen", r.lastSeen());
        }
        ArrayNode bindings = n.putArray("bindings");
        d.bindings().forEach(b -> bindings.add(binding(b)));
        n.set("enforcement", actions(d.enforcement()));
        n.set("actions", actions(d.actions()));
        return n;
    }

    static ObjectNode user(StoredUser u) {
        ObjectNode n = object();
        n.put("username", u.username());
        n.put("role", u.role());
        n.put("disabled", u.disabled());
        time(n, "updated_at", u.updatedAt());
        return n;
    }

    static ObjectNode audit(AuditEntry e) {
        ObjectNode n = object();
        n.put("time", e.time().toString());
        n.put("actor", e.actor());
        n.put("username", e.username());
        n.put("action", e.action());
        n.put("target", e.target());
        try {
            JsonNode detail = e.detail().isEmpty() ? null : Json.MAPPER.readTree(e.detail());
            if (detail != null) {
                n.set("detail", detail);
            }
        } catch (java.io.IOException ex) {
            n.put("detail", e.detail());
        }
        return n;
    }

    /** The keyset cursor of the following page, or null on the last page. */
    static void next(ObjectNode n, io.dhcpshield.storage.Cursor next) {
        if (next != null) {
            n.put("next", next.token());
        } else {
            n.putNull("next");
        }
    }

    static void time(ObjectNode n, String field, Instant t) {
        if (t != null) {
            n.put(field, t.toString());
        }
    }

    static void text(ObjectNode n, String field, String v) {
        if (v != null && !v.isEmpty()) {
            n.put(field, v);
        }
    }
}
