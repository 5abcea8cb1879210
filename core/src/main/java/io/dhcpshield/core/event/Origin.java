package io.dhcpshield.core.event;

import io.dhcpshield.core.net.MacAddress;

import java.util.Locale;
import java.util.Objects;

/**
 * Where an event's packet came from. {@link Input#NFQUEUE}: inline, the packet waited for our verdict and mark.
 * {@link Input#TZSP}: observed, a copy mirrored from a remote site by a {@code dhcp-agent}; it got no verdict and no
 * mark (the event's mark is what the processor would have given it, the client's identity everywhere else), its
 * framing is Ethernet, {@code agent} is the address the TZSP datagram came from and {@code l2Destination} the
 * original frame's Ethernet destination (its source is the event's {@link DhcpEvent#l2Source()}).
 */
public record Origin(Input input, String agent, MacAddress l2Destination) {

    /** How the packet reached us. */
    public enum Input {
        NFQUEUE, TZSP;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** The label's input, or null. */
        public static Input ofLabel(String label) {
            for (Input i : values()) {
                if (i.label().equals(label)) {
                    return i;
                }
            }
            return null;
        }
    }

    /** Every packet the kernel queued to us. */
    public static final Origin NFQUEUE = new Origin(Input.NFQUEUE, null, null);

    public Origin {
        Objects.requireNonNull(input, "input");
    }

    /** A mirrored frame from {@code agent} ("address:port"); {@code l2Destination} may be null. */
    public static Origin mirrored(String agent, MacAddress l2Destination) {
        return new Origin(Input.TZSP, Objects.requireNonNull(agent, "agent"), l2Destination);
    }

    /** True when the packet was observed (mirrored), not inline. */
    public boolean observed() {
        return input != Input.NFQUEUE;
    }
}
