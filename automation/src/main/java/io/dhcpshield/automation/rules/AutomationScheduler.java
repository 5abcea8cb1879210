package io.dhcpshield.automation.rules;

import io.dhcpshield.core.metrics.MetricWriter;
import io.dhcpshield.core.service.Deferred;
import io.dhcpshield.core.service.Readiness;
import io.dhcpshield.core.service.Service;
import io.dhcpshield.core.time.Time;
import io.dhcpshield.enforcement.action.ActionManager;
import io.dhcpshield.enforcement.action.ActionOutcome;
import io.dhcpshield.enforcement.action.ActionRecord;
import io.dhcpshield.enforcement.action.ActionTarget;
import io.dhcpshield.enforcement.action.Actor;
import io.dhcpshield.storage.ClickHouseClient;
import io.dhcpshield.storage.OperationalConfig;
import io.dhcpshield.storage.OperationalKeys;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * The automation rules engine as a daemon service ({@code automation}): every tick (a minute) it runs the rules that
 * are due against ClickHouse, resolves each hit to clients, lets the highest-priority rule have a client hit by
 * several, skips (rule, key) pairs within their suppression time, and applies each tier's action through the Action
 * Manager with the rule as the actor. It runs only while {@code automation.enabled} (YAML, given here) and
 * {@code operational.automation.active} (database, read each tick). A failing rule (a broken query, ClickHouse down)
 * is recorded and retried at the next tick; it never stops the others. Every run, scheduled, manual or dry, is
 * recorded in {@code automation_runs}.
 *
 * <p>The ClickHouse client, the Action Manager and the operational config arrive late, as {@link Deferred}s; the
 * methods the API calls throw {@link io.dhcpshield.core.service.NotReadyException} (503) until what they need is
 * there. Rule changes go through {@link RuleStore} (validated, versioned, audited with the actor).
 */
public final class AutomationScheduler implements Service {

    private static final Logger log = LoggerFactory.getLogger(AutomationScheduler.class);
    /** How often due rules are looked for. */
    public static final Duration TICK = Duration.ofMinutes(1);

    private final boolean enabled;
    private final Deferred<ClickHouseClient> clickhouse;
    private final Deferred<ActionManager> actions;
    private final Deferred<OperationalConfig> operational;
    private final Time time;
    private final Scheduler scheduler;
    private final Scheduler worker;
    private final Duration tick;

    private volatile RuleStore store;
    private Mono<Integer> seedTask;
    private final Object acting = new Object();
    private final Map<String, Instant> lastRun = new ConcurrentHashMap<>();
    private final Map<String, Fired> fired = new ConcurrentHashMap<>();
    private final Map<String, RuleCounters> counters = new ConcurrentHashMap<>();
    private final LongAdder cycles = new LongAdder();
    private final LongAdder cyclesFailed = new LongAdder();
    private final LongAdder dryRuns = new LongAdder();
    private final Sinks.Many<HitOutcome> firedHits = Sinks.many().multicast().directBestEffort();
    private volatile int rulesLoaded;
    private volatile Instant lastCycle;
    private volatile String lastCycleError = "";
    private volatile Disposable ticking;
    private volatile Disposable seeding;

    /** The (rule, key) a hit fired for last: when and at which tier. */
    private record Fired(Instant at, int tier) {
    }

    /** Per-rule counters (scheduled and manual runs; dry runs are counted apart). */
    private static final class RuleCounters {
        final LongAdder runs = new LongAdder();
        final LongAdder matched = new LongAdder();
        final LongAdder acted = new LongAdder();
        final LongAdder suppressed = new LongAdder();
        final LongAdder superseded = new LongAdder();
        final LongAdder errors = new LongAdder();
        volatile String lastError = "";
    }

    /** One rule's query result in a cycle, before anything is applied. */
    private record Evaluated(Rule rule, RuleSql.Window window, List<RuleHit> hits, String error, long durationMs) {
    }

    /**
     * @param enabled     YAML {@code automation.enabled}: when false the service starts, reports itself disabled and
     *                    never runs a rule on its own (dry runs and rule edits still work)
     * @param clickhouse  the ClickHouse client, once storage is up (schema migrated)
     * @param actions     the Action Manager
     * @param operational operational config ({@code operational.automation.active})
     * @param time        the clock (windows, suppression, run times)
     * @param scheduler   where the tick runs (the daemon's housekeeping scheduler; a VirtualTimeScheduler in tests)
     */
    public AutomationScheduler(boolean enabled, Deferred<ClickHouseClient> clickhouse, Deferred<ActionManager> actions,
                               Deferred<OperationalConfig> operational, Time time, Scheduler scheduler) {
        this(enabled, clickhouse, actions, operational, time, scheduler, TICK, Schedulers.boundedElastic());
    }

    /**
     * @param tick   how often due rules are looked for
     * @param worker where actions are applied (blocking: the kernel and the action log)
     */
    public AutomationScheduler(boolean enabled, Deferred<ClickHouseClient> clickhouse, Deferred<ActionManager> actions,
                               Deferred<OperationalConfig> operational, Time time, Scheduler scheduler, Duration tick,
                               Scheduler worker) {
        this.enabled = enabled;
        this.clickhouse = Objects.requireNonNull(clickhouse, "clickhouse");
        this.actions = Objects.requireNonNull(actions, "actions");
        this.operational = Objects.requireNonNull(operational, "operational");
        this.time = Objects.requireNonNull(time, "time");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.tick = Objects.requireNonNull(tick, "tick");
        this.worker = Objects.requireNonNull(worker, "worker");
        if (tick.isNegative() || tick.isZero()) throw new IllegalArgumentException("tick must be positive");
    }

    @Override
    public String name() {
        return "automation";
    }

    @Override
    public void start() {
        if (!enabled) {
            log.info("automation is disabled in config.yaml (automation.enabled: false): no rule runs on its own");
            return;
        }
        seeding = clickhouse.await().flatMap(c -> seed()).subscribe();
        ticking = Flux.interval(tick, tick, scheduler)
                .onBackpressureDrop(t -> log.warn("automation: a cycle is still running, tick skipped"))
                .concatMap(t -> cycle().onErrorResume(e -> {
                    cyclesFailed.increment();
                    lastCycleError = String.valueOf(e.getMessage());
                    log.warn("automation cycle failed (retried at the next tick): {}", e.toString());
                    return Mono.empty();
                }), 1)
                .subscribe();
    }

    @Override
    public void stop() {
        Disposable t = ticking;
        if (t != null) t.dispose();
        Disposable s = seeding;
        if (s != null) s.dispose();
        firedHits.tryEmitComplete();
    }

    // ---------------------------------------------------------------- the API's methods

    /** Every rule, by id. */
    public Mono<List<StoredRule>> rules() {
        return Mono.defer(() -> store().list());
    }

    /** The rule, or empty. */
    public Mono<StoredRule> rule(String id) {
        return Mono.defer(() -> store().get(id));
    }

    /** Stores a new rule (validated: {@link RuleValidationException}; id taken: {@link RuleExistsException}). */
    public Mono<StoredRule> create(Rule rule, String actor) {
        return Mono.defer(() -> store().create(rule, actor));
    }

    /** {@link #create(Rule, String)} from the rule's JSON. */
    public Mono<StoredRule> create(String json, String actor) {
        return Mono.defer(() -> store().create(RuleJson.parse(json), actor));
    }

    /** Replaces rule {@code id} ({@link RuleNotFoundException} when there is none). */
    public Mono<StoredRule> update(String id, Rule rule, String actor) {
        return Mono.defer(() -> store().update(id, rule, actor));
    }

    /** {@link #update(String, Rule, String)} from the rule's JSON. */
    public Mono<StoredRule> update(String id, String json, String actor) {
        return Mono.defer(() -> store().update(id, RuleJson.parse(json), actor));
    }

    /** Turns a rule on or off. */
    public Mono<StoredRule> enable(String id, boolean on, String actor) {
        return Mono.defer(() -> store().setEnabled(id, on, actor));
    }

    /** Deletes a rule (a tombstone; the seed never brings it back). */
    public Mono<Void> delete(String id, String actor) {
        return Mono.defer(() -> store().delete(id, actor)).doOnSuccess(v -> {
            lastRun.remove(id);
            fired.keySet().removeIf(k -> k.startsWith(id + "\u0000"));
        });
    }

    /**
     * Runs {@code rule} now without acting: the hits it would have, each with its clients and their numbers, the
     * tier and action, and whether suppression would hold it back. Recorded as a {@code dry_run} run. Needs only
     * ClickHouse.
     */
    public Mono<RunReport> dryRun(Rule rule) {
        return Mono.defer(() -> {
            Rule r = rule.validated();
            ClickHouseClient ch = clickhouse.require();
            return run(ch, List.of(r), Trigger.DRY_RUN, time.now(), null).map(l -> l.get(0));
        });
    }

    /** {@link #dryRun(Rule)} of a rule's JSON (an unsaved edit: the GUI's preview). */
    public Mono<RunReport> dryRun(String json) {
        return Mono.defer(() -> dryRun(RuleJson.parse(json)));
    }

    /** {@link #dryRun(Rule)} of the stored rule {@code id}. */
    public Mono<RunReport> dryRunStored(String id) {
        return Mono.defer(() -> store().get(id)).switchIfEmpty(Mono.error(() -> new RuleNotFoundException(id)))
                .flatMap(s -> dryRun(s.rule()));
    }

    /**
     * Runs rule {@code id} now and acts (enabled or not, active or not: an operator asked), with suppression as on
     * schedule; audited as {@code automation.rule.run} with {@code actor}. Needs {@code automation.enabled}.
     */
    public Mono<RunReport> runNow(String id, String actor) {
        return Mono.defer(() -> {
            Objects.requireNonNull(actor, "actor");
            if (!enabled) {
                return Mono.error(new IllegalStateException("automation is disabled in config.yaml"
                        + " (automation.enabled: false)"));
            }
            ClickHouseClient ch = clickhouse.require();
            actions.require();
            RuleStore st = store();
            return st.get(id).switchIfEmpty(Mono.error(() -> new RuleNotFoundException(id)))
                    .flatMap(s -> run(ch, List.of(s.rule()), Trigger.MANUAL, time.now(), actor))
                    .map(l -> l.get(0))
                    .flatMap(rep -> st.audited(actor, "automation.rule.run", id, "{\"matched\":" + rep.run().matched()
                            + ",\"acted\":" + rep.run().acted() + "}").thenReturn(rep));
        });
    }

    /** Runs of rule {@code ruleId} (null: every rule) in {@code [from, to)}, newest first, at most {@code limit}. */
    public Flux<RunRecord> runs(String ruleId, Instant from, Instant to, int limit) {
        return Flux.defer(() -> RunLog.read(clickhouse.require(), ruleId, from, to, limit));
    }

    /**
     * Every hit that fired (acted or alarmed; not suppressed, not dry), as it fires: the alarms engine subscribes
     * here for alarm-only rules. Hot; a slow subscriber misses hits.
     */
    public Flux<HitOutcome> fired() {
        return firedHits.asFlux();
    }

    /** Completed scheduled cycles (tests wait on it). */
    public long cycles() {
        return cycles.sum();
    }

    // ---------------------------------------------------------------- the cycle

    /** One tick: the rules that are due, if automation runs now. */
    Mono<Void> cycle() {
        return Mono.defer(() -> {
            if (!clickhouse.isReady() || !actions.isReady() || !operational.isReady()) return Mono.empty();
            if (!operational.require().get(OperationalKeys.AUTOMATION_ACTIVE)) return Mono.empty();
            Instant now = time.now();
            ClickHouseClient ch = clickhouse.require();
            RuleStore st = store();
            return seed().then(st.list()).flatMap(all -> {
                rulesLoaded = all.size();
                List<Rule> due = all.stream().map(StoredRule::rule).filter(Rule::enabled).filter(r -> due(r, now))
                        .toList();
                return due.isEmpty() ? Mono.just(List.<RunReport>of()) : run(ch, due, Trigger.SCHEDULE, now, null);
            }).doOnSuccess(r -> {
                lastCycle = now;
                lastCycleError = "";
                evictFired(now);
                cycles.increment();
            }).then();
        });
    }

    private boolean due(Rule r, Instant now) {
        Instant last = lastRun.get(r.id());
        // Half a tick of slack: a real tick a few milliseconds early still finds a 5-minute rule due.
        return last == null || !now.isBefore(last.plus(Duration.ofMinutes(r.everyMinutes())).minus(tick.dividedBy(2)));
    }

    /** Seeds once: one shared attempt (the start and the first tick must not race), a new one after a failure. */
    private Mono<Integer> seed() {
        Mono<Integer> task;
        synchronized (this) {
            if (seedTask == null) {
                seedTask = Mono.defer(() -> store().seedIfEmpty()).doOnError(e -> {
                    synchronized (this) {
                        seedTask = null;
                    }
                }).cache();
            }
            task = seedTask;
        }
        return task.onErrorResume(e -> {
            log.warn("automation: seeding the rules failed (retried at the next tick): {}", e.toString());
            return Mono.just(0);
        });
    }

    /** Queries every rule (one at a time), then decides and acts on the worker, then records each run. */
    private Mono<List<RunReport>> run(ClickHouseClient ch, List<Rule> rules, Trigger trigger, Instant now,
                                      String operator) {
        return Flux.fromIterable(rules)
                .concatMap(r -> {
                    long t0 = time.nanoseconds();
                    RuleSql.Window w = RuleSql.window(r, now);
                    return RuleEvaluator.evaluate(ch, r, w)
                            .map(h -> new Evaluated(r, w, h, "", (time.nanoseconds() - t0) / 1_000_000))
                            .onErrorResume(e -> {
                                log.warn("automation rule {} failed (retried at the next cycle): {}", r.id(),
                                        e.toString());
                                return Mono.just(new Evaluated(r, w, List.of(), error(e),
                                        (time.nanoseconds() - t0) / 1_000_000));
                            });
                })
                .collectList()
                .publishOn(worker)
                .map(evals -> decide(evals, trigger, now, operator))
                .flatMap(reports -> Flux.fromIterable(reports)
                        .concatMap(rep -> RunLog.write(ch, rep.run()).onErrorResume(e -> {
                            log.warn("automation: recording the run of {} failed: {}", rep.run().ruleId(), e.toString());
                            return Mono.empty();
                        }))
                        .then(Mono.just(reports)));
    }

    private List<RunReport> decide(List<Evaluated> evals, Trigger trigger, Instant now, String operator) {
        synchronized (acting) {
            List<PriorityResolution.Entry> entries = new ArrayList<>();
            for (Evaluated e : evals) if (e.error.isEmpty()) entries.add(new PriorityResolution.Entry(e.rule, e.hits));
            PriorityResolution.Result resolved = PriorityResolution.resolve(entries);
            List<RunReport> reports = new ArrayList<>();
            for (Evaluated e : evals) {
                Rule rule = e.rule;
                if (!e.error.isEmpty()) {
                    RunRecord rec = new RunRecord(now, rule.id(), rule.name(), trigger, e.durationMs, 0, 0, 0, 0, e.error);
                    count(rec);
                    reports.add(new RunReport(rec, e.window, List.of()));
                    continue;
                }
                List<RuleHit> kept = resolved.kept().get(rule.id());
                int acted = 0;
                int suppressed = 0;
                List<String> errors = new ArrayList<>();
                List<HitOutcome> outcomes = new ArrayList<>();
                for (int i = 0; i < kept.size(); i++) {
                    RuleHit hit = kept.get(i);
                    boolean acts = hit.threshold().outcome().acts();
                    boolean held = suppressed(rule, hit, now);
                    if (trigger == Trigger.DRY_RUN) {
                        outcomes.add(new HitOutcome(hit, hit.clients(), held ? HitOutcome.Status.WOULD_BE_SUPPRESSED
                                : acts ? HitOutcome.Status.WOULD_ACT : HitOutcome.Status.WOULD_ALARM, reason(rule, hit,
                                null)));
                        continue;
                    }
                    if (held) {
                        suppressed++;
                        outcomes.add(new HitOutcome(hit, hit.clients(), HitOutcome.Status.SUPPRESSED, ""));
                        continue;
                    }
                    String reason = reason(rule, hit, operator);
                    if (acts && hit.clients().isEmpty()) {
                        boolean lost = !e.hits.get(i).clients().isEmpty();
                        outcomes.add(new HitOutcome(hit, List.of(), lost ? HitOutcome.Status.SUPERSEDED
                                : HitOutcome.Status.ALARMED, lost ? "every client went to a higher-priority rule"
                                : "no client seen under the key to act on"));
                        if (!lost) fire(rule, hit, now, outcomes);
                        continue;
                    }
                    if (!acts) {
                        outcomes.add(new HitOutcome(hit, List.of(), HitOutcome.Status.ALARMED, reason));
                        fire(rule, hit, now, outcomes);
                        continue;
                    }
                    try {
                        Integer minutes = hit.threshold().durationMinutes();
                        List<ActionTarget> targets = hit.clients().stream().map(HitClient::target).toList();
                        ActionOutcome o = actions.require().apply(hit.threshold().outcome().action().orElseThrow(),
                                targets, Actor.rule(rule.id()), reason, minutes == null ? null
                                        : Duration.ofMinutes(minutes));
                        if (o.ok()) {
                            acted += (int) o.records().stream()
                                    .filter(x -> x.state() != ActionRecord.State.FAILED).count();
                            outcomes.add(new HitOutcome(hit, hit.clients(), HitOutcome.Status.ACTED, reason));
                            fire(rule, hit, now, outcomes);
                        } else {
                            errors.add(hit.keyText() + ": " + o.error());
                            outcomes.add(new HitOutcome(hit, hit.clients(), HitOutcome.Status.FAILED, o.error()));
                        }
                    } catch (RuntimeException ex) {
                        errors.add(hit.keyText() + ": " + ex.getMessage());
                        outcomes.add(new HitOutcome(hit, hit.clients(), HitOutcome.Status.FAILED, String.valueOf(
                                ex.getMessage())));
                    }
                }
                String error = errors.isEmpty() ? "" : "actions failed: " + String.join("; ", errors);
                RunRecord rec = new RunRecord(now, rule.id(), rule.name(), trigger, e.durationMs, e.hits.size(),
                        acted, suppressed, resolved.superseded(rule.id()), truncate(error));
                count(rec);
                if (trigger == Trigger.SCHEDULE) lastRun.put(rule.id(), now);
                if (!rec.failed() || acted > 0) {
                    log.debug("automation rule {}: {} matched, {} acted, {} suppressed, {} superseded", rule.id(),
                            rec.matched(), acted, suppressed, rec.superseded());
                }
                reports.add(new RunReport(rec, e.window, outcomes));
            }
            return reports;
        }
    }

    private boolean suppressed(Rule rule, RuleHit hit, Instant now) {
        Fired f = fired.get(suppressionKey(rule, hit));
        return f != null && rule.suppressMinutes() > 0 && hit.tier() <= f.tier
                && now.isBefore(f.at.plus(Duration.ofMinutes(rule.suppressMinutes())));
    }

    private void fire(Rule rule, RuleHit hit, Instant now, List<HitOutcome> outcomes) {
        fired.put(suppressionKey(rule, hit), new Fired(now, hit.tier()));
        firedHits.tryEmitNext(outcomes.get(outcomes.size() - 1));
    }

    private static String suppressionKey(Rule rule, RuleHit hit) {
        return rule.id() + "\u0000" + hit.keyText();
    }

    private void evictFired(Instant now) {
        Instant horizon = now.minus(Duration.ofMinutes(Rule.MAX_WINDOW_MINUTES));
        fired.values().removeIf(f -> f.at.isBefore(horizon));
    }

    private void count(RunRecord r) {
        if (r.trigger() == Trigger.DRY_RUN) {
            dryRuns.increment();
            return;
        }
        RuleCounters c = counters.computeIfAbsent(r.ruleId(), k -> new RuleCounters());
        c.runs.increment();
        c.matched.add(r.matched());
        c.acted.add(r.acted());
        c.suppressed.add(r.suppressed());
        c.superseded.add(r.superseded());
        if (r.failed()) {
            c.errors.increment();
            c.lastError = r.error();
        } else {
            c.lastError = "";
        }
    }

    /** The reason an action carries: the rule, the key, the metric and its value, the tier. */
    private static String reason(Rule rule, RuleHit hit, String operator) {
        return "rule " + rule.id() + " (" + rule.name() + "): " + hit.keyText() + " " + rule.metric().label() + " "
                + RuleJson.number(Math.round(hit.value() * 100) / 100.0) + " >= "
                + RuleJson.number(hit.threshold().value()) + " in " + rule.windowMinutes() + " min (tier "
                + (hit.tier() + 1) + " of " + rule.thresholds().size() + ")"
                + (operator == null ? "" : ", run now by " + operator);
    }

    private static String error(Throwable e) {
        String m = e.getMessage();
        return truncate(e.getClass().getSimpleName() + (m == null ? "" : ": " + m));
    }

    private static String truncate(String s) {
        return s.length() > 2000 ? s.substring(0, 2000) + "..." : s;
    }

    private RuleStore store() {
        RuleStore s = store;
        if (s == null) {
            synchronized (this) {
                if (store == null) store = new RuleStore(clickhouse.require(), time);
                s = store;
            }
        }
        return s;
    }

    // ---------------------------------------------------------------- reports

    @Override
    public Readiness readiness() {
        if (!enabled) return Readiness.up().with("enabled", false);
        for (Deferred<?> d : List.of(clickhouse, actions, operational)) {
            if (!d.isReady()) return Readiness.notReady("waiting for " + d.name() + ": " + d.reason());
        }
        boolean active = operational.require().get(OperationalKeys.AUTOMATION_ACTIVE);
        Map<String, String> failing = new TreeMap<>();
        counters.forEach((id, c) -> {
            if (!c.lastError.isEmpty()) failing.put(id, c.lastError);
        });
        Readiness r = Readiness.up().with("enabled", true).with("active", active).with("rules", rulesLoaded)
                .with("cycles", cycles.sum());
        if (lastCycle != null) r = r.with("last_cycle", lastCycle.toString());
        if (!lastCycleError.isEmpty()) r = r.with("last_cycle_error", lastCycleError);
        if (!failing.isEmpty()) r = r.with("failing_rules", failing);
        return r;
    }

    @Override
    public void metrics(MetricWriter out) {
        out.gauge("automation_enabled", "1 when automation.enabled is true in config.yaml", enabled ? 1 : 0);
        out.gauge("automation_active", "1 while operational.automation.active is true and automation runs",
                enabled && operational.now().map(c -> c.get(OperationalKeys.AUTOMATION_ACTIVE)).orElse(false) ? 1 : 0);
        out.gauge("automation_rules", "automation rules loaded at the last cycle", rulesLoaded);
        out.counter("automation_cycles", "automation cycles completed", cycles.sum());
        out.counter("automation_cycles_failed", "automation cycles that failed as a whole (rules could not be read)",
                cyclesFailed.sum());
        out.counter("automation_dry_runs", "dry runs of automation rules", dryRuns.sum());
        new TreeMap<>(counters).forEach((id, c) -> {
            out.counter("automation_runs", "runs of a rule (scheduled and manual)", c.runs.sum(), "rule", id);
            out.counter("automation_matched", "groups at or above a rule's lowest threshold", c.matched.sum(), "rule", id);
            out.counter("automation_acted", "clients a rule applied an action to", c.acted.sum(), "rule", id);
            out.counter("automation_suppressed", "hits held back by a rule's suppression time", c.suppressed.sum(),
                    "rule", id);
            out.counter("automation_superseded", "clients left to a higher-priority rule", c.superseded.sum(),
                    "rule", id);
            out.counter("automation_errors", "failed runs of a rule", c.errors.sum(), "rule", id);
        });
    }
}
