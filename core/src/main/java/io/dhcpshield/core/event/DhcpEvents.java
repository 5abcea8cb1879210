package io.dhcpshield.core.event;

import io.dhcpshield.core.codec.DecodedPacket;
import io.dhcpshield.core.dhcp4.Dhcp4Message;
import io.dhcpshield.core.dhcp4.RelayAgentInfo;
import io.dhcpshield.core.dhcp6.Dhcp6Message;
import io.dhcpshield.core.dhcp6.Dhcp6Packet;
import io.dhcpshield.core.dhcp6.Duid;
import io.dhcpshield.core.dhcp6.IaAddress;
import io.dhcpshield.core.dhcp6.IaPrefix;
import io.dhcpshield.core.dhcp6.IdentityAssociation;
import io.dhcpshield.core.dhcp6.RelayHop;
import io.dhcpshield.core.identity.ClientIdentity;
import io.dhcpshield.core.identity.RelayIdentity;
import io.dhcpshield.core.net.IpAddress;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;

/** Builds {@link DhcpEvent}s from full decodes. */
public final class DhcpEvents {

    private static final HexFormat HEX = HexFormat.ofDelimiter(":");

    private DhcpEvents() {
    }

    /** The event of a decoded DHCP packet; {@code p.isDhcp()} must be true. */
    public static DhcpEvent of(DecodedPacket p, long timeMicros, int queue, String siteId) {
        if (!p.isDhcp()) {
            throw new IllegalArgumentException("not a DHCP packet");
        }
        ClientIdentity id = p.identity();
        RelayIdentity relay = id.relay();
        List<String> errors;
        if (p.faults().isEmpty()) {
            errors = List.of();
        } else {
            String[] labels = new String[p.faults().size()];
            for (int i = 0; i < labels.length; i++) {
                labels[i] = p.faults().get(i).error().label();
            }
            errors = List.of(labels);
        }
        String duid = id.duid() != null ? id.duid().toString() : null;
        String clientId = id.clientId() != null ? HEX.formatHex(id.clientId()) : null;
        IpAddress relayAddress = relay != null ? relay.address() : null;
        String circuit = relay != null ? text(relay.circuitId()) : null;
        String remote = relay != null ? text(relay.remoteId()) : null;
        if (p.dhcp4() != null) {
            Dhcp4Message m = p.dhcp4();
            RelayAgentInfo rai = m.relayAgentInfo();
            int type = m.messageType().code();
            Long lease = m.leaseTime();
            boolean assigns = type == 2 || type == 5;
            return new DhcpEvent(timeMicros, queue, siteId, Direction.ofDhcp4(m.op()), 4, type, type,
                    m.messageType().name(), m.xid(), p.mark(), p.markSource(), id.mac(), duid, clientId,
                    m.hostname() != null ? m.hostname() : m.clientFqdn() != null ? m.clientFqdn().name() : null,
                    m.vendorClass(), userClass(m.userClass()), codes(m.parameterRequestList()),
                    p.frame().source(), p.frame().destination(), relayAddress, circuit, remote,
                    rai != null ? text(rai.subscriberId()) : null, 0, m.requestedAddress(),
                    assigns && !m.yiaddr().isUnspecified() ? m.yiaddr() : null, null, lease != null ? lease : -1,
                    m.serverId(), null, errors, p.frame().l2Source());
        }
        Dhcp6Packet d = p.dhcp6();
        Dhcp6Message m = d.message();
        int outer = d.outerType().code();
        // A relay chain whose innermost message is missing or past the depth limit has no inner type (-1), as the
        // verdict path's classification says (the events of NFQUEUE and TZSP) and EventJson renders.
        int inner = m != null ? m.type().code() : d.hops().isEmpty() ? outer : -1;
        IpAddress assigned = null;
        String prefix = null;
        long lease = -1;
        List<IdentityAssociation> ias = m != null ? m.identityAssociations() : null;
        if (ias != null) {
            for (IdentityAssociation ia : ias) {
                for (IaAddress a : ia.addresses()) {
                    if (assigned == null) {
                        assigned = a.address();
                        lease = a.validLifetime();
                    }
                }
                for (IaPrefix pr : ia.prefixes()) {
                    if (prefix == null) {
                        prefix = pr.toString();
                        lease = lease < 0 ? pr.validLifetime() : lease;
                    }
                }
            }
        }
        RelayHop innermost = d.innermostHop();
        Duid server = m != null ? m.serverId() : null;
        boolean fromServer = inner == 2 || inner == 7 || inner == 10;
        return new DhcpEvent(timeMicros, queue, siteId, Direction.ofDhcp6(outer, inner), 6, outer, inner,
                d.outerType().name(), m != null ? m.transactionId() : -1, p.mark(), p.markSource(),
                id.mac(), duid, null, m != null && m.clientFqdn() != null ? m.clientFqdn().name() : null,
                vendorClassText(m),
                m != null ? userClass(m.userClass()) : null, m != null ? codes(m.requestedOptions()) : null,
                p.frame().source(), p.frame().destination(), relayAddress, circuit, remote,
                innermost != null ? text(innermost.subscriberId()) : null, d.hops().size(),
                null, fromServer ? assigned : null, fromServer ? prefix : null, fromServer ? lease : -1,
                null, server != null ? server.toString() : null, errors, p.frame().l2Source());
    }

    private static String vendorClassText(Dhcp6Message m) {
        List<String> items = m != null ? m.vendorClassItems() : null;
        return items != null ? String.join(",", items) : null;
    }

    private static String codes(int[] codes) {
        if (codes == null) {
            return null;
        }
        StringBuilder sb = new StringBuilder(codes.length * 3);
        for (int i = 0; i < codes.length; i++) {
            if (i > 0) {
                sb.append(',');
            }
            sb.append(codes[i]);
        }
        return sb.toString();
    }

    private static String userClass(List<byte[]> items) {
        if (items == null) {
            return null;
        }
        StringBuilder sb = new StringBuilder();
        for (byte[] item : items) {
            if (sb.length() > 0) {
                sb.append(',');
            }
            sb.append(text(item));
        }
        return sb.toString();
    }

    /** Printable ASCII as text, anything else as hex: identifiers are often binary. */
    static String text(byte[] b) {
        if (b == null) {
            return null;
        }
        for (byte x : b) {
            if (x < 0x20 || x > 0x7E) {
                return HEX.formatHex(b);
            }
        }
        return new String(b, StandardCharsets.US_ASCII);
    }
}
