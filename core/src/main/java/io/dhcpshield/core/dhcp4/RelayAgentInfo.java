package io.dhcpshield.core.dhcp4;

import io.dhcpshield.core.net.IpAddress;

import java.util.List;
import java.util.Objects;

/**
 * Option 82 (RFC 3046) as the relay wrote it: the sub-options we name, and every sub-option in wire order so that
 * unknown ones are kept.
 */
public record RelayAgentInfo(List<SubOption> subOptions) {

    public static final int CIRCUIT_ID = 1;
    public static final int REMOTE_ID = 2;
    public static final int LINK_SELECTION = 5;
    public static final int SUBSCRIBER_ID = 6;
    public static final int VENDOR_SPECIFIC = 9;

    /** One sub-option, code and raw value. */
    public record SubOption(int code, byte[] value) {
        public SubOption {
            Objects.requireNonNull(value, "value");
        }
    }

    public RelayAgentInfo {
        subOptions = List.copyOf(subOptions);
    }

    /** The first sub-option with {@code code}, or null. */
    public byte[] get(int code) {
        for (SubOption s : subOptions) {
            if (s.code() == code) {
                return s.value();
            }
        }
        return null;
    }

    public byte[] circuitId() {
        return get(CIRCUIT_ID);
    }

    public byte[] remoteId() {
        return get(REMOTE_ID);
    }

    public byte[] subscriberId() {
        return get(SUBSCRIBER_ID);
    }

    public byte[] vendorSpecific() {
        return get(VENDOR_SPECIFIC);
    }

    /** Sub-option 5 (RFC 3527) when it holds exactly four bytes, else null. */
    public IpAddress linkSelection() {
        byte[] v = get(LINK_SELECTION);
        return v != null && v.length == 4 ? IpAddress.of(v) : null;
    }
}
