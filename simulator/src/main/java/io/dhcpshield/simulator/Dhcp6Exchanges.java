package io.dhcpshield.simulator;

import io.dhcpshield.core.codec.Faults;
import io.dhcpshield.core.dhcp6.Dhcp6Decoder;
import io.dhcpshield.core.dhcp6.Dhcp6Message;
import io.dhcpshield.core.dhcp6.Dhcp6MessageType;
import io.dhcpshield.core.dhcp6.Dhcp6Packet;
import io.dhcpshield.core.dhcp6.IaAddress;
import io.dhcpshield.core.dhcp6.IdentityAssociation;
import io.netty.buffer.ByteBuf;

import java.util.List;

/**
 * DHCPv6 exchanges: SOLICIT, ADVERTISE, REQUEST, REPLY (a new transaction id per request, as RFC 8415 has it), then
 * the profile's RENEW or RELEASE, each answered by REPLY. Relay mode wraps every message in RELAY-FORW levels and
 * unwraps the RELAY-REPL answers.
 */
final class Dhcp6Exchanges extends Exchanges {

    private static final int SOLICIT = Dhcp6MessageType.SOLICIT.code();
    private static final int REQUEST = Dhcp6MessageType.REQUEST.code();
    private static final int RENEW = Dhcp6MessageType.RENEW.code();
    private static final int RELEASE = Dhcp6MessageType.RELEASE.code();

    private final Dhcp6Messages.Relay relay;
    private final Dhcp6Messages.Relay attacker;
    private final byte[] ownAddress;
    private final byte[] rogueDuid;

    Dhcp6Exchanges(SimulationConfig cfg, RunCounters counters) {
        super(cfg, counters);
        this.ownAddress = cfg.localAddressBytes();
        if (cfg.mode() == SimulationConfig.Mode.RELAY) {
            this.relay = new Dhcp6Messages.Relay(ownAddress, cfg.interfaceId(), cfg.relayLevels());
            this.attacker = new Dhcp6Messages.Relay(ownAddress, cfg.attackerId(), cfg.relayLevels());
        } else {
            this.relay = null;
            this.attacker = null;
        }
        // The rogue server's DUID-LL from a fixed locally administered MAC.
        this.rogueDuid = clients.duid(0x02_00_5e_ba_dd_01L);
    }

    @Override
    Dhcp6Messages.Relay relay6(boolean isAttacker) {
        return isAttacker ? attacker : relay;
    }

    private int iaid(Txn t) {
        return (int) t.client + 1;
    }

    @Override
    void startExchange(Txn t, long now) {
        t.duid = clients.duid(t.mac);
        send(Dhcp6Messages.client(alloc(), SOLICIT, t.xid, t.duid, iaid(t), null, null, t.mac, t.client, relay),
                "SOLICIT");
        await(t, "SOLICIT", now);
    }

    @Override
    void renew(Txn t, long now) {
        rekey(t);
        send(Dhcp6Messages.client(alloc(), RENEW, t.xid, t.duid, iaid(t), t.serverDuid, t.address, t.mac, t.client,
                relay), "RENEW");
        await(t, "RENEW", now);
    }

    @Override
    void release(Txn t, boolean spoofed, long now) {
        rekey(t);
        String type = spoofed ? "RELEASE-SPOOFED" : "RELEASE";
        send(Dhcp6Messages.client(alloc(), RELEASE, t.xid, t.duid, iaid(t), t.serverDuid, t.address, t.mac, t.client,
                spoofed ? attacker : relay), type);
        await(t, type, now);
    }

    @Override
    void sendRogueReplies(long client, long mac) {
        byte[] address = ownAddress.clone();
        // ::ba:d000 + n in the rogue's own /64.
        address[12] = 0;
        address[13] = (byte) 0xba;
        address[14] = (byte) (0xd0 + (client >>> 8 & 0x0f));
        address[15] = (byte) client;
        int xid = nextXid();
        byte[] duid = clients.duid(mac);
        int iaid = (int) client + 1;
        send(Dhcp6Messages.serverReply(alloc(), Dhcp6MessageType.ADVERTISE.code(), xid, duid, rogueDuid, iaid,
                address, mac, client, relay), "ADVERTISE");
        send(Dhcp6Messages.serverReply(alloc(), Dhcp6MessageType.REPLY.code(), nextXid(), duid, rogueDuid, iaid,
                address, mac, client, relay), "REPLY");
    }

    @Override
    void onReply(ByteBuf payload, long now) {
        int at = payload.readerIndex();
        Dhcp6Packet p = Dhcp6Decoder.decode(payload, at, payload.readableBytes(), new Faults(at));
        Dhcp6Message m = p.message();
        if (m == null) {
            counters.received("MALFORMED");
            counters.unmatched++;
            return;
        }
        counters.received(m.type().name());
        Txn t = lookup(m.transactionId());
        if (t == null) {
            counters.unmatched++;
            return;
        }
        Dhcp6MessageType mt = m.type();
        switch (t.awaiting) {
            case "SOLICIT" -> {
                if (mt != Dhcp6MessageType.ADVERTISE) {
                    counters.unmatched++;
                    return;
                }
                counters.latency("SOLICIT-ADVERTISE", now - t.stageSent);
                if (t.kind == Kind.FLOOD) {
                    complete(t, now);
                    return;
                }
                byte[] address = firstAddress(m);
                if (address == null || m.serverId() == null) {
                    fail(t, "ADVERTISE without an address");
                    return;
                }
                t.address = address;
                t.serverDuid = m.serverId().raw();
                rekey(t);
                send(Dhcp6Messages.client(alloc(), REQUEST, t.xid, t.duid, iaid(t), t.serverDuid, t.address, t.mac,
                        t.client, relay), "REQUEST");
                await(t, "REQUEST", now);
            }
            case "REQUEST", "RENEW", "RELEASE", "RELEASE-SPOOFED" -> {
                if (mt != Dhcp6MessageType.REPLY) {
                    counters.unmatched++;
                    return;
                }
                String sent = t.awaiting;
                counters.latency(sent + "-REPLY", now - t.stageSent);
                if (sent.equals("REQUEST")) {
                    byte[] address = firstAddress(m);
                    if (address == null) {
                        fail(t, "REPLY without an address");
                        return;
                    }
                    t.address = address;
                    leased(t, now);
                } else {
                    complete(t, now);
                }
            }
            default -> counters.unmatched++;
        }
    }

    /** The first IA_NA address with lifetimes, or null. */
    private static byte[] firstAddress(Dhcp6Message m) {
        List<IdentityAssociation> ias = m.identityAssociations();
        if (ias == null) {
            return null;
        }
        for (IdentityAssociation ia : ias) {
            for (IaAddress a : ia.addresses()) {
                if (a.validLifetime() > 0) {
                    return a.address().toBytes();
                }
            }
        }
        return null;
    }
}
