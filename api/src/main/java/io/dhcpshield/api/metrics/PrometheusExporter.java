package io.dhcpshield.api.metrics;

import io.dhcpshield.core.metrics.Log2Histogram;
import io.dhcpshield.core.metrics.MetricSamples;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

/**
 * The Prometheus exposition of one metrics walk: every counter, gauge and histogram the services report, named
 * {@code dhcpshield_<name>} (counters get {@code _total} from the format), labels as reported. Formatting and
 * escaping are the Prometheus Java client's.
 */
public final class PrometheusExporter {

    public static final String PREFIX = "dhcpshield_";
    public static final String CONTENT_TYPE = PrometheusTextFormatWriter.CONTENT_TYPE;

    private PrometheusExporter() {
    }

    public static byte[] render(MetricSamples samples) {
        MetricSnapshots.Builder all = MetricSnapshots.builder();
        for (Map.Entry<String, List<MetricSamples.Sample>> e : samples.byName().entrySet()) {
            List<MetricSamples.Sample> list = e.getValue();
            MetricSamples.Sample first = list.get(0);
            String name = PREFIX + e.getKey();
            String help = first.help();
            switch (first.type()) {
                case COUNTER -> {
                    CounterSnapshot.Builder b = CounterSnapshot.builder().name(name).help(help);
                    for (MetricSamples.Sample s : list) {
                        b.dataPoint(CounterSnapshot.CounterDataPointSnapshot.builder().value(s.value())
                                .labels(labels(s)).build());
                    }
                    all.metricSnapshot(b.build());
                }
                case GAUGE -> {
                    GaugeSnapshot.Builder b = GaugeSnapshot.builder().name(name).help(help);
                    for (MetricSamples.Sample s : list) {
                        b.dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder().value(s.value())
                                .labels(labels(s)).build());
                    }
                    all.metricSnapshot(b.build());
                }
                case HISTOGRAM -> {
                    HistogramSnapshot.Builder b = HistogramSnapshot.builder().name(name).help(help);
                    for (MetricSamples.Sample s : list) {
                        b.dataPoint(HistogramSnapshot.HistogramDataPointSnapshot.builder()
                                .classicHistogramBuckets(buckets(s.histogram(), s.scale()))
                                .sum(s.histogram().sum() * s.scale())
                                .labels(labels(s)).build());
                    }
                    all.metricSnapshot(b.build());
                }
                default -> throw new IllegalStateException("unknown metric type " + first.type());
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(64 * 1024);
        try {
            PrometheusTextFormatWriter.create().write(out, all.build());
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        return out.toByteArray();
    }

    /** Log2 buckets 0..39 with their inclusive upper bounds; the last (everything larger) is +Inf. */
    private static ClassicHistogramBuckets buckets(Log2Histogram.Snapshot h, double scale) {
        long[] b = h.buckets();
        int n = b.length;
        double[] bounds = new double[n];
        long[] counts = new long[n];
        for (int i = 0; i < n - 1; i++) {
            bounds[i] = Log2Histogram.upperBound(i) * scale;
            counts[i] = b[i];
        }
        bounds[n - 1] = Double.POSITIVE_INFINITY;
        counts[n - 1] = b[n - 1];
        return ClassicHistogramBuckets.of(bounds, counts);
    }

    private static Labels labels(MetricSamples.Sample s) {
        if (s.labels().isEmpty()) {
            return Labels.EMPTY;
        }
        Labels.Builder b = Labels.builder();
        s.labels().forEach(b::label);
        return b.build();
    }
}
