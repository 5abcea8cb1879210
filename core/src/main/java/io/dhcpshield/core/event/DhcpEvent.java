package io.dhcpshield.core.event;

import io.dhcpshield.core.mark.MarkSource;
import io.dhcpshield.core.net.IpAddress;
import io.dhcpshield.core.net.MacAddress;

import java.util.List;

/**
 * One inspected DHCP packet as it fans out to storage, WebSocket clients, alarms and capture: compact and immutable.
 * Strings and addresses are null when the packet did not carry them; binary identifiers are lower-case hex with
 * colons, as in {@code dpictl analyze}.
 *
 * @param timeMicros     wall-clock time the packet was read, microseconds since the epoch
 * @param queue          the NFQUEUE number (0 for other sources)
 * @param family         4 or 6
 * @param messageType    DHCPv4 option 53 (-1 for BOOTP) or the outermost DHCPv6 type
 * @param innerType      the innermost DHCPv6 type under relay hops; same as messageType otherwise
 * @param mark           the 32-bit mark given in the verdict
 * @param relayAddress   giaddr, or the DHCPv6 link-address of the relay next to the client
 * @param assignedAddress yiaddr of an OFFER/ACK, or the first IA_NA/IA_TA address
 * @param delegatedPrefix the first IA_PD prefix as {@code prefix/len}
 * @param leaseSeconds   option 51, or the valid lifetime of the first IA address/prefix; -1 when absent
 * @param errors         decode error labels (empty for a clean packet)
 */
public record DhcpEvent(
        long timeMicros, int queue, String siteId, Direction direction, int family,
        int messageType, int innerType, String messageTypeName, long transactionId, int mark, MarkSource markSource,
        MacAddress clientMac, String duid, String clientId, String hostname, String vendorClass, String userClass,
        String requestedOptions, IpAddress source, IpAddress destination,
        IpAddress relayAddress, String circuitId, String remoteId, String subscriberId, int relayHops,
        IpAddress requestedAddress, IpAddress assignedAddress, String delegatedPrefix, long leaseSeconds,
        IpAddress serverId, String serverDuid, List<String> errors) {

    public DhcpEvent {
        errors = List.copyOf(errors);
    }

    /** The 24-bit client part of the mark, the key of the enforcement sets. */
    public int clientMark() {
        return mark & 0x00FF_FFFF;
    }
}
