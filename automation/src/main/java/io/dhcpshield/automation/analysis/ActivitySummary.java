package io.dhcpshield.automation.analysis;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dhcpshield.core.net.MacAddress;
import io.dhcpshield.core.time.Time;
import io.dhcpshield.enforcement.action.ActionRecord;
import io.dhcpshield.enforcement.action.ActionTarget;
import io.dhcpshield.storage.ClickHouseClient;
import io.dhcpshield.storage.Client;
import io.dhcpshield.storage.HistoryQueries;
import io.dhcpshield.storage.HistoryQueries.DeviceSummary;
import io.dhcpshield.storage.HistoryQueries.Seen;
import io.dhcpshield.storage.Queries;
import reactor.core.publisher.Mono;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What the backend is shown about one device: the storage's device summary ({@link HistoryQueries#device}: identity,
 * fingerprint and its history, relays, bindings, actions in force and past) plus its messages by type and direction
 * over the recent window, as one JSON document. Never raw events: the backend reviews a summary (seed 000).
 */
final class ActivitySummary {

    /** Events of one message type in one direction in the window. */
    record TypeCount(int family, String type, String direction, long events) {
    }

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final int ALL_MARKS = 0xFF_FFFF;
    private static final MacAddress NO_MAC = new MacAddress(0);

    private final ClickHouseClient client;
    private final HistoryQueries history;
    private final Time time;
    private final Duration window;
    private final int limit;

    ActivitySummary(ClickHouseClient client, Time time, Duration window, int limit) {
        this.client = Objects.requireNonNull(client, "client");
        this.time = Objects.requireNonNull(time, "time");
        this.window = Objects.requireNonNull(window, "window");
        this.limit = limit;
        this.history = new HistoryQueries(client, time, window);
    }

    /** The client a target names for history queries; empty for a bare client mark (it has no history of its own). */
    static Optional<Client> clientOf(ActionTarget t) {
        return switch (t.kind()) {
            case MAC -> Optional.of(Client.of(MacAddress.parse(t.value())));
            case DUID -> Optional.of(Client.of(Client.duid(t.value())));
            case MARK -> Optional.empty();
        };
    }

    /** The summary of {@code who} as JSON text. */
    Mono<String> summarize(Client who, ActionTarget target, String requestedBy) {
        Instant to = time.now();
        Instant from = to.minus(window);
        Mono<Optional<DeviceSummary>> device = history.device(who, limit).map(Optional::of)
                .defaultIfEmpty(Optional.empty());
        Mono<List<TypeCount>> types = client.query(Queries.bind("analysis.device_message_types",
                        append(clientKey(who), from, to)),
                (row, meta) -> new TypeCount((int) ResultStore.num(row, 0), ResultStore.str(row, 1),
                        ResultStore.str(row, 2), ResultStore.num(row, 3)))
                .collectList();
        return Mono.zip(device, types).map(t -> json(target, requestedBy, from, to, t.getT2(), t.getT1().orElse(null)));
    }

    /** The document; {@code d} null when nothing is stored about the device. */
    static String json(ActionTarget target, String requestedBy, Instant from, Instant to, List<TypeCount> types,
                       DeviceSummary d) {
        ObjectNode root = JSON.createObjectNode();
        ObjectNode device = root.putObject("device");
        device.put("target", target.toString());
        device.put("client_mark", String.format("0x%06x", target.clientMark()));
        device.put("requested_by", requestedBy);
        ObjectNode w = root.putObject("window");
        w.put("from", from.toString());
        w.put("to", to.toString());
        w.put("hours", Duration.between(from, to).toHours());
        ArrayNode counts = root.putArray("messages_in_window");
        long inWindow = 0;
        for (TypeCount c : types) {
            counts.addObject().put("family", "v" + c.family()).put("type", c.type()).put("direction", c.direction())
                    .put("events", c.events());
            inWindow += c.events();
        }
        w.put("events", inWindow);
        if (d == null) {
            root.put("stored", "nothing is stored about this device");
            return write(root);
        }
        ObjectNode all = root.putObject("all_time");
        all.put("events", d.events());
        all.put("from_client", d.clientMessages());
        all.put("first_seen", d.firstSeen() == null ? null : d.firstSeen().toString());
        all.put("last_seen", d.lastSeen() == null ? null : d.lastSeen().toString());
        ObjectNode identity = root.putObject("identity");
        seen(identity.putArray("macs"), d.macs());
        seen(identity.putArray("duids"), d.duids());
        seen(identity.putArray("client_ids"), d.clientIds());
        seen(identity.putArray("mark_sources"), d.markSources());
        seen(identity.putArray("client_marks"), d.clientMarks());
        ObjectNode fp = root.putObject("fingerprint");
        fp.put("parameter_request_list", d.fingerprint().parameterRequestList());
        fp.put("vendor_class", d.fingerprint().vendorClass());
        fp.put("hostname", d.fingerprint().hostname());
        ObjectNode history = root.putObject("fingerprint_history");
        history.put("distinct_parameter_request_lists", d.parameterRequestLists().size());
        history.put("distinct_vendor_classes", d.vendorClasses().size());
        history.put("distinct_hostnames", d.hostnames().size());
        seen(history.putArray("parameter_request_lists"), d.parameterRequestLists());
        seen(history.putArray("vendor_classes"), d.vendorClasses());
        seen(history.putArray("hostnames"), d.hostnames());
        ArrayNode relays = root.putArray("relays");
        for (HistoryQueries.RelaySeen r : d.relays()) {
            relays.addObject().put("relay_ip", r.relayIp()).put("circuit_id", r.circuitId())
                    .put("remote_id", r.remoteId()).put("events", r.events())
                    .put("first_seen", r.firstSeen().toString()).put("last_seen", r.lastSeen().toString());
        }
        ArrayNode bindings = root.putArray("bindings");
        for (HistoryQueries.Binding b : d.bindings()) {
            ObjectNode o = bindings.addObject();
            o.put(b.prefix().isEmpty() ? "ip" : "prefix", b.prefix().isEmpty() ? b.ip() : b.prefix());
            o.put("lease_start", b.leaseStart().toString()).put("lease_end", b.leaseEnd().toString())
                    .put("hostname", b.hostname()).put("circuit_id", b.circuitId()).put("relay_ip", b.relayIp());
        }
        actions(root.putArray("actions_in_force"), d.enforcement());
        actions(root.putArray("past_actions"), d.actions());
        return write(root);
    }

    private static void seen(ArrayNode out, List<Seen> seen) {
        for (Seen s : seen) {
            out.addObject().put("value", s.value()).put("events", s.events())
                    .put("first_seen", s.firstSeen().toString()).put("last_seen", s.lastSeen().toString());
        }
    }

    private static void actions(ArrayNode out, List<ActionRecord> records) {
        for (ActionRecord a : records) {
            ObjectNode o = out.addObject();
            o.put("action", a.type().label()).put("state", a.state().name().toLowerCase(java.util.Locale.ROOT))
                    .put("by", a.actor().toString()).put("reason", a.reason()).put("at", a.at().toString());
            if (a.expiresAt() != null) {
                o.put("expires_at", a.expiresAt().toString());
            }
        }
    }

    private static String write(ObjectNode root) {
        try {
            return JSON.writeValueAsString(root);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** As the storage's history templates take a client: mark range, MAC switch and value, DUID switch and value. */
    private static Object[] clientKey(Client who) {
        int mark = who.eventMark().orElse(-1);
        MacAddress mac = who instanceof Client.ByMac m ? m.mac() : null;
        String duid = who instanceof Client.ByDuid d ? d.duid().toString() : null;
        return new Object[] {mark < 0 ? 0 : mark, mark < 0 ? ALL_MARKS : mark, mac == null ? 0 : 1,
                mac == null ? NO_MAC : mac, duid == null ? 0 : 1, duid == null ? "" : duid};
    }

    private static Object[] append(Object[] head, Object... tail) {
        Object[] out = new Object[head.length + tail.length];
        System.arraycopy(head, 0, out, 0, head.length);
        System.arraycopy(tail, 0, out, head.length, tail.length);
        return out;
    }
}
