package io.dhcpshield.api.stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dhcpshield.api.http.ApiError;
import io.dhcpshield.api.http.Json;
import io.dhcpshield.api.http.Params;
import io.dhcpshield.core.event.DhcpEvent;
import io.dhcpshield.core.event.Direction;
import io.dhcpshield.core.net.IpAddress;
import io.dhcpshield.core.net.MacAddress;

import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * What one stream client wants to see: every criterion given must match (MAC, DUID, message type — outer or inner,
 * relay address, circuit id, direction, errors only, site). Built from the upgrade request's query or a
 * {@code {"type":"filter", ...}} message; invalid values are refused with the field named.
 */
public record StreamFilter(MacAddress mac, String duid, String messageType, IpAddress relayIp, String circuitId,
                           Direction direction, boolean errorsOnly, String site) {

    public static final StreamFilter ALL = new StreamFilter(null, null, null, null, null, null, false, null);
    static final Set<String> FIELDS = Set.of("mac", "duid", "msg_type", "relay_ip", "circuit_id", "direction",
            "errors_only", "site");

    public boolean matches(DhcpEvent e) {
        if (mac != null && !mac.equals(e.clientMac())) {
            return false;
        }
        if (messageType != null && !messageType.equalsIgnoreCase(e.messageTypeName())
                && !(e.family() == 6 && messageType.equalsIgnoreCase(innerName(e)))) {
            return false;
        }
        if (direction != null && direction != e.direction()) {
            return false;
        }
        if (errorsOnly && e.errors().isEmpty()) {
            return false;
        }
        if (site != null && !site.equals(e.siteId())) {
            return false;
        }
        if (duid != null && !duid.equalsIgnoreCase(e.duid())) {
            return false;
        }
        if (relayIp != null && !relayIp.equals(e.relayAddress())) {
            return false;
        }
        return circuitId == null || circuitId.equals(e.circuitId());
    }

    /** The innermost DHCPv6 type's name; none (null) when a relay message carries no readable inner message. */
    private static String innerName(DhcpEvent e) {
        int t = e.innerType();
        return t >= 0 && t <= 255 ? io.dhcpshield.core.dhcp6.Dhcp6MessageType.valueOf(t).name() : null;
    }

    /** From the upgrade request's query parameters. */
    public static StreamFilter of(Map<String, java.util.List<String>> query) {
        for (String name : query.keySet()) {
            if (name.equals("token") || name.equals("access_token")) {
                throw ApiError.badRequest(name, "a token in the URL is refused (it ends up in logs): send it in the "
                        + "Sec-WebSocket-Protocol header as bearer.<token> or in the first message");
            }
        }
        Params p = new Params(query).only(FIELDS.toArray(String[]::new));
        return new StreamFilter(p.mac("mac"), lower(p.string("duid", 300)), p.string("msg_type", 32),
                p.ip("relay_ip"), p.string("circuit_id", 256), direction(p.string("direction", 32)),
                p.bool("errors_only"), p.string("site", 128));
    }

    /** From a {@code filter} message's fields. */
    public static StreamFilter of(ObjectNode msg) {
        Iterator<String> names = msg.fieldNames();
        while (names.hasNext()) {
            String n = names.next();
            if (!n.equals("type") && !FIELDS.contains(n)) {
                throw ApiError.badRequest(n, "unknown filter field '" + n + "'");
            }
        }
        String macText = Json.optionalString(msg, "mac", 32);
        MacAddress mac = null;
        if (macText != null && !macText.isEmpty()) {
            try {
                mac = MacAddress.parse(macText);
            } catch (RuntimeException e) {
                throw ApiError.badRequest("mac", "mac is not a MAC address: '" + macText + "'");
            }
        }
        String relay = Json.optionalString(msg, "relay_ip", 64);
        JsonNode errors = msg.get("errors_only");
        if (errors != null && !errors.isBoolean() && !errors.isNull()) {
            throw ApiError.badRequest("errors_only", "errors_only must be true or false");
        }
        return new StreamFilter(mac, lower(blank(Json.optionalString(msg, "duid", 300))),
                blank(Json.optionalString(msg, "msg_type", 32)),
                relay == null || relay.isEmpty() ? null : Params.ip("relay_ip", relay),
                blank(Json.optionalString(msg, "circuit_id", 256)),
                direction(blank(Json.optionalString(msg, "direction", 32))),
                errors != null && errors.asBoolean(), blank(Json.optionalString(msg, "site", 128)));
    }

    /** The filter as the hello and filter acknowledgements show it. */
    public ObjectNode toJson() {
        ObjectNode n = Json.MAPPER.createObjectNode();
        if (mac != null) {
            n.put("mac", mac.toString());
        }
        if (duid != null) {
            n.put("duid", duid);
        }
        if (messageType != null) {
            n.put("msg_type", messageType);
        }
        if (relayIp != null) {
            n.put("relay_ip", relayIp.toString());
        }
        if (circuitId != null) {
            n.put("circuit_id", circuitId);
        }
        if (direction != null) {
            n.put("direction", direction.name().toLowerCase(Locale.ROOT));
        }
        if (errorsOnly) {
            n.put("errors_only", true);
        }
        if (site != null) {
            n.put("site", site);
        }
        return n;
    }

    private static String blank(String s) {
        return s == null || s.isEmpty() ? null : s;
    }

    private static String lower(String s) {
        return s == null ? null : s.toLowerCase(Locale.ROOT);
    }

    private static Direction direction(String s) {
        if (s == null) {
            return null;
        }
        try {
            return Direction.valueOf(s.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw ApiError.badRequest("direction", "direction must be client_to_server, server_to_client or other");
        }
    }
}
