package io.dhcpshield.simulator;

import io.dhcpshield.core.codec.Faults;
import io.dhcpshield.core.dhcp4.Dhcp4Decoder;
import io.dhcpshield.core.dhcp4.Dhcp4Message;
import io.dhcpshield.core.dhcp4.Dhcp4MessageType;
import io.dhcpshield.core.net.IpAddress;
import io.netty.buffer.ByteBuf;

import java.net.Inet4Address;
import java.net.InetSocketAddress;

/**
 * DHCPv4 exchanges: DISCOVER, OFFER, REQUEST, ACK (the same xid throughout, as RFC 2131 has it), then the profile's
 * renewal (REQUEST with ciaddr, new xid) or RELEASE (no answer). Relay mode fills giaddr and Option 82.
 */
final class Dhcp4Exchanges extends Exchanges {

    private static final int DISCOVER = Dhcp4MessageType.DISCOVER.code();
    private static final int REQUEST = Dhcp4MessageType.REQUEST.code();
    private static final int RELEASE = Dhcp4MessageType.RELEASE.code();

    private final Dhcp4Messages.Relay relay;
    private final Dhcp4Messages.Relay attacker;
    private final int ownAddress;
    private final InetSocketAddress rogueTarget;

    Dhcp4Exchanges(SimulationConfig cfg, RunCounters counters) {
        super(cfg, counters);
        this.ownAddress = toInt(cfg.localAddressBytes());
        if (cfg.mode() == SimulationConfig.Mode.RELAY) {
            this.relay = new Dhcp4Messages.Relay(ownAddress, cfg.circuitId(), cfg.remoteId());
            this.attacker = new Dhcp4Messages.Relay(ownAddress, cfg.attackerId(), cfg.remoteId());
        } else {
            this.relay = null;
            this.attacker = null;
        }
        // A server answers a relay at giaddr:67 and a client on the segment at :68.
        this.rogueTarget = cfg.target();
    }

    @Override
    Dhcp4Messages.Relay relay4(boolean isAttacker) {
        return isAttacker ? attacker : relay;
    }

    @Override
    void startExchange(Txn t, long now) {
        send(Dhcp4Messages.client(alloc(), DISCOVER, t.xid, t.mac, t.client, 0, 0, 0, relay), "DISCOVER");
        await(t, "DISCOVER", now);
    }

    @Override
    void renew(Txn t, long now) {
        rekey(t);
        send(Dhcp4Messages.client(alloc(), REQUEST, t.xid, t.mac, t.client, t.leased, 0, 0, relay), "REQUEST-RENEW");
        await(t, "REQUEST-RENEW", now);
    }

    @Override
    void release(Txn t, boolean spoofed, long now) {
        rekey(t);
        send(Dhcp4Messages.client(alloc(), RELEASE, t.xid, t.mac, t.client, t.leased, 0, t.serverId,
                spoofed ? attacker : relay), spoofed ? "RELEASE-SPOOFED" : "RELEASE");
        // DHCPv4 RELEASE has no answer: the exchange is done when it is sent.
        t.exchangeStart = Math.min(t.exchangeStart, now);
        complete(t, now);
    }

    @Override
    void sendRogueReplies(long client, long mac) {
        // Addresses from 200.0 up in the rogue's own /16: plausible, and never the real server's pool in the lab.
        int yiaddr = (ownAddress & 0xFFFF0000) | (200 << 8) + (int) (client % 10_000);
        int xid = nextXid();
        send(Dhcp4Messages.serverReply(alloc(), Dhcp4MessageType.OFFER.code(), xid, mac, yiaddr, ownAddress,
                0xFFFF0000, ownAddress, 120), "OFFER", rogueTarget);
        send(Dhcp4Messages.serverReply(alloc(), Dhcp4MessageType.ACK.code(), xid, mac, yiaddr, ownAddress,
                0xFFFF0000, ownAddress, 120), "ACK", rogueTarget);
    }

    @Override
    void onReply(ByteBuf payload, long now) {
        int at = payload.readerIndex();
        Dhcp4Message m = Dhcp4Decoder.decode(payload, at, payload.readableBytes(), new Faults(at));
        String type = m.cookieValid() ? m.messageType().name() : "MALFORMED";
        counters.received(type);
        Txn t = m.op() == 2 ? lookup((int) m.xid()) : null;
        if (t == null || m.chaddrMac() == null || m.chaddrMac().value() != t.mac) {
            counters.unmatched++;
            return;
        }
        Dhcp4MessageType mt = m.messageType();
        if (mt == Dhcp4MessageType.NAK) {
            fail(t, "NAK after " + t.awaiting);
            return;
        }
        switch (t.awaiting) {
            case "DISCOVER" -> {
                if (mt != Dhcp4MessageType.OFFER) {
                    counters.unmatched++;
                    return;
                }
                counters.latency("DISCOVER-OFFER", now - t.stageSent);
                if (t.kind == Kind.FLOOD) {
                    complete(t, now);
                    return;
                }
                IpAddress server = m.serverId();
                t.leased = (int) m.yiaddr().v4Value();
                t.serverId = server != null ? (int) server.v4Value() : 0;
                send(Dhcp4Messages.client(alloc(), REQUEST, t.xid, t.mac, t.client, 0, t.leased, t.serverId, relay),
                        "REQUEST");
                await(t, "REQUEST", now);
            }
            case "REQUEST" -> {
                if (mt != Dhcp4MessageType.ACK) {
                    counters.unmatched++;
                    return;
                }
                counters.latency("REQUEST-ACK", now - t.stageSent);
                t.leased = (int) m.yiaddr().v4Value();
                leased(t, now);
            }
            case "REQUEST-RENEW" -> {
                if (mt != Dhcp4MessageType.ACK) {
                    counters.unmatched++;
                    return;
                }
                counters.latency("RENEW-ACK", now - t.stageSent);
                complete(t, now);
            }
            default -> counters.unmatched++;
        }
    }

    static int toInt(byte[] a) {
        if (a.length != 4) {
            throw new IllegalArgumentException("not an IPv4 address");
        }
        return ((a[0] & 0xFF) << 24) | ((a[1] & 0xFF) << 16) | ((a[2] & 0xFF) << 8) | (a[3] & 0xFF);
    }

    static int toInt(Inet4Address a) {
        return toInt(a.getAddress());
    }
}
