package io.dhcpshield.alarms;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dhcpshield.core.metrics.MetricWriter;

/**
 * Where notifications go: the in-app bell, a Vector agent. {@link #offer} never blocks the alarms engine: a sink
 * queues, sends on its own threads and counts what it sent, retried and dropped.
 */
public interface NotificationSink {

    /** The name routes use: {@code bell}, {@code vector}. */
    String name();

    /** Takes a notification for delivery; false (and counted as dropped) when the sink cannot take it now. */
    boolean offer(Notification n);

    default void start() {
    }

    /** Stops; notifications still queued are counted as dropped. */
    default void stop() {
    }

    /** Counters (and gauges) labelled {@code sink=<name>}. */
    void metrics(MetricWriter out);

    /** What the notification settings page shows: type, target, state, counters. */
    ObjectNode status();
}
