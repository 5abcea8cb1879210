package io.dhcpshield.automation.bulk;

import io.dhcpshield.core.event.DhcpEvent;
import io.dhcpshield.core.event.Direction;
import io.dhcpshield.core.mark.MarkSource;
import io.dhcpshield.core.net.IpAddress;
import io.dhcpshield.core.net.MacAddress;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Synthetic events as the processor stores them: one client's messages, with the fields bulk criteria read. */
final class Events {

    private Instant at = BulkHarness.T0.minusSeconds(600);
    private int family = 4;
    private int type = 1;
    private Direction direction = Direction.CLIENT_TO_SERVER;
    private int clientMark;
    private MarkSource markSource = MarkSource.CHADDR;
    private MacAddress mac;
    private String duid;
    private String relay;
    private String circuit;
    private String vendorClass;
    private String prl;
    private String site = "site-a";

    /** A DHCPv4 client by its chaddr, marked by it (the mark is the MAC's low 24 bits). */
    static Events v4(long mac) {
        Events e = new Events();
        e.mac = new MacAddress(mac);
        e.clientMark = e.mac.low24();
        return e;
    }

    /** A DHCPv6 client by its DUID (no MAC in the event), marked {@code mark} by {@code source}. */
    static Events v6(String duid, int mark, MarkSource source) {
        Events e = new Events();
        e.family = 6;
        e.duid = duid;
        e.clientMark = mark;
        e.markSource = source;
        return e;
    }

    /** A client known only by its mark (a client-id hash; no chaddr, no DUID kept). */
    static Events markOnly(int mark) {
        Events e = new Events();
        e.clientMark = mark;
        e.markSource = MarkSource.CLIENT_ID_HASH;
        return e;
    }

    Events at(Instant t) {
        at = t;
        return this;
    }

    Events type(int t) {
        type = t;
        return this;
    }

    Events fromServer() {
        direction = Direction.SERVER_TO_CLIENT;
        return this;
    }

    /** The mark the classifier gave (a client-id hash, say), instead of the MAC's. */
    Events mark(int m, MarkSource source) {
        clientMark = m;
        markSource = source;
        return this;
    }

    Events relay(String r, String c) {
        relay = r;
        circuit = c;
        return this;
    }

    Events vendor(String v) {
        vendorClass = v;
        return this;
    }

    Events prl(String p) {
        prl = p;
        return this;
    }

    Events site(String s) {
        site = s;
        return this;
    }

    /** {@code n} such messages, a second apart. */
    List<DhcpEvent> times(int n) {
        List<DhcpEvent> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            long micros = at.plusSeconds(i).toEpochMilli() * 1000;
            out.add(new DhcpEvent(micros, 0, site, direction, family, type, type, "TYPE" + type, 0x1234L,
                    (type << 24) | clientMark, markSource, mac, duid, null, null, vendorClass, null, prl,
                    IpAddress.parse(family == 4 ? "10.0.0.1" : "fe80::1"),
                    IpAddress.parse(family == 4 ? "255.255.255.255" : "ff02::1:2"),
                    relay == null ? null : IpAddress.parse(relay), circuit, null, null, relay == null ? 0 : 1, null,
                    null, null, -1, null, null, List.of()));
        }
        return out;
    }
}
