package io.dhcpshield.core.service;

import io.dhcpshield.core.metrics.MetricWriter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Starts services in order and stops them in reverse (Guava's {@code ServiceManager}, synchronous): when one fails
 * to start, those already running are stopped in reverse and the failure is rethrown. Reports each service's state,
 * readiness and metrics, so the status file, the API and Prometheus walk one list.
 */
public final class ServiceManager {

    private static final Logger log = LoggerFactory.getLogger(ServiceManager.class);

    /** new → starting → running → stopping → terminated, or failed with a cause. */
    public enum State { NEW, STARTING, RUNNING, STOPPING, TERMINATED, FAILED }

    /** One service as reported. */
    public record Status(String name, State state, String failure, Readiness readiness) {
    }

    private final List<Entry> entries;

    private static final class Entry {
        final Service service;
        volatile State state = State.NEW;
        volatile String failure = "";

        Entry(Service service) {
            this.service = service;
        }
    }

    public ServiceManager(List<? extends Service> services) {
        List<Entry> list = new ArrayList<>();
        for (Service s : services) {
            Objects.requireNonNull(s, "service");
            if (list.stream().anyMatch(e -> e.service.name().equals(s.name()))) {
                throw new IllegalArgumentException("two services named " + s.name());
            }
            list.add(new Entry(s));
        }
        this.entries = List.copyOf(list);
    }

    /** Starts every service in order; on a failure stops the started ones in reverse and throws it. */
    public void startAll() throws Exception {
        for (Entry e : entries) {
            e.state = State.STARTING;
            try {
                e.service.start();
                e.state = State.RUNNING;
            } catch (Exception | Error ex) {
                e.state = State.FAILED;
                e.failure = String.valueOf(ex.getMessage() != null ? ex.getMessage() : ex);
                log.error("service {} failed to start: {}", e.service.name(), e.failure);
                stopAll();
                throw ex;
            }
        }
    }

    /** Stops every running service in reverse order; a failing stop is logged and the others still stop. */
    public synchronized void stopAll() {
        for (int i = entries.size() - 1; i >= 0; i--) {
            Entry e = entries.get(i);
            if (e.state != State.RUNNING) {
                continue;
            }
            e.state = State.STOPPING;
            try {
                e.service.stop();
                e.state = State.TERMINATED;
            } catch (Exception | Error ex) {
                e.state = State.FAILED;
                e.failure = "stop: " + ex;
                log.warn("service {} failed to stop cleanly: {}", e.service.name(), ex.toString());
            }
        }
    }

    /** Every service's state and readiness, in start order. */
    public List<Status> status() {
        List<Status> out = new ArrayList<>(entries.size());
        for (Entry e : entries) {
            Readiness r;
            if (e.state == State.RUNNING) {
                try {
                    r = e.service.readiness();
                } catch (RuntimeException ex) {
                    r = Readiness.notReady("readiness check failed: " + ex);
                }
            } else {
                r = Readiness.notReady(e.state.name().toLowerCase() + (e.failure.isEmpty() ? "" : ": " + e.failure));
            }
            out.add(new Status(e.service.name(), e.state, e.failure, r));
        }
        return out;
    }

    /** True when every service is running and ready. */
    public boolean ready() {
        return status().stream().allMatch(s -> s.state() == State.RUNNING && s.readiness().ready());
    }

    /** Walks every service's metrics (running or not: counters of a stopped service are still its final numbers). */
    public void metrics(MetricWriter out) {
        for (Entry e : entries) {
            try {
                e.service.metrics(out);
            } catch (RuntimeException ex) {
                log.warn("metrics of {} failed: {}", e.service.name(), ex.toString());
            }
        }
    }

    /** The services, in start order. */
    public List<Service> services() {
        return entries.stream().map(e -> e.service).toList();
    }
}
