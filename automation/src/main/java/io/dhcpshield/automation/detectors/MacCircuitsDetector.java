package io.dhcpshield.automation.detectors;

import io.dhcpshield.automation.Rows;
import io.dhcpshield.core.net.MacAddress;
import io.dhcpshield.storage.ClickHouseClient;
import io.dhcpshield.storage.Queries;
import reactor.core.publisher.Mono;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code mac_circuits}: one client MAC seen from {@code minCircuits} or more distinct (relay, circuit-id) pairs in the
 * window: a cloned MAC on several ports, or a device moving faster than a subscriber line does. One finding per MAC,
 * with every pair (the busiest first, at most {@link #MAX_CIRCUITS}) and its message count.
 */
final class MacCircuitsDetector implements Detector {

    static final String NAME = "mac_circuits";
    static final int MAX_MACS = 1000;
    static final int MAX_CIRCUITS = 20;

    private final int minCircuits;

    MacCircuitsDetector(int minCircuits) {
        this.minCircuits = minCircuits;
    }

    @Override
    public String name() {
        return NAME;
    }

    private record Seen(long mac, long clientMark, String relay, String circuit, long events, Instant first,
                        Instant last) {
        String label() {
            return (relay.isEmpty() ? "-" : relay) + " " + (circuit.isEmpty() ? "-" : circuit);
        }
    }

    @Override
    public Mono<List<Finding>> find(ClickHouseClient ch, Instant from, Instant to) {
        String sql = Queries.bind("detectors.mac_circuits", from, to, from, to, minCircuits, MAX_MACS, MAX_CIRCUITS);
        return ch.query(sql, (row, meta) -> new Seen(Rows.num(row, 0), Rows.num(row, 1), Rows.relay(Rows.str(row, 2)),
                        Rows.str(row, 3), Rows.num(row, 4), Rows.second(row, 5), Rows.second(row, 6)))
                .collectList()
                .map(rows -> {
                    Map<Long, List<Seen>> byMac = new LinkedHashMap<>();
                    for (Seen s : rows) {
                        byMac.computeIfAbsent(s.mac, k -> new ArrayList<>()).add(s);
                    }
                    List<Finding> out = new ArrayList<>();
                    byMac.forEach((m, seen) -> out.add(finding(new MacAddress(m), seen, from, to)));
                    return out;
                });
    }

    private static Finding finding(MacAddress mac, List<Seen> seen, Instant from, Instant to) {
        Map<String, String> ctx = new LinkedHashMap<>();
        ctx.put("mac", mac.toString());
        ctx.put("client_mark", Rows.mark(seen.get(0).clientMark));
        ctx.put("circuits", String.valueOf(seen.size()));
        List<String> labels = new ArrayList<>();
        for (int i = 0; i < seen.size(); i++) {
            Seen s = seen.get(i);
            labels.add(s.label());
            ctx.put("circuit_" + (i + 1), s.label() + " (" + s.events + " messages, " + s.first + " .. " + s.last
                    + ")");
        }
        ctx.put("window_from", from.toString());
        ctx.put("window_to", to.toString());
        String message = mac + " seen behind " + seen.size() + " circuits (relay circuit-id) in "
                + java.time.Duration.between(from, to).toMinutes() + " min: " + String.join(", ", labels);
        return new Finding(mac.toString(), mac.toString(), mac, message, ctx);
    }
}
