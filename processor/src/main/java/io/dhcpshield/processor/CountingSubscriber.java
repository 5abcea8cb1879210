package io.dhcpshield.processor;

import io.dhcpshield.core.event.DhcpEvent;
import io.dhcpshield.core.event.EventFanout;
import io.dhcpshield.core.metrics.MetricWriter;
import io.dhcpshield.core.service.Service;
import reactor.core.Disposable;
import reactor.core.scheduler.Schedulers;

import java.util.concurrent.atomic.LongAdder;

/**
 * The benchmarks' event subscriber (hidden option {@code --counting-subscriber}): takes every event from the fan-out
 * and only counts it ({@code counting_subscriber_received}), inline or passive.
 */
final class CountingSubscriber implements Service {

    private final EventFanout<DhcpEvent> events;
    private final LongAdder counted = new LongAdder();
    /** The buffer every subscriber of the daemon gets ({@code events.buffer_per_subscriber}). */
    private final int capacity;
    private Disposable subscription;

    CountingSubscriber(EventFanout<DhcpEvent> events, int capacity) {
        this.events = events;
        this.capacity = capacity;
    }

    @Override
    public String name() {
        return "counting-subscriber";
    }

    @Override
    public void start() {
        subscription = events.subscribe("counting", capacity, Schedulers.newSingle("counting-subscriber", true))
                .subscribe(e -> counted.increment());
    }

    @Override
    public void stop() {
        subscription.dispose();
    }

    @Override
    public void metrics(MetricWriter out) {
        out.counter("counting_subscriber_received", "events the benchmark's counting subscriber saw", counted.sum());
    }
}
