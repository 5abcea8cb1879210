package io.dhcpshield.core.dhcp6;

import java.util.Objects;

/** One DHCPv6 option as it appeared on the wire; {@code offset} counts from the start of the UDP payload. */
public record Dhcp6Option(int code, byte[] value, int offset) {

    public Dhcp6Option {
        Objects.requireNonNull(value, "value");
    }

    public String name() {
        return Dhcp6OptionCodes.name(code);
    }
}
