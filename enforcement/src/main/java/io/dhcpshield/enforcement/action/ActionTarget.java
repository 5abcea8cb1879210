package io.dhcpshield.enforcement.action;

import io.dhcpshield.core.dhcp6.Duid;
import io.dhcpshield.core.mark.ClientHash;
import io.dhcpshield.core.mark.PacketMark;
import io.dhcpshield.core.net.MacAddress;
import java.util.HexFormat;
import java.util.Objects;

/**
 * What an action is aimed at, as the operator typed it (a MAC, a 24-bit client mark, or a DHCPv6 DUID), and the
 * client mark the kernel sets are keyed by. A DUID resolves exactly as the packet classifier marks its packets: the
 * MAC of a DUID-LL or DUID-LLT with hardware type 1, else the 24-bit hash of the DUID's bytes.
 */
public record ActionTarget(Kind kind, String value, int clientMark) {
    public enum Kind { MAC, MARK, DUID }

    public ActionTarget {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(value, "value");
        if ((clientMark & ~PacketMark.CLIENT_MASK) != 0) {
            throw new IllegalArgumentException("a client mark has 24 bits: " + Integer.toHexString(clientMark));
        }
    }

    public static ActionTarget mac(MacAddress mac) {
        return new ActionTarget(Kind.MAC, mac.toString(), mac.low24());
    }

    public static ActionTarget mark(int clientMark) {
        return new ActionTarget(Kind.MARK, String.format("0x%06x", clientMark), clientMark);
    }

    public static ActionTarget duid(Duid duid) {
        MacAddress mac = duid.mac();
        int m = mac != null ? mac.low24() : ClientHash.of(duid.raw());
        return new ActionTarget(Kind.DUID, duid.toString(), m);
    }

    /**
     * {@code aa:bb:cc:dd:ee:ff} (or with dashes) is a MAC, {@code 0x...} a client mark, any other colon-separated
     * hex (7+ bytes) a DUID.
     */
    public static ActionTarget parse(String text) {
        String t = text.trim().toLowerCase(java.util.Locale.ROOT);
        if (t.startsWith("0x")) {
            long v = Long.parseLong(t.substring(2), 16);
            if (v < 0 || v > PacketMark.CLIENT_MASK) throw new IllegalArgumentException("a client mark has 24 bits: " + text);
            return mark((int) v);
        }
        String hex = t.replace(":", "").replace("-", "");
        if (hex.length() == 12) return mac(MacAddress.parse(t));
        if (hex.length() >= 4 && hex.length() % 2 == 0 && hex.matches("[0-9a-f]+")) {
            return duid(Duid.of(HexFormat.of().parseHex(hex)));
        }
        throw new IllegalArgumentException("not a MAC, client mark (0x...) or DUID: '" + text + "'");
    }

    @Override
    public String toString() { return kind.name().toLowerCase(java.util.Locale.ROOT) + " " + value; }
}
