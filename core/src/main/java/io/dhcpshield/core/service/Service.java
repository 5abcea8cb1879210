package io.dhcpshield.core.service;

import io.dhcpshield.core.metrics.MetricWriter;

/**
 * One subsystem of the daemon (inspection, ruleset, storage, operational config, actions, API, ...) with a lifecycle
 * (Guava's {@code Service} shape, kept synchronous): {@link ServiceManager} starts services in order and stops them
 * in reverse, and every report (status file, API, Prometheus) walks their {@link #metrics} and {@link #readiness}
 * instead of knowing their types.
 *
 * <p>{@link #start()} returns once the service is running. Work that depends on something slow or remote (a database
 * that may be down) does not block the start: it completes a {@link Deferred} when ready, and consumers answer
 * "not ready" until then.
 */
public interface Service {

    /** A short stable name: {@code inspection}, {@code storage}, {@code api}. Used as a metric label. */
    String name();

    /** Starts; throws when the service cannot run (the daemon then stops what it started and exits). */
    void start() throws Exception;

    /** Stops and releases everything; called once, after a successful start, in reverse start order. */
    void stop() throws Exception;

    /** Reports this service's counters, gauges and histograms. Must be cheap and safe from any thread. */
    default void metrics(MetricWriter out) {
    }

    /** Whether the service does its job now, why not, and the facts an operator checks (queues bound, mode). */
    default Readiness readiness() {
        return Readiness.up();
    }
}
