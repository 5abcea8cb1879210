package io.dhcpshield.storage;

import io.dhcpshield.core.dhcp6.Duid;
import io.dhcpshield.core.net.MacAddress;
import io.dhcpshield.enforcement.action.ActionTarget;

import java.util.HexFormat;
import java.util.OptionalInt;

/**
 * A client as an operator names it: by MAC address or by DHCPv6 DUID. Storage finds its events by the client mark
 * they carry when that mark is certain (see {@link #eventMark()}), which is the leading column of
 * {@code dhcp_events}' primary key.
 */
public sealed interface Client {

    /** A client by MAC: every event whose client MAC is this one (DHCPv4 chaddr/option 61, DHCPv6 DUID-LL/LLT, ...). */
    record ByMac(MacAddress mac) implements Client {
        public ByMac {
            Arguments.required(mac, "mac");
        }
    }

    /** A DHCPv6 client by DUID: every event carrying this client identifier. */
    record ByDuid(Duid duid) implements Client {
        public ByDuid {
            Arguments.required(duid, "duid");
        }
    }

    static Client of(MacAddress mac) {
        return new ByMac(mac);
    }

    static Client of(Duid duid) {
        return new ByDuid(duid);
    }

    /**
     * A MAC ({@code aa:bb:cc:dd:ee:ff}, dashes or none: 12 hex digits) or a DUID (other colon-separated hex), by the
     * same rule as an action target; an {@link IllegalArgumentException} naming "client" otherwise.
     */
    static Client parse(String text) {
        Arguments.text(text, "client");
        ActionTarget t;
        try {
            t = ActionTarget.parse(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("client must be a MAC or a DUID, was '" + text + "'", e);
        }
        return switch (t.kind()) {
            case MAC -> new ByMac(MacAddress.parse(t.value()));
            case DUID -> new ByDuid(duid(t.value()));
            case MARK -> throw new IllegalArgumentException("client must be a MAC or a DUID, was '" + text + "'");
        };
    }

    /** A DUID from hex text, colons or dashes allowed ({@code 00:03:00:01:...}); "duid" named when it is not one. */
    static Duid duid(String text) {
        Arguments.text(text, "duid");
        String hex = text.strip().replace(":", "").replace("-", "");
        try {
            if (hex.length() < 4) {
                throw new IllegalArgumentException("too short");
            }
            return Duid.of(HexFormat.of().parseHex(hex));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("duid must be hex bytes (00:03:00:01:...), was '" + text + "'", e);
        }
    }

    /**
     * The client mark every event of this client carries, when it is certain: a MAC's low 24 bits, and for a DUID-LL
     * or DUID-LLT with an Ethernet address that MAC's (the packet classifier marks such a DUID by its MAC first).
     * Empty for other DUIDs: their packets are marked by the DUID's hash, or by a MAC from relay option 79 or the
     * link-layer source, so no single mark finds all of them.
     */
    default OptionalInt eventMark() {
        MacAddress mac = this instanceof ByMac m ? m.mac() : ((ByDuid) this).duid().mac();
        return mac == null ? OptionalInt.empty() : OptionalInt.of(mac.low24());
    }

    /** The action target naming this client (its mark is the one the kernel sets are keyed by). */
    default ActionTarget actionTarget() {
        return this instanceof ByMac m ? ActionTarget.mac(m.mac()) : ActionTarget.duid(((ByDuid) this).duid());
    }
}
