package io.dhcpshield.core.dhcp4;

import java.util.Objects;

/**
 * One DHCPv4 option exactly as it appeared on the wire (one TLV instance), with the area it was found in. Unknown
 * codes are kept like known ones.
 */
public record Dhcp4Option(int code, byte[] value, Area area, int offset) {

    /** Where an option sits: the options field, or the {@code file}/{@code sname} fields under option 52. */
    public enum Area { OPTIONS, FILE, SNAME }

    public Dhcp4Option {
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(area, "area");
    }

    public String name() {
        return Dhcp4OptionCodes.name(code);
    }
}
