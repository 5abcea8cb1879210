package io.dhcpshield.alarms.notify;

import io.dhcpshield.alarms.Alarm;
import io.dhcpshield.alarms.AlarmChange;
import io.dhcpshield.alarms.Notification;
import io.dhcpshield.alarms.NotificationSink;
import io.dhcpshield.core.metrics.MetricWriter;
import io.dhcpshield.core.time.Time;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * The notifications dispatcher: every notified change of an alarm (raised, escalated, acknowledged, cleared) is
 * matched against the routes, and each matching route offers it to its sinks — once per sink even when several routes
 * match — unless it is a duplicate (the same change of the same source key delivered to that sink within the
 * de-duplication time), over the route's rate for that sink, or the acknowledge/clear of an alarm whose raise that
 * sink never got. Each of those is counted by reason; nothing here blocks (sinks queue).
 */
public final class Dispatcher {

    /** The de-duplication time and the per route and sink rate, read at every change. */
    public record Limits(Duration dedupe, long perMinute) {
    }

    private final Map<String, NotificationSink> sinks;
    private final Supplier<List<Route>> routes;
    private final Supplier<Limits> limits;
    private final Time time;
    private final Map<String, Instant> lastDelivered = new HashMap<>();
    private final Map<String, double[]> buckets = new HashMap<>();
    /** sink → alarm ids whose raise (or escalation) it got. */
    private final Map<String, Set<String>> delivered = new HashMap<>();
    private final Map<String, Map<String, LongAdder>> suppressed = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> routed = new ConcurrentHashMap<>();
    private final LongAdder unrouted = new LongAdder();

    public Dispatcher(List<NotificationSink> sinks, Supplier<List<Route>> routes, Supplier<Limits> limits, Time time) {
        Map<String, NotificationSink> m = new LinkedHashMap<>();
        for (NotificationSink s : sinks) {
            m.put(s.name(), s);
        }
        this.sinks = m;
        this.routes = Objects.requireNonNull(routes, "routes");
        this.limits = Objects.requireNonNull(limits, "limits");
        this.time = Objects.requireNonNull(time, "time");
    }

    /** The sinks by name. */
    public Map<String, NotificationSink> sinks() {
        return sinks;
    }

    /** Dispatches one change (the engine's listener thread, under its lock). */
    public synchronized void dispatch(AlarmChange c) {
        Alarm a = c.alarm();
        if (c.type() == AlarmChange.Type.UPDATED) {
            if (sinks.get("bell") instanceof BellSink bell
                    && delivered.getOrDefault("bell", Set.of()).contains(a.id())) {
                bell.update(c);
            }
            return;
        }
        Notification.Change change = c.type().notified();
        Map<String, Route> targets = new LinkedHashMap<>();
        for (Route r : routes.get()) {
            if (r.matches(a)) {
                for (String s : r.sinks()) {
                    targets.putIfAbsent(s, r);
                }
            }
        }
        if (targets.isEmpty()) {
            unrouted.increment();
        }
        Limits lim = limits.get();
        Instant now = time.now();
        targets.forEach((sinkName, route) -> {
            NotificationSink sink = sinks.get(sinkName);
            if (sink == null) {
                suppress(sinkName, "no_such_sink");
                return;
            }
            Set<String> got = delivered.computeIfAbsent(sinkName, k -> new HashSet<>());
            boolean opening = change == Notification.Change.RAISED || change == Notification.Change.ESCALATED;
            if (!opening && !got.contains(a.id())) {
                suppress(sinkName, "not_raised_here");
                return;
            }
            String dedupeKey = sinkName + "|" + a.sourceKey() + "|" + change.label();
            Instant last = lastDelivered.get(dedupeKey);
            if (last != null && !lim.dedupe().isZero() && now.isBefore(last.plus(lim.dedupe()))
                    && !(change == Notification.Change.CLEARED || change == Notification.Change.ACKNOWLEDGED)) {
                suppress(sinkName, "duplicate");
                return;
            }
            if (!take(route.id() + "|" + sinkName, lim.perMinute(), now)) {
                suppress(sinkName, "rate_limited");
                return;
            }
            lastDelivered.put(dedupeKey, now);
            if (opening) {
                got.add(a.id());
            } else if (change == Notification.Change.CLEARED) {
                got.remove(a.id());
            }
            routed.computeIfAbsent(sinkName, k -> new LongAdder()).increment();
            sink.offer(new Notification(UUID.randomUUID().toString(), now, change, route.id(), a));
        });
        if (lastDelivered.size() > 100_000) {
            prune(now, lim.dedupe());
        }
    }

    /**
     * An alarm open before a restart, put back by the engine: the sinks its routes reach are taken to have had its
     * raise (they did, before the restart), so its acknowledge and clear reach them.
     */
    public synchronized void restored(Alarm a) {
        for (Route r : routes.get()) {
            if (r.matches(a)) {
                for (String s : r.sinks()) {
                    delivered.computeIfAbsent(s, k -> new HashSet<>()).add(a.id());
                }
            }
        }
    }

    /** Sends a test notification about {@code a} to one sink, outside routes and limits. */
    public boolean test(String sinkName, Alarm a) {
        NotificationSink s = sinks.get(sinkName);
        if (s == null) {
            throw new IllegalArgumentException("no sink '" + sinkName + "' (configured: " + sinks.keySet() + ")");
        }
        return s.offer(new Notification(UUID.randomUUID().toString(), time.now(), Notification.Change.RAISED,
                "test", a));
    }

    private boolean take(String key, long perMinute, Instant now) {
        double[] b = buckets.computeIfAbsent(key, k -> new double[] {perMinute, now.toEpochMilli()});
        double elapsedMin = (now.toEpochMilli() - b[1]) / 60_000.0;
        b[0] = Math.min(perMinute, b[0] + elapsedMin * perMinute);
        b[1] = now.toEpochMilli();
        if (b[0] >= 1) {
            b[0] -= 1;
            return true;
        }
        return false;
    }

    private void suppress(String sink, String reason) {
        suppressed.computeIfAbsent(sink, k -> new ConcurrentHashMap<>())
                .computeIfAbsent(reason, k -> new LongAdder()).increment();
    }

    private void prune(Instant now, Duration dedupe) {
        for (Iterator<Map.Entry<String, Instant>> it = lastDelivered.entrySet().iterator(); it.hasNext(); ) {
            if (it.next().getValue().plus(dedupe).isBefore(now)) {
                it.remove();
            }
        }
    }

    /** Notifications routed to a sink (offered to it). */
    public long routed(String sink) {
        LongAdder a = routed.get(sink);
        return a == null ? 0 : a.sum();
    }

    /** Notifications held back for a sink, by reason. */
    public long suppressed(String sink, String reason) {
        var m = suppressed.get(sink);
        LongAdder a = m == null ? null : m.get(reason);
        return a == null ? 0 : a.sum();
    }

    public void metrics(MetricWriter out) {
        out.counter("notifications_unrouted", "notified alarm changes no route matched", unrouted.sum());
        routed.forEach((s, n) -> out.counter("notifications_routed", "notifications routed to a sink", n.sum(),
                "sink", s));
        suppressed.forEach((s, m) -> m.forEach((reason, n) -> out.counter("notifications_suppressed",
                "notifications held back, by reason (duplicate, rate_limited, not_raised_here, no_such_sink)",
                n.sum(), "sink", s, "reason", reason)));
        sinks.values().forEach(s -> s.metrics(out));
    }
}
