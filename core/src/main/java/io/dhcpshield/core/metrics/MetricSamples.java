package io.dhcpshield.core.metrics;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One walk of every component's metrics, collected: what the status file, the API's counters resource and the
 * Prometheus endpoint render. Samples keep their order; {@link #byName()} groups them.
 */
public final class MetricSamples implements MetricWriter {

    /** The kinds of metric. */
    public enum Type { COUNTER, GAUGE, HISTOGRAM }

    /**
     * One sample: a value, or a histogram with its scale.
     *
     * @param labels name/value pairs in the order given
     */
    public record Sample(String name, Type type, String help, Map<String, String> labels, double value,
                         Log2Histogram.Snapshot histogram, double scale) {
    }

    private final List<Sample> samples = new ArrayList<>();

    @Override
    public void counter(String name, String help, long value, String... labels) {
        samples.add(new Sample(name, Type.COUNTER, help, labels(labels), value, null, 1));
    }

    @Override
    public void gauge(String name, String help, double value, String... labels) {
        samples.add(new Sample(name, Type.GAUGE, help, labels(labels), value, null, 1));
    }

    @Override
    public void histogram(String name, String help, Log2Histogram.Snapshot histogram, double scale, String... labels) {
        samples.add(new Sample(name, Type.HISTOGRAM, help, labels(labels), histogram.count(), histogram, scale));
    }

    public List<Sample> samples() {
        return Collections.unmodifiableList(samples);
    }

    /** Samples grouped by name, in first-seen order. */
    public Map<String, List<Sample>> byName() {
        Map<String, List<Sample>> out = new LinkedHashMap<>();
        for (Sample s : samples) {
            out.computeIfAbsent(s.name(), k -> new ArrayList<>()).add(s);
        }
        return out;
    }

    /** The sum of a counter or gauge over all its label sets (0 when absent). */
    public double total(String name) {
        double t = 0;
        for (Sample s : samples) {
            if (s.name().equals(name)) {
                t += s.value();
            }
        }
        return t;
    }

    /**
     * The JSON form: {@code {name: {type, help, total, series: [{labels, value}]}}}; a histogram's series carry
     * {@code count}, {@code sum}, {@code p50} and {@code p99} in the reported unit, and the raw log2 {@code buckets}.
     */
    public ObjectNode toJson() {
        JsonNodeFactory f = JsonNodeFactory.instance;
        ObjectNode root = f.objectNode();
        byName().forEach((name, list) -> {
            Sample first = list.get(0);
            ObjectNode m = root.putObject(name);
            m.put("type", first.type().name().toLowerCase(java.util.Locale.ROOT));
            m.put("help", first.help());
            if (first.type() != Type.HISTOGRAM) {
                double total = 0;
                for (Sample s : list) {
                    total += s.value();
                }
                number(m, "total", total);
            }
            var series = m.putArray("series");
            for (Sample s : list) {
                ObjectNode one = series.addObject();
                ObjectNode l = one.putObject("labels");
                s.labels().forEach(l::put);
                if (s.type() == Type.HISTOGRAM) {
                    one.put("count", s.histogram().count());
                    one.put("sum", s.histogram().sum() * s.scale());
                    one.put("p50", s.histogram().percentile(0.5) * s.scale());
                    one.put("p99", s.histogram().percentile(0.99) * s.scale());
                    // Raw log2 buckets in the recorded unit (bucket i holds [2^i, 2^(i+1))): deltas between two
                    // reports give percentiles of an interval (the benchmarks use them).
                    one.put("scale", s.scale());
                    var b = one.putArray("buckets");
                    for (long c : s.histogram().buckets()) {
                        b.add(c);
                    }
                } else {
                    number(one, "value", s.value());
                }
            }
        });
        return root;
    }

    private static void number(ObjectNode n, String field, double v) {
        if (v == Math.rint(v) && Math.abs(v) < 9.0e15) {
            n.put(field, (long) v);
        } else {
            n.put(field, v);
        }
    }

    private static Map<String, String> labels(String[] pairs) {
        if (pairs.length % 2 != 0) {
            throw new IllegalArgumentException("labels come in name/value pairs");
        }
        if (pairs.length == 0) {
            return Map.of();
        }
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            m.put(pairs[i], pairs[i + 1]);
        }
        return Collections.unmodifiableMap(m);
    }
}
