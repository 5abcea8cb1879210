package io.dhcpshield.core.codec;

import io.dhcpshield.core.dhcp4.Dhcp4Message;
import io.dhcpshield.core.dhcp6.Dhcp6Packet;
import io.dhcpshield.core.identity.ClientIdentity;
import io.dhcpshield.core.mark.MarkSource;
import io.dhcpshield.core.mark.PacketMark;

import java.util.List;

/**
 * The full decode of one packet: framing, the DHCPv4 message or the DHCPv6 packet (at most one is set; neither for
 * non-DHCP), the client identity, the mark exactly as the fast path computes it, and every fault found.
 */
public record DecodedPacket(FrameInfo frame, Dhcp4Message dhcp4, Dhcp6Packet dhcp6, int mark, MarkSource markSource,
                            ClientIdentity identity, List<DecodeFault> faults) {

    public DecodedPacket {
        faults = List.copyOf(faults);
    }

    public boolean isDhcp() {
        return dhcp4 != null || dhcp6 != null;
    }

    /** The message type name: option 53's for DHCPv4, the outermost type for DHCPv6, or null for non-DHCP. */
    public String messageTypeName() {
        if (dhcp4 != null) {
            return dhcp4.messageType().name();
        }
        if (dhcp6 != null) {
            return dhcp6.outerType().name();
        }
        return null;
    }

    public int typeCode() {
        return PacketMark.typeCode(mark);
    }
}
