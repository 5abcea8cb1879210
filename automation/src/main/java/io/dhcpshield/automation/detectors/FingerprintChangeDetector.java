package io.dhcpshield.automation.detectors;

import io.dhcpshield.automation.Rows;
import io.dhcpshield.core.net.MacAddress;
import io.dhcpshield.storage.ClickHouseClient;
import io.dhcpshield.storage.Queries;
import reactor.core.publisher.Mono;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code fingerprint_change}: a known MAC's parameter request list (DHCPv6: option request option), vendor class or
 * hostname changed. For each MAC that sent a DISCOVER/REQUEST (SOLICIT/REQUEST) in the window, each field's
 * <em>established</em> value is the one it sent most over the baseline before the window (at least
 * {@code minEstablishedEvents} messages); a value first seen inside the window that differs from it is a change,
 * unless an allowed transition matches. Empty values are no sample (not every message carries every option). A value
 * seen before the window is never new again, so a device flapping between two fingerprints alarms on the first
 * appearance of the second only; the service's quiet time per MAC covers the overlap of consecutive windows.
 */
final class FingerprintChangeDetector implements Detector {

    static final String NAME = "fingerprint_change";
    /** Rows one run reads at most (values of active MACs over the baseline). */
    static final int MAX_ROWS = 200_000;
    private static final List<String> FIELDS = List.of("prl", "vendor_class", "hostname");

    private final DetectorConfig.FingerprintChange config;

    FingerprintChangeDetector(DetectorConfig.FingerprintChange config) {
        this.config = config;
    }

    @Override
    public String name() {
        return NAME;
    }

    /** One value of one field of one MAC: how often, first and last seen. */
    private record Value(String value, long events, Instant first, Instant last) {
    }

    /** One row: a value of a field of a client (MAC and family). */
    private record Sample(long mac, int family, long clientMark, String field, Value value) {
    }

    @Override
    public Mono<List<Finding>> find(ClickHouseClient ch, Instant from, Instant to) {
        String sql = Queries.bind("detectors.fingerprints", to.minus(config.baseline()), to, from, to, MAX_ROWS);
        return ch.query(sql, (row, meta) -> new Sample(Rows.num(row, 0), (int) Rows.num(row, 1), Rows.num(row, 2),
                        Rows.str(row, 3), new Value(Rows.str(row, 4), Rows.num(row, 5), Rows.second(row, 6),
                        Rows.second(row, 7))))
                .collectList()
                .map(rows -> {
                    // Rows come ordered by (mac, family): one client's samples are contiguous.
                    List<Finding> out = new ArrayList<>();
                    Map<String, List<Value>> fields = new TreeMap<>();
                    for (int i = 0; i < rows.size(); i++) {
                        Sample s = rows.get(i);
                        fields.computeIfAbsent(s.field, k -> new ArrayList<>()).add(s.value);
                        Sample next = i + 1 < rows.size() ? rows.get(i + 1) : null;
                        if (next == null || next.mac != s.mac || next.family != s.family) {
                            Finding f = finding(new MacAddress(s.mac), s.family, s.clientMark, fields, from);
                            if (f != null) {
                                out.add(f);
                            }
                            fields = new TreeMap<>();
                        }
                    }
                    return out;
                });
    }

    private Finding finding(MacAddress mac, int family, long clientMark, Map<String, List<Value>> fields,
                            Instant windowFrom) {
        Map<String, String> ctx = new LinkedHashMap<>();
        ctx.put("mac", mac.toString());
        ctx.put("client_mark", Rows.mark(clientMark));
        ctx.put("family", String.valueOf(family));
        List<String> changes = new ArrayList<>();
        List<String> allowed = new ArrayList<>();
        for (String field : FIELDS) {
            List<Value> values = fields.getOrDefault(field, List.of());
            Value established = values.stream().filter(v -> v.first.isBefore(windowFrom))
                    .filter(v -> v.events >= config.minEstablishedEvents())
                    .max(Comparator.comparingLong(Value::events).thenComparing(Value::first, Comparator.reverseOrder()))
                    .orElse(null);
            if (established == null) {
                continue;
            }
            Value now = values.stream().filter(v -> !v.first.isBefore(windowFrom))
                    .max(Comparator.comparing(Value::last).thenComparingLong(Value::events)).orElse(null);
            if (now == null || now.value.equals(established.value)) {
                continue;
            }
            if (config.allowedTransitions().stream().anyMatch(t -> t.matches(field, established.value, now.value))) {
                allowed.add(field);
                continue;
            }
            changes.add(field + " \"" + established.value + "\" -> \"" + now.value + "\"");
            ctx.put(field + "_before", established.value);
            ctx.put(field + "_after", now.value);
            ctx.put(field + "_before_events", String.valueOf(established.events));
            ctx.put(field + "_before_since", established.first.toString());
            ctx.put(field + "_after_first_seen", now.first.toString());
            ctx.put(field + "_after_events", String.valueOf(now.events));
        }
        if (changes.isEmpty()) {
            return null;
        }
        ctx.put("changed", String.join(",", changes.stream().map(s -> s.substring(0, s.indexOf(' '))).toList()));
        if (!allowed.isEmpty()) {
            ctx.put("allowed_changes", String.join(",", allowed));
        }
        String message = mac + " (DHCPv" + family + ") fingerprint changed: " + String.join("; ", changes);
        return new Finding(mac + "/" + family, mac.toString(), mac, message, ctx);
    }
}
