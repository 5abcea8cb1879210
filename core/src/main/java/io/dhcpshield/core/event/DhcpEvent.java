package io.dhcpshield.core.event;

import io.dhcpshield.core.codec.Classification;
import io.dhcpshield.core.codec.DecodeError;
import io.dhcpshield.core.codec.DhcpDecoder;
import io.dhcpshield.core.codec.Framing;
import io.dhcpshield.core.mark.MarkSource;
import io.dhcpshield.core.net.IpAddress;
import io.dhcpshield.core.net.MacAddress;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Objects;

/**
 * One inspected DHCP packet as it fans out to storage, WebSocket clients, alarms and capture: immutable. Strings and
 * addresses are null when the packet did not carry them; binary identifiers are lower-case hex with colons, as in
 * {@code dpictl analyze}.
 *
 * <p>An event made on the verdict path ({@link #captured}) holds only what the fast path already knew (time, queue,
 * family, types, direction, mark, client MAC) and a copy of the packet; the full decode behind every other accessor
 * runs on first use, on the subscriber's thread, once. DPI for storage and display therefore never delays a verdict,
 * and a subscriber that needs none of the details (a counter, a raw capture) costs no decode at all. The copy is
 * kept after the decode ({@link #packet()}, framed as {@link #framing()}): packet capture writes the bytes the verdict
 * path saw.
 */
public final class DhcpEvent {
    private final long timeMicros;
    private final int queue;
    private final String siteId;
    private final int family;
    private final int messageType;
    private final int innerType;
    private final int mark;
    private final MarkSource markSource;
    /** The client MAC as a number, or -1. */
    private final long clientMacValue;
    /**
     * The client MAC's object, made on first use (an event built on the verdict path leaves it to the subscribers'
     * threads); a race builds two equal immutable values.
     */
    private MacAddress clientMac;
    private final Direction direction;
    private final Origin origin;

    /** The packet as its source delivered it (framed as {@link #framing}); null for events built from fields. */
    private final byte[] packet;
    private final Framing framing;
    /*
     * What the full decode needs of the verdict path's classification of the packet, relative to the copy (see
     * Classification.restored): kept as fields of the event rather than as a copy of the classification object,
     * ~100 bytes less a packet on the verdict path. Unused once the details are decoded, and for events built from
     * fields.
     */
    private final DecodeError frameError;
    private final DecodeError dhcpError;
    private final long l2Source;
    private final int l2SourceIndex;
    private final int outerVlan;
    private final int innerVlan;
    private final int ipIndex;
    private final int srcPort;
    private final int dstPort;
    private final int dhcpIndex;
    private final int dhcpLength;
    private volatile Details details;

    /**
     * An event with every field given.
     *
     * @param timeMicros      wall-clock time the packet was read, microseconds since the epoch
     * @param queue           the NFQUEUE number (0 for other sources)
     * @param family          4 or 6
     * @param messageType     DHCPv4 option 53 (-1 for BOOTP) or the outermost DHCPv6 type
     * @param innerType       the innermost DHCPv6 type under relay hops; same as messageType otherwise
     * @param mark            the 32-bit mark given in the verdict
     * @param relayAddress    giaddr, or the DHCPv6 link-address of the relay next to the client
     * @param assignedAddress yiaddr of an OFFER/ACK, or the first IA_NA/IA_TA address
     * @param delegatedPrefix the first IA_PD prefix as {@code prefix/len}
     * @param leaseSeconds    option 51, or the valid lifetime of the first IA address/prefix; -1 when absent
     * @param errors          decode error labels (empty for a clean packet)
     * @param l2Source        the link-layer source the packet arrived from (NFQUEUE's NFQA_HWADDR, the Ethernet
     *                        source of a capture), or null when unknown
     */
    public DhcpEvent(
            long timeMicros,
            int queue,
            String siteId,
            Direction direction,
            int family,
            int messageType,
            int innerType,
            String messageTypeName,
            long transactionId,
            int mark,
            MarkSource markSource,
            MacAddress clientMac,
            String duid,
            String clientId,
            String hostname,
            String vendorClass,
            String userClass,
            String requestedOptions,
            IpAddress source,
            IpAddress destination,
            IpAddress relayAddress,
            String circuitId,
            String remoteId,
            String subscriberId,
            int relayHops,
            IpAddress requestedAddress,
            IpAddress assignedAddress,
            String delegatedPrefix,
            long leaseSeconds,
            IpAddress serverId,
            String serverDuid,
            List<String> errors,
            MacAddress l2Source) {
        this.timeMicros = timeMicros;
        this.queue = queue;
        this.siteId = siteId;
        this.family = family;
        this.messageType = messageType;
        this.innerType = innerType;
        this.mark = mark;
        this.markSource = markSource;
        this.clientMac = clientMac;
        this.clientMacValue = clientMac != null ? clientMac.value() : -1;
        this.direction = direction;
        this.origin = Origin.NFQUEUE;
        this.packet = null;
        this.framing = null;
        this.frameError = null;
        this.dhcpError = null;
        this.l2Source = -1;
        this.l2SourceIndex = -1;
        this.outerVlan = -1;
        this.innerVlan = -1;
        this.ipIndex = -1;
        this.srcPort = -1;
        this.dstPort = -1;
        this.dhcpIndex = -1;
        this.dhcpLength = 0;
        this.details = new Details(messageTypeName, transactionId, duid, clientId, hostname, vendorClass,
                userClass, requestedOptions, source, destination, relayAddress, circuitId, remoteId, subscriberId,
                relayHops, requestedAddress, assignedAddress, delegatedPrefix, leaseSeconds, serverId, serverDuid,
                List.copyOf(errors), l2Source);
    }

    /** An event with every field given but no link-layer source (events stored before it was kept, tests). */
    public DhcpEvent(long timeMicros, int queue, String siteId, Direction direction, int family, int messageType,
                     int innerType, String messageTypeName, long transactionId, int mark, MarkSource markSource,
                     MacAddress clientMac, String duid, String clientId, String hostname, String vendorClass,
                     String userClass, String requestedOptions, IpAddress source, IpAddress destination,
                     IpAddress relayAddress, String circuitId, String remoteId, String subscriberId, int relayHops,
                     IpAddress requestedAddress, IpAddress assignedAddress, String delegatedPrefix, long leaseSeconds,
                     IpAddress serverId, String serverDuid, List<String> errors) {
        this(timeMicros, queue, siteId, direction, family, messageType, innerType, messageTypeName, transactionId,
                mark, markSource, clientMac, duid, clientId, hostname, vendorClass, userClass, requestedOptions,
                source, destination, relayAddress, circuitId, remoteId, subscriberId, relayHops, requestedAddress,
                assignedAddress, delegatedPrefix, leaseSeconds, serverId, serverDuid, errors, null);
    }

    /** An event of {@code packet}, a copy of the bytes at {@code base} that the fast path classified into {@code c}. */
    private DhcpEvent(long timeMicros, int queue, String siteId, Classification c, int base, int mark, byte[] packet,
                      Origin origin) {
        this.timeMicros = timeMicros;
        this.queue = queue;
        this.siteId = Objects.requireNonNull(siteId, "siteId");
        this.family = c.family();
        this.messageType = c.messageType();
        this.innerType = c.innerMessageType();
        this.mark = mark;
        this.markSource = c.markSource();
        this.clientMacValue = c.mac() >= 0 ? c.mac() : -1;
        this.dhcpIndex = rebased(c.dhcpIndex(), base);
        this.direction = direction(c, dhcpIndex, packet);
        this.origin = origin;
        this.packet = packet;
        this.framing = c.framing();
        this.frameError = c.frameError();
        this.dhcpError = c.dhcpError();
        this.l2Source = c.l2Source();
        this.l2SourceIndex = rebased(c.l2SourceIndex(), base);
        this.outerVlan = c.outerVlan();
        this.innerVlan = c.innerVlan();
        this.ipIndex = rebased(c.ipIndex(), base);
        this.srcPort = c.srcPort();
        this.dstPort = c.dstPort();
        this.dhcpLength = c.dhcpLength();
    }

    private static int rebased(int index, int base) {
        return index >= 0 ? index - base : -1;
    }

    /**
     * The direction from what the fast path read (the BOOTP op byte; the DHCPv6 outer and inner types), the same
     * rule the full decode applies, so filtering by direction costs no decode.
     */
    private static Direction direction(Classification c, int dhcpIndex, byte[] packet) {
        if (c.family() == 6) {
            return Direction.ofDhcp6(c.messageType(), c.innerMessageType());
        }
        int op = dhcpIndex >= 0 && dhcpIndex < packet.length ? packet[dhcpIndex] & 0xFF : -1;
        return Direction.ofDhcp4(op);
    }

    /**
     * The event of a packet just verdicted: copies {@code length} bytes at {@code index} (the packet the fast path
     * classified into {@code c}, from that index, framed as {@code c.framing()}) and defers the full decode to the
     * first accessor that needs it. The decode reuses what it needs of {@code c} (kept as fields of the event; the
     * caller reuses {@code c} at once): the packet is classified once. Reads {@code buf} through its internal NIO
     * view ({@link #copy}): not for a buffer other threads read at the same time.
     */
    public static DhcpEvent captured(ByteBuf buf, int index, int length, Classification c, int mark,
                                     long timeMicros, int queue, String siteId) {
        byte[] copy = copy(buf, index, length);
        return new DhcpEvent(timeMicros, queue, siteId, c, index, mark, copy, Origin.NFQUEUE);
    }

    /**
     * The event of an observed packet (mirrored over TZSP: no verdict, no kernel mark): copies {@code length} bytes
     * at {@code index}, framed as {@code c.framing()}, and defers the full decode like {@link #captured}. The mark is
     * the one the processor would have given the packet (the client's identity); queue 0. Like {@link #captured},
     * not for a buffer other threads read at the same time.
     */
    public static DhcpEvent observed(ByteBuf buf, int index, int length, Classification c, long timeMicros,
                                     String siteId, Origin origin) {
        byte[] copy = copy(buf, index, length);
        return new DhcpEvent(timeMicros, 0, siteId, c, index, c.mark(), copy, Objects.requireNonNull(origin, "origin"));
    }

    /**
     * {@code length} bytes at {@code index}, bounds-checked. A direct buffer without {@code Unsafe} (Netty's default
     * on JDK 25+, and what the NFQUEUE ring is) answers {@code getBytes} by duplicating its {@code ByteBuffer} on
     * every call, an allocation the JIT did not remove on the verdict path (a JFR CPU-time profile at 100k packets/s:
     * a tenth of the loop's Java samples); its cached internal view is positioned instead, so this is single-threaded
     * like the rest of a buffer's position state.
     */
    static byte[] copy(ByteBuf buf, int index, int length) {
        byte[] copy = new byte[length];
        if (!buf.hasArray() && buf.nioBufferCount() == 1) {
            buf.internalNioBuffer(index, length).get(copy);
        } else {
            buf.getBytes(index, copy);
        }
        return copy;
    }

    /** A copy from another origin (stored events read back, tests); everything else is shared. */
    public DhcpEvent withOrigin(Origin origin) {
        return new DhcpEvent(this, Objects.requireNonNull(origin, "origin"));
    }

    private DhcpEvent(DhcpEvent e, Origin origin) {
        this.timeMicros = e.timeMicros;
        this.queue = e.queue;
        this.siteId = e.siteId;
        this.family = e.family;
        this.messageType = e.messageType;
        this.innerType = e.innerType;
        this.mark = e.mark;
        this.markSource = e.markSource;
        this.clientMacValue = e.clientMacValue;
        this.clientMac = e.clientMac;
        this.direction = e.direction;
        this.origin = origin;
        this.packet = e.packet;
        this.framing = e.framing;
        this.frameError = e.frameError;
        this.dhcpError = e.dhcpError;
        this.l2Source = e.l2Source;
        this.l2SourceIndex = e.l2SourceIndex;
        this.outerVlan = e.outerVlan;
        this.innerVlan = e.innerVlan;
        this.ipIndex = e.ipIndex;
        this.srcPort = e.srcPort;
        this.dstPort = e.dstPort;
        this.dhcpIndex = e.dhcpIndex;
        this.dhcpLength = e.dhcpLength;
        this.details = e.details();
    }

    /** The decoded details, computed once by whichever thread asks first. */
    private Details details() {
        Details d = details;
        if (d == null) {
            synchronized (this) {
                d = details;
                if (d == null) {
                    Classification c = Classification.restored(family, framing, frameError, dhcpError,
                            packet.length, l2SourceIndex, l2Source, outerVlan, innerVlan, ipIndex, srcPort, dstPort,
                            dhcpIndex, dhcpLength, mark, markSource, clientMacValue);
                    d = DhcpEvents.of(DhcpDecoder.decode(Unpooled.wrappedBuffer(packet), c), timeMicros, queue,
                            siteId).details;
                    details = d;
                }
            }
        }
        return d;
    }

    /** True once the packet has been decoded (always for events built with every field). */
    public boolean isDecoded() {
        return details != null;
    }

    /** Everything beyond what the fast path knew. */
    private record Details(String messageTypeName, long transactionId, String duid,
                           String clientId, String hostname, String vendorClass, String userClass,
                           String requestedOptions, IpAddress source, IpAddress destination, IpAddress relayAddress,
                           String circuitId, String remoteId, String subscriberId, int relayHops,
                           IpAddress requestedAddress, IpAddress assignedAddress, String delegatedPrefix,
                           long leaseSeconds, IpAddress serverId, String serverDuid, List<String> errors,
                           MacAddress l2Source) {
    }

    /** The 24-bit client part of the mark, the key of the enforcement sets. */
    public int clientMark() {
        return mark & 0x00FF_FFFF;
    }

    public long timeMicros() {
        return timeMicros;
    }

    public int queue() {
        return queue;
    }

    public String siteId() {
        return siteId;
    }

    /** Inline from NFQUEUE, or observed from a TZSP agent (with the agent and the original L2 destination). */
    public Origin origin() {
        return origin;
    }

    /** Known without decoding: read from the packet's op byte or types on the verdict path. */
    public Direction direction() {
        return direction;
    }

    public int family() {
        return family;
    }

    public int messageType() {
        return messageType;
    }

    public int innerType() {
        return innerType;
    }

    public String messageTypeName() {
        return details().messageTypeName();
    }

    public long transactionId() {
        return details().transactionId();
    }

    public int mark() {
        return mark;
    }

    public MarkSource markSource() {
        return markSource;
    }

    public MacAddress clientMac() {
        MacAddress m = clientMac;
        if (m == null && clientMacValue >= 0) {
            m = new MacAddress(clientMacValue);
            clientMac = m;
        }
        return m;
    }

    public String duid() {
        return details().duid();
    }

    public String clientId() {
        return details().clientId();
    }

    public String hostname() {
        return details().hostname();
    }

    public String vendorClass() {
        return details().vendorClass();
    }

    public String userClass() {
        return details().userClass();
    }

    public String requestedOptions() {
        return details().requestedOptions();
    }

    public IpAddress source() {
        return details().source();
    }

    public IpAddress destination() {
        return details().destination();
    }

    public IpAddress relayAddress() {
        return details().relayAddress();
    }

    public String circuitId() {
        return details().circuitId();
    }

    public String remoteId() {
        return details().remoteId();
    }

    public String subscriberId() {
        return details().subscriberId();
    }

    public int relayHops() {
        return details().relayHops();
    }

    public IpAddress requestedAddress() {
        return details().requestedAddress();
    }

    public IpAddress assignedAddress() {
        return details().assignedAddress();
    }

    public String delegatedPrefix() {
        return details().delegatedPrefix();
    }

    public long leaseSeconds() {
        return details().leaseSeconds();
    }

    public IpAddress serverId() {
        return details().serverId();
    }

    public String serverDuid() {
        return details().serverDuid();
    }

    public List<String> errors() {
        return details().errors();
    }

    /**
     * The link-layer source the packet arrived from: NFQUEUE's NFQA_HWADDR, or the Ethernet/SLL source of a capture;
     * null when the source did not give one. On unrelayed client traffic it should equal {@link #clientMac()}.
     */
    public MacAddress l2Source() {
        return details().l2Source();
    }

    /**
     * The packet's bytes as its source delivered them (IP header first for NFQUEUE, the Ethernet header first for
     * TZSP), read-only and positioned at the first byte; null when the event was built from fields (stored events,
     * tests). Each call returns a new view of the same bytes, so readers never disturb one another.
     */
    public ByteBuffer packet() {
        return packet != null ? ByteBuffer.wrap(packet).asReadOnlyBuffer() : null;
    }

    /** The length of {@link #packet()}, or -1 when the event has no packet. */
    public int packetLength() {
        return packet != null ? packet.length : -1;
    }

    /** What sits in front of the IP header in {@link #packet()}; null when the event has no packet. */
    public Framing framing() {
        return framing;
    }

    @Override
    public String toString() {
        return "DhcpEvent{queue=" + queue + ", type=" + messageType + ", mark=" + String.format("0x%08x", mark)
                + ", mac=" + clientMac() + '}';
    }
}
