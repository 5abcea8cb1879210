package io.dhcpshield.alarms;

import io.dhcpshield.alarms.notify.BellSink;
import io.dhcpshield.alarms.notify.Dispatcher;
import io.dhcpshield.alarms.notify.Route;
import io.dhcpshield.alarms.notify.RouteStore;
import io.dhcpshield.alarms.rules.DhcpRules;
import io.dhcpshield.alarms.rules.HealthRules;
import io.dhcpshield.alarms.rules.Thresholds;
import io.dhcpshield.automation.AlarmEvent;
import io.dhcpshield.automation.rules.HitOutcome;
import io.dhcpshield.core.event.DhcpEvent;
import io.dhcpshield.core.event.EventFanout;
import io.dhcpshield.core.metrics.MetricSamples;
import io.dhcpshield.core.metrics.MetricWriter;
import io.dhcpshield.core.service.Deferred;
import io.dhcpshield.core.service.Readiness;
import io.dhcpshield.core.service.Service;
import io.dhcpshield.core.time.Time;
import io.dhcpshield.storage.ClickHouseClient;
import io.dhcpshield.storage.OperationalConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.util.retry.Retry;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * The alarms engine and notifications dispatcher as a daemon service ({@code alarms}). Every {@code interval} it
 * evaluates the DHCP rules over the events it counted and the health rules over one walk of every service's
 * metrics, reports what holds to the {@link AlarmEngine}, clears what has been gone for its hold time and writes the
 * transitions to ClickHouse. Detector alarms and automation rule hits are reported as they arrive. Every notified
 * change is routed by the {@link Dispatcher} to the sinks (the bell always; Vector when configured). With
 * {@code operational.alarms.active} false nothing new is raised (open alarms still clear).
 *
 * <p>ClickHouse and the operational config arrive late: until then the rules use the compiled thresholds, the
 * routes are the seed routes, and transitions wait in the history queue. Once ClickHouse is there, alarms that were
 * open before a restart are restored and the routes are read (seeded into a fresh table).
 */
public final class AlarmService implements Service {

    private static final Logger log = LoggerFactory.getLogger(AlarmService.class);

    /**
     * @param interval    how often the rules are evaluated (and the bucket width of the DHCP rules' window)
     * @param window      what the DHCP rules look back over (their thresholds are per minute, counts are scaled)
     * @param eventBuffer events the fan-out buffers for this subscriber (beyond that they are dropped, counted)
     * @param appliance   the name in every notification ({@code site_id})
     */
    public record Settings(boolean enabled, Duration interval, Duration window, int eventBuffer, String appliance) {
        public Settings {
            if (window.compareTo(interval) < 0) {
                throw new IllegalArgumentException("alarms.window_secs must be at least alarms.evaluate_interval_secs");
            }
            if (interval.isNegative() || interval.isZero()) {
                throw new IllegalArgumentException("alarms.evaluate_interval_seconds must be positive");
            }
        }
    }

    private final Settings settings;
    private final EventFanout<DhcpEvent> events;
    private final Supplier<MetricSamples> metrics;
    private final Deferred<ClickHouseClient> clickhouse;
    private final Deferred<OperationalConfig> operational;
    private final Flux<AlarmEvent> detectorAlarms;
    private final Flux<HitOutcome> ruleHits;
    private final Time time;
    private final Scheduler scheduler;
    private final AlarmEngine engine;
    private final AlarmHistory history;
    private final BellSink bell = new BellSink();
    private final Dispatcher dispatcher;
    private final DhcpRules dhcpRules;
    private final HealthRules healthRules = new HealthRules();
    private final Deferred<RouteStore> routeStore = new Deferred<>("notification routes", "waiting for ClickHouse");
    private volatile List<Route> routes;
    private final Disposable.Composite running = Disposables.composite();
    private final Map<String, LongAdder> signals = new ConcurrentHashMap<>();
    private final LongAdder evaluations = new LongAdder();
    private final LongAdder evaluationErrors = new LongAdder();
    private final LongAdder eventErrors = new LongAdder();
    private final LongAdder findingsIgnored = new LongAdder();
    private volatile Instant lastEvaluation;
    private volatile String lastError = "";
    private volatile int restored;

    public AlarmService(Settings settings, EventFanout<DhcpEvent> events, Supplier<MetricSamples> metrics,
                        Deferred<ClickHouseClient> clickhouse, Deferred<OperationalConfig> operational,
                        Flux<AlarmEvent> detectorAlarms, Flux<HitOutcome> ruleHits, List<NotificationSink> sinks,
                        Time time, Scheduler scheduler) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.events = Objects.requireNonNull(events, "events");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.clickhouse = Objects.requireNonNull(clickhouse, "clickhouse");
        this.operational = Objects.requireNonNull(operational, "operational");
        this.detectorAlarms = Objects.requireNonNull(detectorAlarms, "detectorAlarms");
        this.ruleHits = Objects.requireNonNull(ruleHits, "ruleHits");
        this.time = Objects.requireNonNull(time, "time");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.engine = new AlarmEngine(time);
        this.history = new AlarmHistory(() -> clickhouse.now().orElse(null));
        List<NotificationSink> all = new ArrayList<>();
        all.add(bell);
        all.addAll(sinks);
        java.util.Set<String> names = new java.util.LinkedHashSet<>();
        all.forEach(s -> names.add(s.name()));
        this.routes = RouteStore.seeds(names);
        // Read per notified change: only the two limits, not the whole threshold set (no allow-list parse).
        this.dispatcher = new Dispatcher(all, () -> routes, () -> operational.now()
                .map(c -> new Dispatcher.Limits(
                        Duration.ofSeconds(c.get(io.dhcpshield.storage.OperationalKeys.ALARMS_DEDUPE_SECONDS)),
                        c.get(io.dhcpshield.storage.OperationalKeys.ALARMS_NOTIFY_PER_MINUTE)))
                .orElseGet(() -> {
                    Thresholds d = Thresholds.defaults();
                    return new Dispatcher.Limits(d.dedupe(), d.notifyPerMinute());
                }), time);
        this.dhcpRules = new DhcpRules(settings.interval(), settings.window());
        engine.listen(history::record);
        engine.listen(dispatcher::dispatch);
    }

    @Override
    public String name() {
        return "alarms";
    }

    @Override
    public void start() {
        if (!settings.enabled()) {
            return;
        }
        dispatcher.sinks().values().forEach(NotificationSink::start);
        running.add(events.subscribe("alarms", settings.eventBuffer(), scheduler).subscribe(this::acceptEvent,
                e -> log.error("alarms: event subscription ended", e)));
        long ms = settings.interval().toMillis();
        running.add(scheduler.schedulePeriodically(this::evaluate, ms, ms, TimeUnit.MILLISECONDS));
        running.add(detectorAlarms.subscribe(this::detectorAlarm, e -> log.warn("alarms: detector feed ended", e)));
        running.add(ruleHits.subscribe(this::ruleHit, e -> log.warn("alarms: automation feed ended", e)));
        running.add(clickhouse.await().flatMap(this::connect)
                .retryWhen(Retry.backoff(Long.MAX_VALUE, Duration.ofSeconds(2)).maxBackoff(Duration.ofSeconds(30))
                        .doBeforeRetry(r -> log.warn("alarms: reading routes and open alarms failed, retrying: {}",
                                r.failure().toString())))
                .subscribe());
        log.info("alarms: evaluating every {} s; sinks {}", settings.interval().toSeconds(),
                dispatcher.sinks().keySet());
    }

    /** Reads the routes (seeding a fresh table) and restores the alarms open before a restart. */
    private Mono<Void> connect(ClickHouseClient ch) {
        RouteStore store = new RouteStore(ch, time, dispatcher.sinks().keySet());
        Instant now = time.now();
        return store.seedIfEmpty().then(store.list()).doOnNext(l -> {
            routes = List.copyOf(l);
            routeStore.complete(store);
        }).thenMany(history.latest(now.minus(Duration.ofDays(7)), now.plus(Duration.ofDays(1)), 5000))
                .filter(s -> s.alarm().open())
                .doOnNext(s -> {
                    engine.restore(s.alarm(), s.hold());
                    dispatcher.restored(s.alarm());
                    restored++;
                }).then(Mono.fromRunnable(() -> log.info("alarms: {} routes; {} open alarms restored",
                        routes.size(), restored)));
    }

    @Override
    public void stop() {
        running.dispose();
        try {
            history.flush().block(Duration.ofSeconds(5));
        } catch (RuntimeException e) {
            log.warn("alarms: last history flush failed: {}", e.toString());
        }
        history.close();
        dispatcher.sinks().values().forEach(NotificationSink::stop);
    }

    /** One evaluation: rules, expiry, history. Runs on the service's scheduler. */
    void evaluate() {
        try {
            Thresholds th = thresholds();
            List<Signal> found = new ArrayList<>(dhcpRules.evaluate(th));
            found.addAll(healthRules.evaluate(metrics.get(), th, time.now()));
            if (th.active()) {
                for (Signal s : found) {
                    signals.computeIfAbsent(s.kind(), k -> new LongAdder()).increment();
                    engine.report(s);
                }
            }
            engine.expire();
            evaluations.increment();
            lastEvaluation = time.now();
            lastError = "";
        } catch (RuntimeException e) {
            evaluationErrors.increment();
            lastError = e.toString();
            log.warn("alarms: evaluation failed", e);
        }
        history.flush().subscribe();
    }

    private void detectorAlarm(AlarmEvent e) {
        Thresholds th = thresholds();
        if (!th.active()) {
            findingsIgnored.increment();
            return;
        }
        Signal s = Findings.fromDetector(e, th.findingHold());
        signals.computeIfAbsent(s.kind(), k -> new LongAdder()).increment();
        engine.report(s);
    }

    private void ruleHit(HitOutcome o) {
        Thresholds th = thresholds();
        Signal s = Findings.fromRuleHit(o, time.now(), th.findingHold());
        if (s == null) {
            return;
        }
        if (!th.active()) {
            findingsIgnored.increment();
            return;
        }
        signals.computeIfAbsent(s.kind(), k -> new LongAdder()).increment();
        engine.report(s);
    }

    /** The thresholds in effect now (database &gt; YAML &gt; compiled). */
    public Thresholds thresholds() {
        return operational.now().map(Thresholds::of).orElseGet(Thresholds::defaults);
    }

    public AlarmEngine engine() {
        return engine;
    }

    public AlarmHistory history() {
        return history;
    }

    public Dispatcher dispatcher() {
        return dispatcher;
    }

    public BellSink bell() {
        return bell;
    }

    /** The routes in effect. */
    public List<Route> routes() {
        return routes;
    }

    /** The route store, once ClickHouse is there. */
    public Deferred<RouteStore> routeStore() {
        return routeStore;
    }

    /** Makes a change through the store take effect at once (the API calls it after each change). */
    public Mono<List<Route>> reloadRoutes() {
        return routeStore.require().list().doOnNext(l -> routes = List.copyOf(l));
    }

    @Override
    public Readiness readiness() {
        if (!settings.enabled()) {
            return Readiness.up().with("enabled", false);
        }
        Readiness r = lastError.isEmpty() ? Readiness.up() : Readiness.notReady("evaluation failing: " + lastError);
        return r.with("open", engine.openAlarms().size()).with("routes", routes.size())
                .with("history_pending", history.pending())
                .with("routes_from", routeStore.isReady() ? "clickhouse" : "seed (ClickHouse not ready)");
    }

    /** One event the rules cannot take is counted and skipped: an exception out of here would end the feed. */
    private void acceptEvent(DhcpEvent e) {
        try {
            dhcpRules.accept(e);
        } catch (RuntimeException ex) {
            eventErrors.increment();
            log.warn("alarms: an event could not be evaluated: {}", ex.toString());
        }
    }

    @Override
    public void metrics(MetricWriter out) {
        out.gauge("alarms_enabled", "1 when alarms.enabled is true", settings.enabled() ? 1 : 0);
        out.counter("alarms_event_errors", "events the DHCP rules could not take (skipped, counted)",
                eventErrors.sum());
        Map<Severity, Integer> open = new EnumMap<>(Severity.class);
        for (Severity s : Severity.values()) {
            open.put(s, 0);
        }
        engine.openAlarms().forEach(a -> open.merge(a.severity(), 1, Integer::sum));
        open.forEach((s, n) -> out.gauge("alarms_open", "open alarms (raised or acknowledged), by severity", n,
                "severity", s.label()));
        for (AlarmChange.Type t : AlarmChange.Type.values()) {
            out.counter("alarms_changes", "alarm changes, by type", engine.changes(t), "change", t.label());
        }
        new LinkedHashMap<>(signals).forEach((k, n) -> out.counter("alarm_signals", "conditions reported to the "
                + "engine, by rule", n.sum(), "kind", k));
        out.counter("alarm_evaluations", "rule evaluations completed", evaluations.sum());
        out.counter("alarm_evaluation_errors", "rule evaluations that failed", evaluationErrors.sum());
        out.counter("alarm_events_counted", "DHCP events the alarm rules counted", dhcpRules.accepted());
        out.counter("alarm_keys_overflow", "servers, relays or clients not tracked because a table was full",
                dhcpRules.overflow());
        out.counter("alarm_findings_ignored", "detector and rule findings ignored while alarms are not active",
                findingsIgnored.sum());
        out.counter("alarm_listener_errors", "engine listeners that failed on a change", engine.listenerErrors());
        history.metrics(out);
        dispatcher.metrics(out);
    }
}
