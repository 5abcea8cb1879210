package io.dhcpshield.core.metrics;

/**
 * Where a component reports its counters, by name: the status file, the API's counters resource and the Prometheus
 * endpoint each implement this, so a component describes its numbers once and every report walks them. Names are
 * {@code snake_case} without a product prefix or unit suffix decoration beyond the unit itself ({@code _seconds},
 * {@code _bytes}); labels are name/value pairs ({@code "queue", "1", "reason", "enobufs"}). A counter only grows.
 */
public interface MetricWriter {

    /** A count that only grows (packets received, batches written, errors by reason). */
    void counter(String name, String help, long value, String... labels);

    /** A value that goes up and down (buffered events, set sizes, connected clients). */
    void gauge(String name, String help, double value, String... labels);

    /**
     * A distribution in log2 buckets, in the histogram's recording unit; {@code scale} converts that unit to the
     * reported one (1e-9 for nanoseconds reported as {@code _seconds}).
     */
    void histogram(String name, String help, Log2Histogram.Snapshot histogram, double scale, String... labels);
}
