package io.dhcpshield.automation.detectors;

import io.dhcpshield.automation.Rows;
import io.dhcpshield.core.net.MacAddress;
import io.dhcpshield.storage.ClickHouseClient;
import io.dhcpshield.storage.Queries;
import reactor.core.publisher.Mono;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code chaddr_mismatch}: unrelayed DHCPv4 client messages (giaddr 0) whose chaddr is not the link-layer source they
 * arrived from (NFQA_HWADDR, {@code dhcp_events.l2_source}). Without a relay the frame comes from the client itself,
 * so a different chaddr is a spoofed client (starvation tools, lease theft) or a bridge rewriting frames. One finding
 * per (chaddr, L2 source); the action, if any, hits the chaddr's client mark. Events without a link-layer source
 * (stored before V009, or from a source that gives none) are skipped.
 */
final class ChaddrMismatchDetector implements Detector {

    static final String NAME = "chaddr_mismatch";
    static final int MAX_ROWS = 10_000;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Mono<List<Finding>> find(ClickHouseClient ch, Instant from, Instant to) {
        return ch.query(Queries.bind("detectors.chaddr_mismatch", from, to, MAX_ROWS), (row, meta) -> {
            MacAddress chaddr = Rows.mac(row, 0);
            MacAddress l2 = Rows.mac(row, 1);
            long events = Rows.num(row, 3);
            Map<String, String> ctx = new LinkedHashMap<>();
            ctx.put("chaddr", chaddr.toString());
            ctx.put("l2_source", l2.toString());
            ctx.put("client_mark", Rows.mark(Rows.num(row, 2)));
            ctx.put("events", String.valueOf(events));
            ctx.put("first_seen", Rows.second(row, 4).toString());
            ctx.put("last_seen", Rows.second(row, 5).toString());
            String site = Rows.str(row, 6);
            if (!site.isEmpty()) {
                ctx.put("site", site);
            }
            String message = chaddr + ": " + events + " unrelayed DHCPv4 message" + (events == 1 ? "" : "s")
                    + " with chaddr " + chaddr + " arrived from link-layer source " + l2
                    + " (spoofed chaddr or a bridge rewriting frames)";
            return new Finding(chaddr + "/" + l2, chaddr.toString(), chaddr, message, ctx);
        }).collectList();
    }
}
