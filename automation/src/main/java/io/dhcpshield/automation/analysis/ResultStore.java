package io.dhcpshield.automation.analysis;

import io.dhcpshield.core.net.MacAddress;
import io.dhcpshield.core.time.Time;
import io.dhcpshield.enforcement.action.ActionTarget;
import io.dhcpshield.enforcement.action.ActionType;
import io.dhcpshield.storage.ClickHouseClient;
import io.dhcpshield.storage.Client;
import io.dhcpshield.storage.Queries;
import io.r2dbc.spi.Row;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.time.Instant;
import java.util.Objects;

/**
 * {@code analysis_results} (migration V008, ReplacingMergeTree(version)): every state of an analysis is a new row
 * version, numbered {@code max(last + 1, now in µs)} where {@code last} is the highest version this instance wrote or
 * read, so a later state always wins, even over a row another process wrote with a clock ahead of ours; reads use
 * FINAL and take the newest version. Templates in queries.sql, section "analysis".
 */
final class ResultStore {

    private static final MacAddress NO_MAC = new MacAddress(0);
    private static final int ALL_MARKS = 0xFF_FFFF;

    private final ClickHouseClient client;
    private final Time time;
    private long lastVersion;

    ResultStore(ClickHouseClient client, Time time) {
        this.client = Objects.requireNonNull(client, "client");
        this.time = Objects.requireNonNull(time, "time");
    }

    /** Stores {@code r} as the newest version of its analysis. */
    Mono<Void> write(AnalysisResult r) {
        return Mono.defer(() -> {
            ActionTarget t = r.target();
            MacAddress mac = t.kind() == ActionTarget.Kind.MAC ? MacAddress.parse(t.value()) : NO_MAC;
            String duid = t.kind() == ActionTarget.Kind.DUID ? t.value() : "";
            return client.execute(Queries.bind("analysis.result_write", r.requestedAt(), r.id(),
                    (long) t.clientMark(), mac, duid, r.requestedBy(), r.state().label(),
                    r.recommendation() == null ? "" : r.recommendation().label(), r.reason(), r.model(), r.promptId(),
                    Math.min(r.latencyMs(), 0xFFFF_FFFFL), r.error(), r.updatedAt(), nextVersion()));
        });
    }

    /** The analysis's newest version; empty when there is none. */
    Mono<AnalysisResult> find(String id) {
        return client.query(Queries.bind("analysis.result", id), (row, meta) -> read(row)).next();
    }

    /** Analyses matching {@code f}, newest requested first, at most {@code limit}. */
    Flux<AnalysisResult> list(ResultFilter f, int limit) {
        int lo = f.target() == null ? 0 : f.target().clientMark();
        int hi = f.target() == null ? ALL_MARKS : f.target().clientMark();
        String sql = Queries.bind("analysis.results", f.from(), f.to(), lo, hi,
                f.requestedBy() == null ? 0 : 1, f.requestedBy() == null ? "" : f.requestedBy(),
                f.state() == null ? 0 : 1, f.state() == null ? "" : f.state().label(), limit);
        return client.query(sql, (row, meta) -> read(row))
                .filter(r -> f.state() == null || r.state() == f.state());
    }

    /** Analyses whose newest version is in {@code state}, oldest first, at most {@code limit}. */
    Flux<AnalysisResult> inState(AnalysisState state, int limit) {
        return client.query(Queries.bind("analysis.in_state", state.label(), limit), (row, meta) -> read(row))
                .filter(r -> r.state() == state);
    }

    private synchronized long nextVersion() {
        Instant now = time.now();
        lastVersion = Math.max(lastVersion + 1, now.getEpochSecond() * 1_000_000L + now.getNano() / 1000);
        return lastVersion;
    }

    private AnalysisResult read(Row row) {
        long version = num(row, 14);
        synchronized (this) {
            lastVersion = Math.max(lastVersion, version);
        }
        return result(row);
    }

    private static AnalysisResult result(Row row) {
        long mac = num(row, 3);
        String duid = str(row, 4);
        ActionTarget target = mac != 0 ? ActionTarget.mac(new MacAddress(mac))
                : !duid.isEmpty() ? ActionTarget.duid(Client.duid(duid)) : ActionTarget.mark((int) num(row, 2));
        String rec = str(row, 7);
        return new AnalysisResult(str(row, 1), Instant.ofEpochSecond(num(row, 0)), target, str(row, 5),
                AnalysisState.parse(str(row, 6)), rec.isEmpty() ? null : ActionType.parse(rec), str(row, 8),
                str(row, 9), str(row, 10), num(row, 11), str(row, 12), Instant.ofEpochSecond(num(row, 13)));
    }

    static String str(Row row, int i) {
        Object v = row.get(i);
        return v == null ? "" : String.valueOf(v);
    }

    static long num(Row row, int i) {
        Object v = row.get(i);
        if (v instanceof Number n) {
            return n.longValue();
        }
        String s = v == null ? "" : String.valueOf(v).strip();
        return s.isEmpty() ? 0 : new java.math.BigInteger(s).longValue();
    }
}
