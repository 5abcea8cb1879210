package io.dhcpshield.simulator;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;

/**
 * One simulation run, immutable: what to send (profile, family, clients), where and how (relay or broadcast), how
 * fast and for how long, and when to give up on an answer.
 *
 * @param profile         what the clients do
 * @param family          4 or 6
 * @param mode            relay (unicast to the server as a relay agent) or broadcast (as clients on a segment)
 * @param target          where packets go: the server (relay mode), or the segment's broadcast/multicast address
 * @param local           the local address: giaddr / link-address in relay mode, bound with the DHCP server or
 *                        client port; the wildcard in broadcast mode
 * @param interfaceName   the interface broadcast mode binds to (SO_BINDTODEVICE), or null
 * @param clients         how many clients (the MAC range's size)
 * @param baseMac         the first client's MAC
 * @param duidType        the clients' DUID type
 * @param duidTime        the DUID-LLT time field
 * @param circuitId       DHCPv4 Option 82 circuit id, or null
 * @param remoteId        DHCPv4 Option 82 remote id, or null
 * @param interfaceId     DHCPv6 interface-id, or null
 * @param attackerId      the circuit / interface id spoofed RELEASEs arrive on
 * @param relayLevels     DHCPv6 RELAY-FORW nesting depth
 * @param rate            exchanges started per second; 0 = as fast as the in-flight window allows
 * @param duration        how long to start exchanges, or null when {@code count} bounds the run
 * @param count           how many exchanges to start, or 0 when {@code duration} bounds the run
 * @param timeout         how long to wait for each answer
 * @param maxInFlight     the most exchanges waiting for an answer at once
 * @param misbehaveRatio  the share of misbehaving exchanges in the mix profile
 * @param seed            the seed for random MACs
 */
public record SimulationConfig(Profile profile, int family, Mode mode, InetSocketAddress target, InetSocketAddress local,
                               String interfaceName, int clients, long baseMac, ClientRange.DuidType duidType,
                               long duidTime, IdTemplate circuitId, IdTemplate remoteId, IdTemplate interfaceId,
                               IdTemplate attackerId, int relayLevels, double rate, Duration duration, long count,
                               Duration timeout, int maxInFlight, double misbehaveRatio, long seed) {

    /** How packets reach the server. */
    public enum Mode {
        /** As a relay agent: unicast from the server port (67/547) with giaddr / RELAY-FORW. Works through routers. */
        RELAY,
        /** As clients on the segment: broadcast (v4) or ff02::1:2 (v6) from the client port, bound to an interface. */
        BROADCAST
    }

    public SimulationConfig {
        Objects.requireNonNull(profile, "profile");
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(local, "local");
        Objects.requireNonNull(duidType, "duidType");
        Objects.requireNonNull(timeout, "timeout");
        if (family != 4 && family != 6) {
            throw new IllegalArgumentException("family must be 4 or 6, not " + family);
        }
        if (!profile.supports(family)) {
            throw new IllegalArgumentException("profile " + profile.cliName() + " is not a DHCPv" + family + " profile");
        }
        if (duration == null && count <= 0) {
            throw new IllegalArgumentException("give a duration or a count");
        }
        if (clients < 1 || maxInFlight < 1 || relayLevels < 1 || rate < 0) {
            throw new IllegalArgumentException("clients, max in-flight and relay levels must be >= 1, rate >= 0");
        }
    }

    /** The local address's bytes (giaddr / link-address). */
    public byte[] localAddressBytes() {
        InetAddress a = local.getAddress();
        return a.getAddress();
    }
}
