package io.dhcpshield.core.json;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dhcpshield.core.codec.DecodeError;
import io.dhcpshield.core.event.DhcpEvent;
import io.dhcpshield.core.mark.PacketMark;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;

/**
 * The one JSON form of an event (schema {@value #SCHEMA_VERSION}, docs/events.md): the event log, the Vector output,
 * the API's event resources and the live stream all write it from a {@link DhcpEvent}, live or stored. Keys shared
 * with the decoded-packet form ({@link PacketJson}, {@code dpictl analyze}) have the same name, type and meaning
 * there; absent values are left out, never null. Written with a streaming generator: no tree per event.
 */
public final class EventJson {

    /** Bumped when a key changes meaning or type; adding keys does not bump it. */
    public static final int SCHEMA_VERSION = 1;

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JsonFactory FACTORY = MAPPER.getFactory();

    private EventJson() {
    }

    /** Writes {@code e} as one JSON object. */
    public static void write(JsonGenerator g, DhcpEvent e) throws IOException {
        g.writeStartObject();
        g.writeNumberField("v", SCHEMA_VERSION);
        long micros = e.timeMicros();
        g.writeStringField("time", Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L),
                Math.floorMod(micros, 1_000_000L) * 1_000L).toString());
        g.writeNumberField("time_us", micros);
        if (e.siteId() != null && !e.siteId().isEmpty()) {
            g.writeStringField("site", e.siteId());
        }
        g.writeNumberField("queue", e.queue());
        if (e.origin().observed()) {
            // Observed, not inline: mirrored by a TZSP agent; no verdict, no kernel mark.
            g.writeStringField("input", e.origin().input().label());
            string(g, "agent", e.origin().agent());
            string(g, "l2_dst", e.origin().l2Destination());
        }
        g.writeStringField("direction", e.direction().name().toLowerCase(java.util.Locale.ROOT));
        g.writeNumberField("family", e.family());
        string(g, "msg_type", e.messageTypeName());
        g.writeNumberField("msg_type_code", e.messageType());
        // A relay message whose innermost message is missing or past the depth limit has no inner type (-1).
        if (e.family() == 6 && e.relayHops() > 0 && e.innerType() >= 0 && e.innerType() <= 255) {
            g.writeStringField("inner_msg_type", Names.dhcp6(e.innerType()));
            g.writeNumberField("inner_msg_type_code", e.innerType());
        }
        if (e.transactionId() >= 0) {
            g.writeStringField("xid", e.family() == 6 ? hex(e.transactionId(), 6)
                    : hex(e.transactionId(), 8));
        }
        g.writeStringField("mark", PacketMark.toHex(e.mark()));
        g.writeStringField("mark_type", hex(PacketMark.typeCode(e.mark()), 2));
        g.writeStringField("client_mark", hex(PacketMark.clientMark(e.mark()), 6));
        g.writeStringField("mark_source", e.markSource().label());
        string(g, "client_mac", e.clientMac());
        // The name and meaning of the decoded-packet form's key (dpictl analyze): one key, one meaning.
        string(g, "l2_src", e.l2Source());
        string(g, "duid", e.duid());
        string(g, "client_id", e.clientId());
        string(g, "hostname", e.hostname());
        String vendor = e.vendorClass();
        if (vendor != null && !vendor.isEmpty()) {
            if (e.family() == 6) {
                // As in dpictl analyze: DHCPv6 option 16 is a list of items.
                g.writeArrayFieldStart("vendor_class");
                for (String item : vendor.split(",", -1)) {
                    g.writeString(item);
                }
                g.writeEndArray();
            } else {
                g.writeStringField("vendor_class", vendor);
            }
        }
        String userClass = e.userClass();
        if (userClass != null && !userClass.isEmpty()) {
            g.writeArrayFieldStart("user_class");
            for (String item : userClass.split(",", -1)) {
                g.writeStartObject();
                g.writeStringField("text", item);
                g.writeEndObject();
            }
            g.writeEndArray();
        }
        String prl = e.requestedOptions();
        if (prl != null && !prl.isEmpty()) {
            g.writeArrayFieldStart(e.family() == 6 ? "oro" : "prl");
            for (String code : prl.split(",")) {
                try {
                    g.writeNumber(Integer.parseInt(code.trim()));
                } catch (NumberFormatException ex) {
                    // A stored list is always numbers; anything else is skipped rather than failing the event.
                }
            }
            g.writeEndArray();
        }
        string(g, "src_ip", e.source());
        string(g, "dst_ip", e.destination());
        string(g, "relay_ip", e.relayAddress());
        string(g, "circuit_id", e.circuitId());
        string(g, "remote_id", e.remoteId());
        string(g, "subscriber_id", e.subscriberId());
        if (e.relayHops() > 0) {
            g.writeNumberField("relay_hop_count", e.relayHops());
        }
        string(g, "requested_ip", e.requestedAddress());
        string(g, "assigned_ip", e.assignedAddress());
        string(g, "prefix", e.delegatedPrefix());
        if (e.leaseSeconds() >= 0) {
            g.writeNumberField("lease_time", e.leaseSeconds());
        }
        string(g, "server_id", e.serverId());
        string(g, "server_duid", e.serverDuid());
        List<String> errors = e.errors();
        if (!errors.isEmpty()) {
            g.writeArrayFieldStart("errors");
            for (String label : errors) {
                g.writeStartObject();
                g.writeStringField("error", label);
                DecodeError err = Names.error(label);
                if (err != null) {
                    g.writeStringField("category", Names.category(err));
                }
                g.writeEndObject();
            }
            g.writeEndArray();
        }
        g.writeEndObject();
    }

    /** The event as UTF-8 JSON bytes. */
    public static byte[] toBytes(DhcpEvent e) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(512);
        try (JsonGenerator g = FACTORY.createGenerator(out, JsonEncoding.UTF8)) {
            write(g, e);
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        return out.toByteArray();
    }

    /** The event as a tree (tests, tools; the hot paths write bytes). */
    public static ObjectNode toJson(DhcpEvent e) {
        try {
            return (ObjectNode) MAPPER.readTree(toBytes(e));
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    /** One line per event, each ending in a newline (the event log, the Vector output). */
    public static byte[] lines(List<DhcpEvent> batch) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(batch.size() * 512);
        writeLines(out, batch);
        return out.toByteArray();
    }

    /** Writes one line per event to {@code out}. */
    public static void writeLines(OutputStream out, List<DhcpEvent> batch) {
        try (JsonGenerator g = FACTORY.createGenerator(out, JsonEncoding.UTF8)) {
            g.configure(JsonGenerator.Feature.AUTO_CLOSE_TARGET, false);
            g.setRootValueSeparator(null);
            for (DhcpEvent e : batch) {
                write(g, e);
                g.writeRaw('\n');
            }
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    private static void string(JsonGenerator g, String field, Object value) throws IOException {
        if (value != null) {
            String s = value.toString();
            if (!s.isEmpty()) {
                g.writeStringField(field, s);
            }
        }
    }

    /** {@code 0x} and at least {@code digits} lower-case hex digits: String.format's %0Nx without its cost. */
    static String hex(long value, int digits) {
        String h = Long.toHexString(value);
        return h.length() >= digits ? "0x" + h : "0x" + "0".repeat(digits - h.length()) + h;
    }
}
