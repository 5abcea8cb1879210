package io.dhcpshield.alarms.notify;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dhcpshield.alarms.AlarmChange;
import io.dhcpshield.alarms.Notification;
import io.dhcpshield.alarms.NotificationSink;
import io.dhcpshield.core.metrics.MetricWriter;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;

import java.util.concurrent.atomic.LongAdder;

/**
 * The in-app bell: notifications (and the updates of alarms it notified) become live-stream messages for every
 * logged-in GUI. The API subscribes {@link #messages()} and pushes each to its stream clients; nothing is queued here,
 * so a notification is sent the moment the stream hub takes it, or dropped (counted) when no stream is running.
 */
public final class BellSink implements NotificationSink {

    /** One message for the stream: {@code change} (raised, escalated, updated, acknowledged, cleared) and the alarm. */
    public record Message(String change, ObjectNode alarm) {
    }

    private final Sinks.Many<Message> out = Sinks.many().multicast().directBestEffort();
    private final LongAdder offered = new LongAdder();
    private final LongAdder sent = new LongAdder();
    private final LongAdder dropped = new LongAdder();
    private final LongAdder updates = new LongAdder();

    @Override
    public String name() {
        return "bell";
    }

    @Override
    public boolean offer(Notification n) {
        offered.increment();
        if (emit(new Message(n.change().label(), io.dhcpshield.alarms.AlarmJson.alarm(n.alarm())))) {
            sent.increment();
            return true;
        }
        dropped.increment();
        return false;
    }

    /** An update of an alarm the bell notified (not a notification: the GUI refreshes its row). */
    public void update(AlarmChange c) {
        if (emit(new Message(c.type().label(), io.dhcpshield.alarms.AlarmJson.alarm(c.alarm())))) {
            updates.increment();
        }
    }

    /** The messages for the live stream (hot). */
    public Flux<Message> messages() {
        return out.asFlux();
    }

    private boolean emit(Message m) {
        return out.tryEmitNext(m) == Sinks.EmitResult.OK;
    }

    @Override
    public void metrics(MetricWriter w) {
        w.counter("notifications_offered", "notifications a sink took", offered.sum(), "sink", "bell");
        w.counter("notifications_sent", "notifications a sink delivered", sent.sum(), "sink", "bell");
        w.counter("notifications_dropped", "notifications a sink dropped, by reason", dropped.sum(), "sink", "bell",
                "reason", "no_stream");
        w.gauge("notifications_pending", "notifications waiting in a sink", 0, "sink", "bell");
        w.counter("bell_updates", "alarm updates pushed to the live stream", updates.sum());
    }

    @Override
    public ObjectNode status() {
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        n.put("name", "bell");
        n.put("type", "bell");
        n.put("enabled", true);
        n.put("target", "live stream (/api/v1/stream)");
        n.put("state", "closed");
        ObjectNode c = n.putObject("counters");
        c.put("offered", offered.sum());
        c.put("sent", sent.sum());
        c.put("retried", 0);
        c.put("dropped", dropped.sum());
        c.put("pending", 0);
        return n;
    }
}
