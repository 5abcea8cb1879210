package io.dhcpshield.simulator;

import java.util.Arrays;

/**
 * Exact latency samples of one kind (DISCOVER-OFFER, REQUEST-ACK, a whole exchange) in nanoseconds, kept in a
 * growing array and sorted once for the report: a run of minutes at tens of thousands per second is a few MB, and
 * the percentiles are exact rather than bucket bounds.
 */
public final class LatencyRecorder {

    private long[] samples = new long[1024];
    private int count;

    public void record(long nanos) {
        if (count == samples.length) {
            samples = Arrays.copyOf(samples, samples.length * 2);
        }
        samples[count++] = nanos;
    }

    public int count() {
        return count;
    }

    /** The percentiles of what was recorded so far. */
    public Summary summary() {
        long[] sorted = Arrays.copyOf(samples, count);
        Arrays.sort(sorted);
        long sum = 0;
        for (long s : sorted) {
            sum += s;
        }
        return new Summary(count, at(sorted, 0.50), at(sorted, 0.90), at(sorted, 0.99),
                count == 0 ? 0 : sorted[count - 1], count == 0 ? 0 : sum / count);
    }

    /** The nearest-rank percentile. */
    private static long at(long[] sorted, double q) {
        if (sorted.length == 0) {
            return 0;
        }
        int rank = (int) Math.ceil(q * sorted.length);
        return sorted[Math.max(0, rank - 1)];
    }

    /** Count and nanosecond percentiles. */
    public record Summary(long count, long p50, long p90, long p99, long max, long mean) {
    }
}
