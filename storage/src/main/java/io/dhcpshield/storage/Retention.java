package io.dhcpshield.storage;

import io.dhcpshield.core.time.Time;
import io.dhcpshield.storage.OperationalKeys.Key;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Retention without TTL (18.16 has none that modern servers share): drops whole day partitions
 * ({@code toYYYYMMDD}) older than the configured days, found in {@code system.parts}. A table's partition for day D
 * is dropped when D is before today (UTC) minus its days: with 30 days on 2026-11-23, 2026-10-23 and older go,
 * 2026-10-24 stays. Days come from the operational config at each run, so a change applies at the next run.
 */
public final class Retention {

    private static final Logger log = LoggerFactory.getLogger(Retention.class);
    private static final DateTimeFormatter DAY = DateTimeFormatter.BASIC_ISO_DATE;

    /** The day-partitioned tables and the key holding their retention days. */
    public static final Map<String, Key<Long>> TABLES;

    static {
        Map<String, Key<Long>> m = new LinkedHashMap<>();
        m.put("dhcp_events", OperationalKeys.RETENTION_EVENTS_DAYS);
        m.put("dhcp_bindings", OperationalKeys.RETENTION_EVENTS_DAYS);
        m.put("client_minute_stats", OperationalKeys.RETENTION_STATS_DAYS);
        m.put("relay_minute_stats", OperationalKeys.RETENTION_STATS_DAYS);
        m.put("vendor_class_hour_stats", OperationalKeys.RETENTION_STATS_DAYS);
        m.put("actions_log", OperationalKeys.RETENTION_LOGS_DAYS);
        m.put("alarms", OperationalKeys.RETENTION_LOGS_DAYS);
        m.put("automation_runs", OperationalKeys.RETENTION_LOGS_DAYS);
        TABLES = java.util.Collections.unmodifiableMap(m);
    }

    /**
     * Tables partitioned by the day their rows stop mattering (not by when they were written): a partition goes as
     * soon as its day is over, whatever the configured days.
     */
    public static final Set<String> BY_EXPIRY = Set.of("token_revocations");

    /** One day partition of one table. */
    public record Partition(String table, int day) {
    }

    private final ClickHouseClient client;
    private final OperationalConfig config;
    private final Time time;

    public Retention(ClickHouseClient client, OperationalConfig config, Time time) {
        this.client = Objects.requireNonNull(client, "client");
        this.config = Objects.requireNonNull(config, "config");
        this.time = Objects.requireNonNull(time, "time");
    }

    /** The partitions of {@code existing} that are older than their table's days on {@code today}. */
    public static List<Partition> expired(List<Partition> existing, Map<String, Long> days, LocalDate today) {
        List<Partition> out = new ArrayList<>();
        for (Partition p : existing) {
            Long d = days.get(p.table());
            if (d != null && p.day() < Integer.parseInt(today.minusDays(d).format(DAY))) {
                out.add(p);
            }
        }
        return out;
    }

    /** Reads system.parts and drops every expired day partition now; emits what it dropped. */
    public Flux<Partition> runOnce() {
        Map<String, Long> days = new LinkedHashMap<>();
        TABLES.forEach((t, k) -> days.put(t, config.get(k)));
        BY_EXPIRY.forEach(t -> days.put(t, 0L));
        LocalDate today = LocalDate.ofInstant(time.now(), ZoneOffset.UTC);
        return client.query(Queries.bind("retention.day_partitions"),
                        (row, meta) -> new String[] {String.valueOf(row.get(0)), String.valueOf(row.get(1))})
                .filter(r -> days.containsKey(r[0]) && r[1].matches("\\d{8}"))
                .map(r -> new Partition(r[0], Integer.parseInt(r[1])))
                .collectList()
                .flatMapMany(parts -> Flux.fromIterable(expired(parts, days, today)))
                .concatMap(p -> client.execute(Queries.bind("retention.drop." + p.table(), p.day()))
                        .doOnSuccess(v -> log.info("retention: dropped {} partition {}", p.table(), p.day()))
                        .thenReturn(p));
    }

    /**
     * Runs {@link #runOnce} every {@code interval} on {@code scheduler} while {@code operational.retention.active} is
     * true; a failed run is logged and retried at the next tick.
     */
    public Disposable schedule(Duration interval, Scheduler scheduler) {
        return Flux.interval(Duration.ZERO, interval, scheduler)
                .onBackpressureDrop()
                .filter(tick -> config.get(OperationalKeys.RETENTION_ACTIVE))
                .concatMap(tick -> runOnce().onErrorResume(e -> {
                    log.warn("retention run failed: {}", e.toString());
                    return Mono.empty();
                }), 1)
                .subscribe();
    }
}
