package io.dhcpshield.storage;

import io.dhcpshield.core.dhcp6.Duid;
import io.dhcpshield.core.event.Direction;
import io.dhcpshield.core.net.IpAddress;
import io.dhcpshield.core.net.MacAddress;

import java.time.Instant;

/**
 * Which stored events to list: the time range {@code [from, to)} (required; whole seconds, as stored) and any
 * combination of the optional criteria, each null (or false) when not wanted. Immutable: start with
 * {@link #between} and add criteria, each call returning a new query.
 *
 * @param ip          the assigned, the requested or the source address
 * @param messageType the stored type name: {@code DISCOVER}, {@code ACK}, {@code SOLICIT}, ... (DHCPv6 relayed
 *                    messages are stored under the outer name, {@code RELAY-FORW} / {@code RELAY-REPL})
 * @param innerType   the type code of the innermost message (DHCPv4 option 53; the DHCPv6 type under any relay
 *                    hops): {@code family(6).innerType(1)} finds every SOLICIT, relayed or not
 * @param errorsOnly  only events with at least one decode error
 */
public record EventQuery(Instant from, Instant to, MacAddress mac, Duid duid, IpAddress ip, IpAddress relayIp,
                         String circuitId, String remoteId, String messageType, Integer innerType, Integer family,
                         Direction direction, boolean errorsOnly, String siteId, String hostname) {

    public EventQuery {
        Arguments.range(from, to);
        Arguments.filter(circuitId, "circuitId");
        Arguments.filter(remoteId, "remoteId");
        Arguments.filter(messageType, "messageType");
        Arguments.filter(siteId, "siteId");
        Arguments.filter(hostname, "hostname");
        if (innerType != null && (innerType < 0 || innerType > 255)) {
            throw new IllegalArgumentException("innerType must be 0..255, was " + innerType);
        }
        if (family != null && family != 4 && family != 6) {
            throw new IllegalArgumentException("family must be 4 or 6, was " + family);
        }
    }

    /** Every event in {@code [from, to)}. */
    public static EventQuery between(Instant from, Instant to) {
        return new EventQuery(from, to, null, null, null, null, null, null, null, null, null, null, false, null, null);
    }

    /** The events of a client: by MAC or by DUID. */
    public EventQuery client(Client client) {
        Arguments.required(client, "client");
        return client instanceof Client.ByMac m ? mac(m.mac()) : duid(((Client.ByDuid) client).duid());
    }

    public EventQuery mac(MacAddress mac) {
        return new EventQuery(from, to, mac, duid, ip, relayIp, circuitId, remoteId, messageType, innerType, family,
                direction, errorsOnly, siteId, hostname);
    }

    public EventQuery duid(Duid duid) {
        return new EventQuery(from, to, mac, duid, ip, relayIp, circuitId, remoteId, messageType, innerType, family,
                direction, errorsOnly, siteId, hostname);
    }

    public EventQuery ip(IpAddress ip) {
        return new EventQuery(from, to, mac, duid, ip, relayIp, circuitId, remoteId, messageType, innerType, family,
                direction, errorsOnly, siteId, hostname);
    }

    public EventQuery relayIp(IpAddress relayIp) {
        return new EventQuery(from, to, mac, duid, ip, relayIp, circuitId, remoteId, messageType, innerType, family,
                direction, errorsOnly, siteId, hostname);
    }

    public EventQuery circuitId(String circuitId) {
        return new EventQuery(from, to, mac, duid, ip, relayIp, circuitId, remoteId, messageType, innerType, family,
                direction, errorsOnly, siteId, hostname);
    }

    public EventQuery remoteId(String remoteId) {
        return new EventQuery(from, to, mac, duid, ip, relayIp, circuitId, remoteId, messageType, innerType, family,
                direction, errorsOnly, siteId, hostname);
    }

    public EventQuery messageType(String messageType) {
        return new EventQuery(from, to, mac, duid, ip, relayIp, circuitId, remoteId, messageType, innerType, family,
                direction, errorsOnly, siteId, hostname);
    }

    public EventQuery innerType(Integer innerType) {
        return new EventQuery(from, to, mac, duid, ip, relayIp, circuitId, remoteId, messageType, innerType, family,
                direction, errorsOnly, siteId, hostname);
    }

    public EventQuery family(Integer family) {
        return new EventQuery(from, to, mac, duid, ip, relayIp, circuitId, remoteId, messageType, innerType, family,
                direction, errorsOnly, siteId, hostname);
    }

    public EventQuery direction(Direction direction) {
        return new EventQuery(from, to, mac, duid, ip, relayIp, circuitId, remoteId, messageType, innerType, family,
                direction, errorsOnly, siteId, hostname);
    }

    public EventQuery errorsOnly(boolean errorsOnly) {
        return new EventQuery(from, to, mac, duid, ip, relayIp, circuitId, remoteId, messageType, innerType, family,
                direction, errorsOnly, siteId, hostname);
    }

    public EventQuery siteId(String siteId) {
        return new EventQuery(from, to, mac, duid, ip, relayIp, circuitId, remoteId, messageType, innerType, family,
                direction, errorsOnly, siteId, hostname);
    }

    public EventQuery hostname(String hostname) {
        return new EventQuery(from, to, mac, duid, ip, relayIp, circuitId, remoteId, messageType, innerType, family,
                direction, errorsOnly, siteId, hostname);
    }

    /** The client mark every matching event must carry, when the MAC or DUID criterion fixes one (else -1). */
    int eventMark() {
        if (mac != null) {
            return mac.low24();
        }
        return duid != null ? Client.of(duid).eventMark().orElse(-1) : -1;
    }
}
