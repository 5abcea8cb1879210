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
 * {@code mark_collision}: two or more MACs active in the window share a 24-bit client mark (their low 24 bits are
 * equal; about a 50 % chance somewhere among 5,000 clients). The enforcement sets are keyed by the mark, so an action
 * on one hits all of them: the alarm names every MAC (the busiest first, at most {@link #MAX_MACS}). No action is
 * ever taken for it. The quiet key is the mark with its MACs: another MAC joining the mark alarms again.
 */
final class MarkCollisionDetector implements Detector {

    static final String NAME = "mark_collision";
    static final int MAX_MARKS = 1000;
    static final int MAX_MACS = 16;

    @Override
    public String name() {
        return NAME;
    }

    private record Seen(long clientMark, MacAddress mac, long events, Instant first, Instant last) {
    }

    @Override
    public Mono<List<Finding>> find(ClickHouseClient ch, Instant from, Instant to) {
        String sql = Queries.bind("detectors.mark_collisions", from, to, from, to, MAX_MARKS, MAX_MACS);
        return ch.query(sql, (row, meta) -> new Seen(Rows.num(row, 0), Rows.mac(row, 1), Rows.num(row, 2),
                        Rows.second(row, 3), Rows.second(row, 4)))
                .collectList()
                .map(rows -> {
                    Map<Long, List<Seen>> byMark = new LinkedHashMap<>();
                    for (Seen s : rows) {
                        byMark.computeIfAbsent(s.clientMark, k -> new ArrayList<>()).add(s);
                    }
                    List<Finding> out = new ArrayList<>();
                    byMark.forEach((mark, seen) -> {
                        if (seen.size() >= 2) {
                            out.add(finding(mark, seen));
                        }
                    });
                    return out;
                });
    }

    private static Finding finding(long clientMark, List<Seen> seen) {
        String mark = Rows.mark(clientMark);
        Map<String, String> ctx = new LinkedHashMap<>();
        ctx.put("client_mark", mark);
        List<String> macs = new ArrayList<>();
        for (int i = 0; i < seen.size(); i++) {
            Seen s = seen.get(i);
            macs.add(s.mac.toString());
            ctx.put("mac_" + (i + 1), s.mac.toString());
            ctx.put("mac_" + (i + 1) + "_events", String.valueOf(s.events));
            ctx.put("mac_" + (i + 1) + "_last_seen", s.last.toString());
        }
        ctx.put("macs", String.join(",", macs));
        String message = "client mark " + mark + " is shared by " + seen.size() + " MACs: " + String.join(", ", macs)
                + "; an action on any of them hits all";
        List<String> sorted = new ArrayList<>(macs);
        sorted.sort(null);
        return new Finding(mark + "/" + String.join(",", sorted), mark, null, message, ctx);
    }
}
