package io.dhcpshield.automation.detectors;

import io.dhcpshield.automation.AlarmEvent;
import io.dhcpshield.core.metrics.MetricWriter;
import io.dhcpshield.core.service.Deferred;
import io.dhcpshield.core.service.Readiness;
import io.dhcpshield.core.service.Service;
import io.dhcpshield.core.time.Time;
import io.dhcpshield.enforcement.action.ActionManager;
import io.dhcpshield.enforcement.action.ActionOutcome;
import io.dhcpshield.enforcement.action.ActionTarget;
import io.dhcpshield.enforcement.action.Actor;
import io.dhcpshield.storage.ClickHouseClient;
import io.dhcpshield.storage.Queries;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * The built-in detectors as a daemon service ({@code detectors}): every {@code interval} each enabled detector reads
 * the last {@code window} of {@code dhcp_events} and reports what it found; a subject that alarmed stays quiet for
 * its detector's quiet time (hysteresis), and every other finding becomes an {@link AlarmEvent}: published on
 * {@link #alarms()} (the alarms engine), written to the {@code alarms} table, kept for {@link #recent(int)}, and, when
 * the detector has an action configured, applied through the Action Manager with {@code detector:<name>} as the
 * actor. No LLM, no operator input. A failing detector (a broken query, ClickHouse down) is counted and retried at
 * the next run; it never stops the others.
 *
 * <p>ClickHouse and the Action Manager arrive late as {@link Deferred}s: runs wait for ClickHouse; an action whose
 * manager has not arrived is not taken (the alarm says so).
 */
public final class DetectorService implements Service {

    private static final Logger log = LoggerFactory.getLogger(DetectorService.class);
    /** Alarms kept in memory for {@link #recent(int)}. */
    public static final int RECENT = 1000;

    private final Deferred<ClickHouseClient> clickhouse;
    private final Deferred<ActionManager> actions;
    private final DetectorConfig config;
    private final Time time;
    private final Scheduler scheduler;
    private final Scheduler worker;
    private final List<Detector> detectors;
    private final Map<String, DetectorConfig.Settings> settings = new LinkedHashMap<>();

    private final Object deciding = new Object();
    /** (detector, quiet key) → when it last alarmed. */
    private final Map<String, Instant> quietUntil = new ConcurrentHashMap<>();
    private final Deque<AlarmEvent> recent = new ArrayDeque<>();
    private final Sinks.Many<AlarmEvent> alarmSink = Sinks.many().multicast().directBestEffort();
    private final Map<String, Counters> counters = new LinkedHashMap<>();
    private final LongAdder cycles = new LongAdder();
    private final LongAdder alarmWriteErrors = new LongAdder();
    private volatile Instant lastCycle;
    private volatile Disposable ticking;

    /** Per-detector counters. */
    private static final class Counters {
        final LongAdder runs = new LongAdder();
        final LongAdder findings = new LongAdder();
        final LongAdder alarms = new LongAdder();
        final LongAdder quiet = new LongAdder();
        final LongAdder capped = new LongAdder();
        final LongAdder actions = new LongAdder();
        final LongAdder actionErrors = new LongAdder();
        final LongAdder errors = new LongAdder();
        volatile String lastError = "";
    }

    /** One detector's result in one run, before deciding. */
    private record Result(Detector detector, List<Finding> findings, String error) {
    }

    /**
     * @param clickhouse the ClickHouse client, once storage is up (V009 applied: the chaddr detector reads
     *                   {@code l2_source})
     * @param actions    the Action Manager (only used by detectors with an action)
     * @param config     {@code automation.detectors.*}
     * @param time       the clock (windows, quiet times, alarm times)
     * @param scheduler  where the runs are scheduled (the daemon's housekeeping scheduler; virtual time in tests)
     */
    public DetectorService(Deferred<ClickHouseClient> clickhouse, Deferred<ActionManager> actions,
                           DetectorConfig config, Time time, Scheduler scheduler) {
        this(clickhouse, actions, config, time, scheduler, Schedulers.boundedElastic());
    }

    /** @param worker where findings are decided and actions applied (blocking: the kernel and the action log) */
    public DetectorService(Deferred<ClickHouseClient> clickhouse, Deferred<ActionManager> actions,
                           DetectorConfig config, Time time, Scheduler scheduler, Scheduler worker) {
        this.clickhouse = Objects.requireNonNull(clickhouse, "clickhouse");
        this.actions = Objects.requireNonNull(actions, "actions");
        this.config = Objects.requireNonNull(config, "config");
        this.time = Objects.requireNonNull(time, "time");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.worker = Objects.requireNonNull(worker, "worker");
        List<Detector> all = new ArrayList<>();
        add(all, new FingerprintChangeDetector(config.fingerprintChange()), config.fingerprintChange().settings());
        add(all, new ChaddrMismatchDetector(), config.chaddrMismatch());
        add(all, new MacCircuitsDetector(config.macCircuits().minCircuits()), config.macCircuits().settings());
        add(all, new MarkCollisionDetector(), config.markCollision());
        this.detectors = List.copyOf(all);
    }

    private void add(List<Detector> all, Detector d, DetectorConfig.Settings s) {
        settings.put(d.name(), s);
        counters.put(d.name(), new Counters());
        if (s.enabled()) {
            all.add(d);
        }
    }

    @Override
    public String name() {
        return "detectors";
    }

    @Override
    public void start() {
        if (!config.enabled()) {
            log.info("detectors are disabled (automation.detectors.enabled: false)");
            return;
        }
        ticking = Flux.interval(config.interval(), config.interval(), scheduler)
                .onBackpressureDrop(t -> log.warn("detectors: a run is still going, tick skipped"))
                .concatMap(t -> clickhouse.isReady() ? run().doOnSuccess(a -> cycles.increment())
                        .onErrorResume(e -> {
                            log.warn("detectors: run failed (retried at the next tick): {}", e.toString());
                            return Mono.empty();
                        }) : Mono.empty(), 1)
                .subscribe();
    }

    @Override
    public void stop() {
        Disposable t = ticking;
        if (t != null) {
            t.dispose();
        }
        alarmSink.tryEmitComplete();
    }

    // ---------------------------------------------------------------- the lead's methods

    /**
     * Runs every enabled detector now (whether scheduled runs are on or not), with the quiet times as on schedule;
     * returns the alarms raised. {@link io.dhcpshield.core.service.NotReadyException} until ClickHouse is there.
     */
    public Mono<List<AlarmEvent>> runNow() {
        return Mono.defer(() -> {
            clickhouse.require();
            return run();
        });
    }

    /** The newest alarms raised since start, newest first, at most {@code limit} (1..{@value #RECENT}). */
    public List<AlarmEvent> recent(int limit) {
        if (limit < 1 || limit > RECENT) {
            throw new IllegalArgumentException("limit must be 1.." + RECENT + ", was " + limit);
        }
        synchronized (recent) {
            return recent.stream().limit(limit).toList();
        }
    }

    /** Every alarm as it is raised (hot; a slow subscriber misses alarms). */
    public Flux<AlarmEvent> alarms() {
        return alarmSink.asFlux();
    }

    /** Completed scheduled runs (tests wait on it). */
    public long cycles() {
        return cycles.sum();
    }

    public DetectorConfig config() {
        return config;
    }

    // ---------------------------------------------------------------- a run

    private Mono<List<AlarmEvent>> run() {
        return Mono.defer(() -> {
            ClickHouseClient ch = clickhouse.require();
            Instant to = time.now().truncatedTo(ChronoUnit.SECONDS);
            Instant from = to.minus(config.window());
            return Flux.fromIterable(detectors)
                    .concatMap(d -> d.find(ch, from, to)
                            .map(f -> new Result(d, f, ""))
                            .onErrorResume(e -> {
                                log.warn("detector {} failed (retried at the next run): {}", d.name(), e.toString());
                                return Mono.just(new Result(d, List.of(), error(e)));
                            }))
                    .collectList()
                    .publishOn(worker)
                    .map(results -> decide(results, to))
                    .flatMap(raised -> Flux.fromIterable(raised)
                            .concatMap(a -> write(ch, a))
                            .then(Mono.just(raised)))
                    .doOnSuccess(r -> lastCycle = to);
        });
    }

    private List<AlarmEvent> decide(List<Result> results, Instant now) {
        synchronized (deciding) {
            quietUntil.values().removeIf(until -> !until.isAfter(now));
            List<AlarmEvent> raised = new ArrayList<>();
            for (Result r : results) {
                String name = r.detector.name();
                Counters c = counters.get(name);
                DetectorConfig.Settings s = settings.get(name);
                c.runs.increment();
                if (!r.error.isEmpty()) {
                    c.errors.increment();
                    c.lastError = r.error;
                    continue;
                }
                c.lastError = "";
                c.findings.add(r.findings.size());
                int alarmed = 0;
                for (Finding f : r.findings) {
                    String key = name + "\u0000" + f.quietKey();
                    Instant until = quietUntil.get(key);
                    if (until != null && until.isAfter(now)) {
                        c.quiet.increment();
                        continue;
                    }
                    if (alarmed >= config.maxAlarmsPerRun()) {
                        c.capped.increment();
                        continue;
                    }
                    alarmed++;
                    if (!s.quiet().isZero()) {
                        quietUntil.put(key, now.plus(s.quiet()));
                    }
                    Map<String, String> ctx = new LinkedHashMap<>(f.context());
                    if (s.action() != null && f.target() != null) {
                        act(name, s, f, ctx, c);
                    }
                    AlarmEvent a = new AlarmEvent(UUID.randomUUID().toString(), time.now(), "detector:" + name, name,
                            s.severity(), f.subject(), f.message(), ctx);
                    c.alarms.increment();
                    raised.add(a);
                    synchronized (recent) {
                        recent.addFirst(a);
                        while (recent.size() > RECENT) {
                            recent.removeLast();
                        }
                    }
                    alarmSink.tryEmitNext(a);
                }
            }
            return raised;
        }
    }

    private void act(String name, DetectorConfig.Settings s, Finding f, Map<String, String> ctx, Counters c) {
        ctx.put("action", s.action().label());
        ActionManager manager = actions.now().orElse(null);
        if (manager == null) {
            ctx.put("action_result", "not taken: " + actions.name() + " not ready (" + actions.reason() + ")");
            c.actionErrors.increment();
            return;
        }
        try {
            ActionOutcome o = manager.apply(s.action(), List.of(ActionTarget.mac(f.target())),
                    Actor.rule("detector:" + name), "detector " + name + ": " + f.message(), s.actionDuration());
            if (o.ok()) {
                c.actions.increment();
                ctx.put("action_result", "applied");
                if (!o.records().isEmpty()) {
                    ctx.put("action_id", o.records().get(0).id().toString());
                }
            } else {
                c.actionErrors.increment();
                ctx.put("action_result", "failed: " + o.error());
            }
        } catch (RuntimeException e) {
            c.actionErrors.increment();
            ctx.put("action_result", "failed: " + e.getMessage());
        }
    }

    /** One alarm into the {@code alarms} table; a failure is logged and counted, the alarm is still raised. */
    private Mono<Void> write(ClickHouseClient ch, AlarmEvent a) {
        return ch.execute(Queries.bind("detectors.alarm_insert", a.time(), a.id(), a.severity(), a.kind(),
                        a.subject(), a.message()))
                .onErrorResume(e -> {
                    alarmWriteErrors.increment();
                    log.warn("detectors: writing alarm {} ({}) failed: {}", a.id(), a.kind(), e.toString());
                    return Mono.empty();
                });
    }

    private static String error(Throwable e) {
        String m = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
        return m.length() > 2000 ? m.substring(0, 2000) + "..." : m;
    }

    // ---------------------------------------------------------------- reports

    @Override
    public Readiness readiness() {
        if (!config.enabled()) {
            return Readiness.up().with("enabled", false);
        }
        if (!clickhouse.isReady()) {
            return Readiness.notReady("waiting for " + clickhouse.name() + ": " + clickhouse.reason());
        }
        Map<String, String> failing = new TreeMap<>();
        counters.forEach((n, c) -> {
            if (!c.lastError.isEmpty()) {
                failing.put(n, c.lastError);
            }
        });
        Readiness r = Readiness.up().with("enabled", true)
                .with("detectors", detectors.stream().map(Detector::name).toList())
                .with("interval", config.interval().toString()).with("window", config.window().toString())
                .with("cycles", cycles.sum());
        if (lastCycle != null) {
            r = r.with("last_run", lastCycle.toString());
        }
        if (!failing.isEmpty()) {
            r = r.with("failing_detectors", failing);
        }
        return r;
    }

    @Override
    public void metrics(MetricWriter out) {
        out.gauge("detectors_enabled", "1 when automation.detectors.enabled is true", config.enabled() ? 1 : 0);
        out.counter("detectors_cycles", "scheduled detector runs completed", cycles.sum());
        out.counter("detectors_alarm_write_errors", "alarms that could not be written to the alarms table",
                alarmWriteErrors.sum());
        counters.forEach((n, c) -> {
            out.counter("detector_runs", "runs of a detector", c.runs.sum(), "detector", n);
            out.counter("detector_findings", "findings of a detector (before quiet times)", c.findings.sum(),
                    "detector", n);
            out.counter("detector_alarms", "alarms a detector raised", c.alarms.sum(), "detector", n);
            out.counter("detector_quiet", "findings held back by the quiet time of a subject that alarmed",
                    c.quiet.sum(), "detector", n);
            out.counter("detector_capped", "findings over max_alarms_per_run", c.capped.sum(), "detector", n);
            out.counter("detector_actions", "actions a detector applied", c.actions.sum(), "detector", n);
            out.counter("detector_action_errors", "actions a detector could not apply", c.actionErrors.sum(),
                    "detector", n);
            out.counter("detector_errors", "failed runs of a detector", c.errors.sum(), "detector", n);
        });
    }
}
