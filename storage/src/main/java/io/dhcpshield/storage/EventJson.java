package io.dhcpshield.storage;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dhcpshield.core.event.DhcpEvent;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * The JSON form of an event, one object per line: the Vector output, the processor's event log. Absent values are
 * left out; names follow {@code dpictl analyze} where the fields are the same.
 */
public final class EventJson {

    private static final ObjectMapper JSON = new ObjectMapper();

    private EventJson() {
    }

    public static ObjectNode toJson(DhcpEvent e) {
        ObjectNode n = JSON.createObjectNode();
        n.put("time_us", e.timeMicros()).put("queue", e.queue()).put("site", e.siteId())
                .put("direction", e.direction().name().toLowerCase()).put("family", e.family())
                .put("msg_type", e.messageTypeName()).put("msg_type_code", e.messageType())
                .put("inner_type", e.innerType()).put("xid", e.transactionId())
                .put("mark", String.format("0x%08x", e.mark())).put("mark_source", e.markSource().label());
        put(n, "client_mac", e.clientMac());
        put(n, "duid", e.duid());
        put(n, "client_id", e.clientId());
        put(n, "hostname", e.hostname());
        put(n, "vendor_class", e.vendorClass());
        put(n, "user_class", e.userClass());
        put(n, "prl", e.requestedOptions());
        put(n, "src_ip", e.source());
        put(n, "dst_ip", e.destination());
        put(n, "relay", e.relayAddress());
        put(n, "circuit_id", e.circuitId());
        put(n, "remote_id", e.remoteId());
        put(n, "subscriber_id", e.subscriberId());
        n.put("relay_hops", e.relayHops());
        put(n, "requested_ip", e.requestedAddress());
        put(n, "assigned_ip", e.assignedAddress());
        put(n, "prefix", e.delegatedPrefix());
        if (e.leaseSeconds() >= 0) {
            n.put("lease_secs", e.leaseSeconds());
        }
        put(n, "server_id", e.serverId());
        put(n, "server_duid", e.serverDuid());
        e.errors().forEach(n.withArray("errors")::add);
        return n;
    }

    /** One line per event, each ending in a newline. */
    public static byte[] lines(List<DhcpEvent> batch) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(batch.size() * 400);
        try {
            for (DhcpEvent e : batch) {
                JSON.writeValue(out, toJson(e));
                out.write('\n');
            }
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        return out.toByteArray();
    }

    private static void put(ObjectNode n, String field, Object value) {
        if (value != null) {
            n.put(field, value.toString());
        }
    }
}
