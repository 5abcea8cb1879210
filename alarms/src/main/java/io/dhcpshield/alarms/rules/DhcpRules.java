package io.dhcpshield.alarms.rules;

import io.dhcpshield.alarms.Channel;
import io.dhcpshield.alarms.Party;
import io.dhcpshield.alarms.Severity;
import io.dhcpshield.alarms.Signal;
import io.dhcpshield.core.event.DhcpEvent;
import io.dhcpshield.core.net.IpAddress;
import io.dhcpshield.core.net.MacAddress;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * The alarm rules on DHCP events, over a sliding window of the last {@link #WINDOW} (buckets of one evaluation
 * interval): a rogue server (OFFER, ACK, NAK, ADVERTISE or REPLY whose server identifier — or, without one, source
 * address — is not on the allow-list, on any path the appliance sees), starvation (distinct clients sending
 * DISCOVER/SOLICIT through one relay or directly), a storm per relay and circuit (client packets), and a NAK storm per
 * server. {@link #accept} runs on the fan-out subscriber's thread and only counts; {@link #evaluate} turns the window
 * into signals. Memory is bounded: at most {@link #MAX_KEYS} keys per table and bucket (the rest counted).
 */
public final class DhcpRules {

    /** The default window: thresholds are per minute. */
    public static final Duration WINDOW = Duration.ofMinutes(1);
    public static final int MAX_KEYS = 50_000;
    private static final int V4_DISCOVER = 1;
    private static final int V4_OFFER = 2;
    private static final int V4_ACK = 5;
    private static final int V4_NAK = 6;
    private static final int V6_SOLICIT = 1;
    private static final int V6_ADVERTISE = 2;
    private static final int V6_REPLY = 7;

    /** Counts of one party within a bucket. */
    private static final class Seen {
        long count;
        long firstMicros = Long.MAX_VALUE;
        long lastMicros;
        String mac = "";

        void add(long micros, String m) {
            count++;
            firstMicros = Math.min(firstMicros, micros);
            lastMicros = Math.max(lastMicros, micros);
            if (m != null && !m.isEmpty()) {
                mac = m;
            }
        }

        void addAll(Seen o) {
            count += o.count;
            firstMicros = Math.min(firstMicros, o.firstMicros);
            lastMicros = Math.max(lastMicros, o.lastMicros);
            if (!o.mac.isEmpty()) {
                mac = o.mac;
            }
        }
    }

    /** One subject (a server, a relay/circuit) with its own counts and the parties under it. */
    private static final class Subject {
        final Seen self = new Seen();
        final Map<String, Seen> clients = new HashMap<>();
        final Map<String, Long> types = new LinkedHashMap<>();
        String relay = "";
        String circuit = "";

        void addAll(Subject o) {
            self.addAll(o.self);
            o.clients.forEach((k, v) -> {
                if (clients.size() < MAX_KEYS || clients.containsKey(k)) {
                    clients.computeIfAbsent(k, x -> new Seen()).addAll(v);
                }
            });
            o.types.forEach((k, v) -> types.merge(k, v, Long::sum));
            relay = o.relay;
            circuit = o.circuit;
        }
    }

    private static final class Bucket {
        final Map<String, Subject> servers = new HashMap<>();
        final Map<String, Subject> starving = new HashMap<>();
        /** relay key → clients that got an ACK (DHCPv6: a REPLY): they are not starving. */
        final Map<String, java.util.Set<String>> completed = new HashMap<>();
        final Map<String, Subject> storms = new HashMap<>();
        final Map<String, Subject> naks = new HashMap<>();
    }

    private final int buckets;
    private final Duration span;
    private final Deque<Bucket> window = new ArrayDeque<>();
    private Bucket current = new Bucket();
    private final LongAdder accepted = new LongAdder();
    /** Keys by table whose condition held at the last evaluation (evaluation thread only). */
    private Map<String, java.util.Set<String>> reported = new HashMap<>();
    private final LongAdder overflow = new LongAdder();

    /** @param interval how often {@link #evaluate} runs (the bucket width); the window is one minute */
    public DhcpRules(Duration interval) {
        this(interval, WINDOW);
    }

    /**
     * @param window what the rules look back over; counts are scaled to a minute before they are compared with the
     *               per-minute thresholds (a shorter window reacts and clears faster, a longer one smooths)
     */
    public DhcpRules(Duration interval, Duration window) {
        long n = Math.max(1, (window.toMillis() + interval.toMillis() - 1) / interval.toMillis());
        this.buckets = (int) n;
        this.span = Duration.ofMillis(n * interval.toMillis());
    }

    /** A count over the window as a per-minute rate. */
    private double perMinute(long count) {
        return count * 60_000.0 / span.toMillis();
    }

    /** Counts one event (fan-out thread). */
    public synchronized void accept(DhcpEvent e) {
        accepted.increment();
        int type = e.family() == 6 ? e.innerType() : e.messageType();
        long t = e.timeMicros();
        boolean v6 = e.family() == 6;
        boolean serverMsg = v6 ? (type == V6_ADVERTISE || type == V6_REPLY)
                : (type == V4_OFFER || type == V4_ACK || type == V4_NAK);
        if (serverMsg) {
            String server = serverId(e);
            String l2 = e.l2Source() == null ? "" : e.l2Source().toString();
            Subject s = subject(current.servers, server);
            if (s != null) {
                s.self.add(t, l2);
                party(s.clients, client(e), t);
                s.types.merge(typeName(e), 1L, Long::sum);
                s.relay = e.source() == null ? "" : e.source().toString();
            }
            if (v6 ? type == V6_REPLY : type == V4_ACK) {
                String relay = e.relayAddress() == null || e.relayAddress().isUnspecified() ? "direct"
                        : e.relayAddress().toString();
                java.util.Set<String> done = current.completed.computeIfAbsent(relay, k -> new java.util.HashSet<>());
                if (done.size() < MAX_KEYS) {
                    done.add(client(e));
                } else {
                    overflow.increment();
                }
            }
            if (!v6 && type == V4_NAK) {
                Subject n = subject(current.naks, server);
                if (n != null) {
                    n.self.add(t, l2);
                    party(n.clients, client(e), t);
                }
            }
            return;
        }
        if (e.direction() != io.dhcpshield.core.event.Direction.CLIENT_TO_SERVER) {
            return;
        }
        String relay = e.relayAddress() == null || e.relayAddress().isUnspecified() ? "" : e.relayAddress().toString();
        String circuit = e.circuitId() == null ? "" : e.circuitId();
        String client = client(e);
        if (v6 ? type == V6_SOLICIT : type == V4_DISCOVER) {
            Subject s = subject(current.starving, relay.isEmpty() ? "direct" : relay);
            if (s != null) {
                s.self.add(t, "");
                party(s.clients, client, t);
                s.relay = relay;
            }
        }
        Subject s = subject(current.storms, (relay.isEmpty() ? "direct" : relay) + "/" + circuit);
        if (s != null) {
            s.self.add(t, "");
            party(s.clients, client, t);
            s.relay = relay;
            s.circuit = circuit;
        }
    }

    /** Ends the current bucket and reports every condition that holds over the window. */
    public List<Signal> evaluate(Thresholds th) {
        Bucket merged = new Bucket();
        Bucket newest;
        synchronized (this) {
            newest = current;
            window.addLast(current);
            current = new Bucket();
            while (window.size() > buckets) {
                window.removeFirst();
            }
            for (Bucket b : window) {
                mergeInto(merged.servers, b.servers);
                mergeInto(merged.starving, b.starving);
                b.completed.forEach((k, v) -> merged.completed.computeIfAbsent(k, x -> new java.util.HashSet<>())
                        .addAll(v));
                mergeInto(merged.storms, b.storms);
                mergeInto(merged.naks, b.naks);
            }
        }
        List<Signal> out = new ArrayList<>();
        Map<String, java.util.Set<String>> reportedNow = new HashMap<>();
        String window = Long.toString(span.toSeconds());
        if (!th.rogueAllowed().isEmpty()) {
            merged.servers.forEach((server, s) -> {
                if (allowed(th, server, s)) {
                    return;
                }
                Subject c = context("servers", server, s, newest.servers, reportedNow);
                List<Party> parties = new ArrayList<>();
                if (c.self.count > 0) {
                    parties.add(party("server", server, c.self));
                }
                top(c.clients, 20).forEach(x -> parties.add(party("client", x.getKey(), x.getValue())));
                String via = s.self.mac.isEmpty() ? "" : " (" + s.self.mac + ")";
                out.add(new Signal("rogue_server/" + server, Channel.DHCP, "security", "rogue_server",
                        Severity.CRITICAL, "Rogue DHCP server " + server + via,
                        server + via + " answered " + s.clients.size() + " client(s) with " + types(s)
                                + " in the last " + window + " s; it is not on operational.alarms.rogue_server.allowed",
                        parties, Map.of("allowed", th.rogueAllowed().toString(), "window_seconds", window,
                                "replies", Long.toString(s.self.count), "clients", Integer.toString(s.clients.size())),
                        th.hold()));
            });
        }
        merged.starving.forEach((relay, s) -> {
            java.util.Set<String> done = merged.completed.getOrDefault(relay, java.util.Set.of());
            long stuck = s.clients.keySet().stream().filter(k -> !done.contains(k)).count();
            if (perMinute(stuck) < th.starvationClientsPerMinute()) {
                return;
            }
            Subject c = context("starving", relay, s, newest.starving, reportedNow);
            Map<String, Seen> starving = new HashMap<>(c.clients);
            starving.keySet().removeIf(done::contains);
            List<Party> parties = new ArrayList<>();
            if (!s.relay.isEmpty() && c.self.count > 0) {
                parties.add(party("relay", s.relay, c.self));
            }
            top(starving, 20).forEach(x -> parties.add(party("client", x.getKey(), x.getValue())));
            String via = s.relay.isEmpty() ? "directly" : "through " + s.relay;
            out.add(new Signal("starvation/" + relay, Channel.DHCP, "security", "starvation", Severity.CRITICAL,
                    "DHCP starvation " + (s.relay.isEmpty() ? "on the local segment" : "via relay " + s.relay),
                    stuck + " distinct clients sent DISCOVER/SOLICIT " + via + " without getting a lease in the last "
                            + window + " s (" + s.clients.size() + " tried; threshold "
                            + th.starvationClientsPerMinute() + " a minute)",
                    parties, Map.of("clients_without_lease", Long.toString(stuck), "clients",
                            Integer.toString(s.clients.size()), "threshold",
                            Long.toString(th.starvationClientsPerMinute()), "window_seconds", window), th.hold()));
        });
        merged.storms.forEach((key, s) -> {
            if (perMinute(s.self.count) < th.stormPacketsPerMinute()) {
                return;
            }
            Subject c = context("storms", key, s, newest.storms, reportedNow);
            List<Party> parties = new ArrayList<>();
            if (!s.relay.isEmpty() && c.self.count > 0) {
                parties.add(party("relay", s.relay, c.self));
            }
            if (!s.circuit.isEmpty() && c.self.count > 0) {
                parties.add(party("circuit", s.circuit, c.self));
            }
            top(c.clients, 20).forEach(x -> parties.add(party("client", x.getKey(), x.getValue())));
            String where = (s.relay.isEmpty() ? "the local segment" : "relay " + s.relay)
                    + (s.circuit.isEmpty() ? "" : " circuit " + s.circuit);
            out.add(new Signal("relay_storm/" + key, Channel.DHCP, "traffic", "relay_storm", Severity.WARNING,
                    "DHCP storm from " + where,
                    s.self.count + " client packets from " + where + " in the last " + window + " s (threshold "
                            + th.stormPacketsPerMinute() + "), " + s.clients.size() + " clients",
                    parties, Map.of("packets", Long.toString(s.self.count), "threshold",
                            Long.toString(th.stormPacketsPerMinute()), "window_seconds", window), th.hold()));
        });
        merged.naks.forEach((server, s) -> {
            if (perMinute(s.self.count) < th.naksPerMinute()) {
                return;
            }
            Subject c = context("naks", server, s, newest.naks, reportedNow);
            List<Party> parties = new ArrayList<>();
            if (c.self.count > 0) {
                parties.add(party("server", server, c.self));
            }
            top(c.clients, 20).forEach(x -> parties.add(party("client", x.getKey(), x.getValue())));
            out.add(new Signal("nak_storm/" + server, Channel.DHCP, "traffic", "nak_storm", Severity.WARNING,
                    "NAK storm from " + server,
                    server + " sent " + s.self.count + " DHCPNAKs to " + s.clients.size() + " clients in the last "
                            + window + " s (threshold " + th.naksPerMinute() + ")",
                    parties, Map.of("naks", Long.toString(s.self.count), "threshold",
                            Long.toString(th.naksPerMinute()), "window_seconds", window), th.hold()));
        });
        reported = reportedNow;
        return out;
    }

    /**
     * The parties to report for a condition that holds: the whole window when it did not hold at the last
     * evaluation, else only the newest bucket (the engine adds counts up, so nothing is counted twice).
     */
    private Subject context(String table, String key, Subject full, Map<String, Subject> newest,
                            Map<String, java.util.Set<String>> reportedNow) {
        reportedNow.computeIfAbsent(table, t -> new java.util.HashSet<>()).add(key);
        if (!reported.getOrDefault(table, java.util.Set.of()).contains(key)) {
            return full;
        }
        Subject n = newest.get(key);
        return n == null ? new Subject() : n;
    }

    /** Events counted. */
    public long accepted() {
        return accepted.sum();
    }

    /** Keys not tracked because a table was full. */
    public long overflow() {
        return overflow.sum();
    }

    private static boolean allowed(Thresholds th, String server, Subject s) {
        if (server.startsWith("duid:")) {
            if (th.rogueAllowed().containsDuid(server.substring(5))) {
                return true;
            }
        } else {
            try {
                if (th.rogueAllowed().contains(IpAddress.parse(server))) {
                    return true;
                }
            } catch (IllegalArgumentException ignored) {
                // not an address: only the MAC can allow it
            }
        }
        if (!s.self.mac.isEmpty()) {
            try {
                return th.rogueAllowed().contains(MacAddress.parse(s.self.mac));
            } catch (IllegalArgumentException ignored) {
                return false;
            }
        }
        return false;
    }

    private static String serverId(DhcpEvent e) {
        if (e.family() == 6) {
            String d = e.serverDuid();
            if (d != null && !d.isEmpty()) {
                return "duid:" + d;
            }
        } else if (e.serverId() != null && !e.serverId().isUnspecified()) {
            return e.serverId().toString();
        }
        return e.source() == null ? "unknown" : e.source().toString();
    }

    private static String client(DhcpEvent e) {
        if (e.family() == 6 && e.duid() != null && !e.duid().isEmpty()) {
            return e.clientMac() != null ? e.clientMac().toString() : e.duid();
        }
        return e.clientMac() == null ? "unknown" : e.clientMac().toString();
    }

    private static String typeName(DhcpEvent e) {
        String n = e.messageTypeName();
        return n == null ? Integer.toString(e.messageType()) : n;
    }

    private Subject subject(Map<String, Subject> m, String key) {
        Subject s = m.get(key);
        if (s == null) {
            if (m.size() >= MAX_KEYS) {
                overflow.increment();
                return null;
            }
            s = new Subject();
            m.put(key, s);
        }
        return s;
    }

    private void party(Map<String, Seen> m, String key, long micros) {
        Seen s = m.get(key);
        if (s == null) {
            if (m.size() >= MAX_KEYS) {
                overflow.increment();
                return;
            }
            s = new Seen();
            m.put(key, s);
        }
        s.add(micros, "");
    }

    private static void mergeInto(Map<String, Subject> into, Map<String, Subject> from) {
        from.forEach((k, v) -> into.computeIfAbsent(k, x -> new Subject()).addAll(v));
    }

    private static List<Map.Entry<String, Seen>> top(Map<String, Seen> m, int n) {
        return m.entrySet().stream()
                .sorted(Comparator.comparingLong((Map.Entry<String, Seen> e) -> e.getValue().count).reversed()
                        .thenComparing(Map.Entry::getKey))
                .limit(n).toList();
    }

    private static Party party(String role, String id, Seen s) {
        return new Party(role, id, s.mac, s.count, instant(s.firstMicros), instant(s.lastMicros));
    }

    private static Instant instant(long micros) {
        long m = micros == Long.MAX_VALUE ? 0 : micros;
        return Instant.ofEpochSecond(m / 1_000_000, (m % 1_000_000) * 1000);
    }

    private static String types(Subject s) {
        return String.join("/", s.types.keySet());
    }
}
