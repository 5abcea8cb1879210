package io.dhcpshield.capture;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dhcpshield.core.dhcp4.Dhcp4MessageType;
import io.dhcpshield.core.dhcp6.Dhcp6MessageType;
import io.dhcpshield.core.event.DhcpEvent;
import io.dhcpshield.core.event.Direction;
import io.dhcpshield.core.net.IpAddress;
import io.dhcpshield.core.net.MacAddress;

import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Which packets a capture session keeps: every criterion given must match; absent ones match everything.
 *
 * @param mac         the client MAC ({@code client_mac} of the event)
 * @param duid        the DHCPv6 client DUID, lower-case colon hex
 * @param messageType a DHCPv4 or DHCPv6 message type, matched against the outer and (DHCPv6) the innermost type
 * @param relay       the relay address ({@code relay_ip}: giaddr, or the link-address of the relay next to the client)
 * @param circuit     the circuit id as events show it ({@code circuit_id})
 * @param direction   {@code inbound} (client to server) or {@code outbound} (server to client)
 * @param site        the {@code site} of the event
 */
public record CaptureFilter(MacAddress mac, String duid, MessageType messageType, IpAddress relay, String circuit,
                            Direction direction, String site) {

    /** The filter that keeps every packet. */
    public static final CaptureFilter ALL = new CaptureFilter(null, null, null, null, null, null, null);

    /** The JSON keys, in the order the view writes them. */
    public static final List<String> KEYS = List.of("mac", "duid", "message_type", "relay", "circuit", "direction",
            "site");

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HexFormat HEX = HexFormat.ofDelimiter(":");

    /**
     * True when {@code e} matches. The criteria the verdict path already knew (MAC, type, direction, site) are
     * checked before those that need the event's full decode (DUID, relay, circuit), so most events a filter refuses
     * are refused without one.
     */
    public boolean matches(DhcpEvent e) {
        if (mac != null && !mac.equals(e.clientMac())) {
            return false;
        }
        if (messageType != null && !messageType.matches(e)) {
            return false;
        }
        if (direction != null && direction != e.direction()) {
            return false;
        }
        if (site != null && !site.equals(e.siteId())) {
            return false;
        }
        if (duid != null && !duid.equals(e.duid())) {
            return false;
        }
        if (relay != null && !relay.equals(e.relayAddress())) {
            return false;
        }
        return circuit == null || circuit.equals(e.circuitId());
    }

    /** True when no criterion is given. */
    public boolean isEmpty() {
        return equals(ALL);
    }

    /**
     * A filter from its JSON object (null or JSON null: {@link #ALL}); every problem is reported by field,
     * {@code filter.mac: not a MAC address}.
     */
    public static CaptureFilter of(JsonNode node) {
        Fields f = new Fields();
        CaptureFilter filter = read(node, f);
        f.check();
        return filter;
    }

    /** A filter from a map of the JSON keys to their values. */
    public static CaptureFilter fromMap(Map<String, ?> map) {
        return of(map == null ? null : (JsonNode) JSON.valueToTree(map));
    }

    /** Reads a filter, collecting problems in {@code f} (under the {@code filter.} prefix). */
    static CaptureFilter read(JsonNode node, Fields f) {
        if (node == null || node.isNull()) {
            return ALL;
        }
        if (!node.isObject()) {
            f.problem("filter", "must be an object");
            return ALL;
        }
        f.only(node, "filter.", KEYS);
        MacAddress mac = null;
        String macText = f.text(node, "mac", "filter.mac", 32);
        if (macText != null) {
            try {
                mac = MacAddress.parse(macText);
            } catch (IllegalArgumentException e) {
                f.problem("filter.mac", "not a MAC address (aa:bb:cc:dd:ee:ff)");
            }
        }
        String duid = null;
        String duidText = f.text(node, "duid", "filter.duid", 400);
        if (duidText != null) {
            duid = duid(duidText);
            if (duid == null) {
                f.problem("filter.duid", "not a DUID (hex bytes, 00:03:00:01:...)");
            }
        }
        MessageType type = null;
        String typeText = f.text(node, "message_type", "filter.message_type", 32);
        if (typeText != null) {
            type = MessageType.of(typeText);
            if (type == null) {
                f.problem("filter.message_type", "not a DHCP message type (DISCOVER, REQUEST, SOLICIT, ...)");
            }
        }
        IpAddress relay = null;
        String relayText = f.text(node, "relay", "filter.relay", 64);
        if (relayText != null) {
            try {
                relay = IpAddress.parse(relayText);
            } catch (IllegalArgumentException e) {
                f.problem("filter.relay", "not an IPv4 or IPv6 address");
            }
        }
        String circuit = f.text(node, "circuit", "filter.circuit", 256);
        Direction direction = null;
        String directionText = f.text(node, "direction", "filter.direction", 32);
        if (directionText != null) {
            direction = direction(directionText);
            if (direction == null) {
                f.problem("filter.direction", "must be inbound or outbound");
            }
        }
        String site = f.text(node, "site", "filter.site", 128);
        return new CaptureFilter(mac, duid, type, relay, circuit, direction, site);
    }

    /** {@code inbound}, {@code outbound} or {@code other}: the words of the API and of the packet comments. */
    public static String label(Direction d) {
        return switch (d) {
            case CLIENT_TO_SERVER -> "inbound";
            case SERVER_TO_CLIENT -> "outbound";
            case OTHER -> "other";
        };
    }

    /** The direction of {@code inbound}/{@code outbound} (or the event's own words); null for anything else. */
    static Direction direction(String text) {
        return switch (text.toLowerCase(Locale.ROOT)) {
            case "inbound", "client_to_server" -> Direction.CLIENT_TO_SERVER;
            case "outbound", "server_to_client" -> Direction.SERVER_TO_CLIENT;
            default -> null;
        };
    }

    /** Hex bytes with colons, dashes or nothing between them, as events spell DUIDs; null when not at least 2. */
    static String duid(String text) {
        String hex = text.replace(":", "").replace("-", "");
        if (hex.length() < 4 || hex.length() % 2 != 0) {
            return null;
        }
        try {
            return HEX.formatHex(HexFormat.of().parseHex(hex));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /**
     * A message type by name: the DHCPv4 code, the DHCPv6 code, or both when the name is both's (REQUEST, RELEASE,
     * DECLINE, LEASEQUERY); {@link #NONE} where a family has no such type.
     */
    public record MessageType(String name, int v4, int v6) {

        public static final int NONE = Integer.MIN_VALUE;
        private static final Map<String, MessageType> BY_NAME = new HashMap<>();

        static {
            Map<String, Integer> v4 = new HashMap<>();
            Map<String, Integer> v6 = new HashMap<>();
            v4.put(Dhcp4MessageType.BOOTP.name(), Dhcp4MessageType.BOOTP.code());
            for (int code = 0; code < 256; code++) {
                Dhcp4MessageType t4 = Dhcp4MessageType.valueOf(code);
                if (t4.isKnown()) {
                    v4.put(t4.name(), code);
                }
                Dhcp6MessageType t6 = Dhcp6MessageType.valueOf(code);
                if (t6.isKnown()) {
                    v6.put(t6.name(), code);
                }
            }
            java.util.Set<String> names = new java.util.HashSet<>(v4.keySet());
            names.addAll(v6.keySet());
            for (String n : names) {
                BY_NAME.put(n, new MessageType(n, v4.getOrDefault(n, NONE), v6.getOrDefault(n, NONE)));
            }
        }

        /** The type called {@code name} (case-insensitive, {@code _} for {@code -}); null when none is. */
        public static MessageType of(String name) {
            return BY_NAME.get(name.strip().toUpperCase(Locale.ROOT).replace('_', '-'));
        }

        /** The name of a type code in a family, as events and comments spell it ({@code UNKNOWN-n} when unnamed). */
        public static String nameOf(int family, int code) {
            if (family == 4 && code >= -1 && code < 256) {
                return Dhcp4MessageType.valueOf(code).name();
            }
            if (family == 6 && code >= 0 && code < 256) {
                return Dhcp6MessageType.valueOf(code).name();
            }
            return "UNKNOWN";
        }

        /** DHCPv4: the option 53 type; DHCPv6: the outer type or the innermost one under the relay hops. */
        boolean matches(DhcpEvent e) {
            if (e.family() == 4) {
                return v4 != NONE && e.messageType() == v4;
            }
            return e.family() == 6 && v6 != NONE && (e.messageType() == v6 || e.innerType() == v6);
        }
    }
}
