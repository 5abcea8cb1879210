package io.dhcpshield.simulator;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.socket.DatagramPacket;

import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The client side of one family's exchanges: starts them as the profile says, matches replies to them by
 * transaction id, sends each next message, and times out the ones left unanswered. Everything runs on the channel's
 * event loop; the sends are written and flushed by the caller once per tick or read batch (one sendmmsg).
 */
abstract class Exchanges {

    /** What kind of exchange a transaction is, for the profiles that mix them. */
    enum Kind { NORMAL, FLOOD, SPOOF }

    /** One exchange in flight. Fields the family does not use stay zero or null. */
    static final class Txn {
        int xid;
        long client;
        long mac;
        Kind kind = Kind.NORMAL;
        /** The message type whose answer is awaited: the timeout's label. */
        String awaiting;
        int seq;
        long exchangeStart;
        long stageSent;
        int leased;
        int serverId;
        byte[] duid;
        byte[] serverDuid;
        byte[] address;
    }

    private record Deadline(Txn txn, int seq, long at) {
    }

    final SimulationConfig cfg;
    final RunCounters counters;
    final ClientRange clients;
    final SplittableRandom random;
    final long timeoutNanos;
    private final Map<Integer, Txn> table = new HashMap<>();
    private final ArrayDeque<Deadline> deadlines = new ArrayDeque<>();
    /** Leases of completed exchanges the mix profile may release from the attacker's port. */
    private final ArrayDeque<Txn> recentLeases = new ArrayDeque<>();
    private Channel channel;
    private ByteBufAllocator alloc;
    private long nextClient;
    private int nextXid;
    private int misbehaviour;

    Exchanges(SimulationConfig cfg, RunCounters counters) {
        this.cfg = cfg;
        this.counters = counters;
        this.clients = new ClientRange(cfg.baseMac(), cfg.clients(), cfg.duidType(), cfg.duidTime(), cfg.seed());
        this.random = new SplittableRandom(cfg.seed() ^ 0x5DEECE66DL);
        this.timeoutNanos = cfg.timeout().toNanos();
        this.nextXid = random.nextInt();
    }

    void attach(Channel channel) {
        this.channel = channel;
        this.alloc = channel.alloc();
    }

    ByteBufAllocator alloc() {
        return alloc;
    }

    int inFlight() {
        return table.size();
    }

    /** Starts one exchange of the profile at {@code now}. */
    final void startOne(long now) {
        counters.started++;
        long client = nextClient++;
        switch (cfg.profile()) {
            case MALFORMED -> {
                Malformation[] kinds = Malformation.of(cfg.family());
                Malformation m = kinds[(int) (client % kinds.length)];
                send(m.build(alloc, nextXid(), clients.mac(client), client, clients.duid(clients.mac(client)),
                        relay4(false), relay6(false)), m.reportName());
                completedWithoutReply(now);
            }
            case ROGUE_SERVER -> {
                sendRogueReplies(client, clients.mac(client));
                completedWithoutReply(now);
            }
            case FLOOD -> startExchange(newTxn(client, clients.mac(client), Kind.FLOOD, now), now);
            case STARVATION -> startExchange(newTxn(client, clients.randomMac(), Kind.NORMAL, now), now);
            case MIX -> {
                if (random.nextDouble() < cfg.misbehaveRatio()) {
                    misbehave(client, now);
                } else {
                    startExchange(newTxn(client, clients.mac(client), Kind.NORMAL, now), now);
                }
            }
            default -> startExchange(newTxn(client, clients.mac(client), Kind.NORMAL, now), now);
        }
    }

    /** The mix profile's misbehaviour, in turn: a flood DISCOVER/SOLICIT, a malformed packet, a spoofed RELEASE. */
    private void misbehave(long client, long now) {
        switch (misbehaviour++ % 3) {
            case 0 -> startExchange(newTxn(client, clients.mac(client), Kind.FLOOD, now), now);
            case 1 -> {
                Malformation[] kinds = Malformation.of(cfg.family());
                Malformation m = kinds[(int) ((misbehaviour / 3) % kinds.length)];
                send(m.build(alloc, nextXid(), clients.mac(client), client, clients.duid(clients.mac(client)),
                        relay4(false), relay6(false)), m.reportName());
                completedWithoutReply(now);
            }
            default -> {
                Txn victim = recentLeases.pollFirst();
                if (victim == null) {
                    startExchange(newTxn(client, clients.mac(client), Kind.FLOOD, now), now);
                    return;
                }
                victim.kind = Kind.SPOOF;
                victim.exchangeStart = now;
                victim.xid = nextXid();
                release(victim, true, now);
            }
        }
    }

    private Txn newTxn(long client, long mac, Kind kind, long now) {
        Txn t = new Txn();
        t.client = client;
        t.mac = mac;
        t.kind = kind;
        t.exchangeStart = now;
        t.xid = nextXid();
        return t;
    }

    /** Sends the first message of an exchange (DISCOVER / SOLICIT) and awaits its answer. */
    abstract void startExchange(Txn t, long now);

    /** The rogue-server profile: a server's two answers to client {@code client}. */
    abstract void sendRogueReplies(long client, long mac);

    /** Sends the RELEASE of {@code t}'s lease, from the attacker's port when {@code spoofed}. */
    abstract void release(Txn t, boolean spoofed, long now);

    /** Sends the renewal of {@code t}'s lease. */
    abstract void renew(Txn t, long now);

    /** Handles one datagram from the server side. */
    abstract void onReply(ByteBuf payload, long now);

    /** The v4 relay fields (the attacker's circuit id when {@code attacker}), or null in broadcast mode. */
    Dhcp4Messages.Relay relay4(boolean attacker) {
        return null;
    }

    Dhcp6Messages.Relay relay6(boolean attacker) {
        return null;
    }

    /** A lease was granted: what the profile does next. */
    final void leased(Txn t, long now) {
        switch (cfg.profile()) {
            case RENEW -> renew(t, now);
            case RELEASE -> release(t, false, now);
            case SPOOFED_RELEASE -> release(t, true, now);
            default -> complete(t, now);
        }
    }

    final int nextXid() {
        int x = nextXid++;
        return cfg.family() == 6 ? x & 0xFFFFFF : x;
    }

    final void send(ByteBuf payload, String type) {
        channel.write(new DatagramPacket(payload, cfg.target()), channel.voidPromise());
        counters.sent(type);
    }

    final void send(ByteBuf payload, String type, InetSocketAddress to) {
        channel.write(new DatagramPacket(payload, to), channel.voidPromise());
        counters.sent(type);
    }

    /** Puts {@code t} in the table under its xid, awaiting the answer to {@code sentType}, with a deadline. */
    final void await(Txn t, String sentType, long now) {
        t.awaiting = sentType;
        t.seq++;
        t.stageSent = now;
        table.put(t.xid, t);
        deadlines.addLast(new Deadline(t, t.seq, now + timeoutNanos));
    }

    /** Gives {@code t} a new transaction id (a new request of the same exchange). */
    final void rekey(Txn t) {
        table.remove(t.xid, t);
        t.xid = nextXid();
    }

    final Txn lookup(int xid) {
        return table.get(xid);
    }

    final void complete(Txn t, long now) {
        table.remove(t.xid, t);
        t.seq++;
        counters.completed++;
        counters.lastCompletionNanos = now;
        counters.latency("exchange", now - t.exchangeStart);
        if (cfg.profile() == Profile.MIX && t.kind == Kind.NORMAL && (t.leased != 0 || t.address != null)) {
            if (recentLeases.size() == 1024) {
                recentLeases.pollFirst();
            }
            recentLeases.addLast(t);
        }
    }

    /** The server refused or could not serve the exchange (NAK, NoAddrsAvail, ...). */
    final void fail(Txn t, String why) {
        table.remove(t.xid, t);
        t.seq++;
        counters.refused(why);
    }

    final void completedWithoutReply(long now) {
        counters.completed++;
        counters.lastCompletionNanos = now;
    }

    /** Times out every exchange whose current request's deadline has passed. */
    final void sweep(long now) {
        Deadline d;
        while ((d = deadlines.peekFirst()) != null && d.at() <= now) {
            deadlines.pollFirst();
            Txn t = d.txn();
            if (t.seq == d.seq() && table.remove(t.xid, t)) {
                t.seq++;
                counters.timeout(t.awaiting);
            }
        }
    }

    /** At the end of the run: everything still waiting counts as timed out. */
    final void expireAll() {
        for (Txn t : table.values()) {
            counters.timeout(t.awaiting);
        }
        table.clear();
        deadlines.clear();
    }
}
