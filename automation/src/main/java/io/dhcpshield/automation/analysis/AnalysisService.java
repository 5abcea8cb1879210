package io.dhcpshield.automation.analysis;

import io.dhcpshield.automation.analysis.ChatCompletionsBackend.Failure;
import io.dhcpshield.automation.analysis.ChatCompletionsBackend.Reply;
import io.dhcpshield.automation.analysis.PromptStore.Prompt;
import io.dhcpshield.core.metrics.MetricWriter;
import io.dhcpshield.core.service.Deferred;
import io.dhcpshield.core.service.NotReadyException;
import io.dhcpshield.core.service.Readiness;
import io.dhcpshield.core.service.Service;
import io.dhcpshield.core.time.Time;
import io.dhcpshield.enforcement.action.ActionManager;
import io.dhcpshield.enforcement.action.ActionOutcome;
import io.dhcpshield.enforcement.action.ActionRecord;
import io.dhcpshield.enforcement.action.ActionTarget;
import io.dhcpshield.enforcement.action.Actor;
import io.dhcpshield.storage.AuditEntry;
import io.dhcpshield.storage.AuditLog;
import io.dhcpshield.storage.ClickHouseClient;
import io.dhcpshield.storage.Client;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * The analysis queue (seed 000's LLM path): devices queued by the {@code analyze} action (drained from the Action
 * Manager's {@link ActionManager#analysisQueue()}) or by an operator ({@link #enqueue}) are summarised from
 * ClickHouse, the operator's prompt is rendered around the summary, and the optional OpenAI-compatible backend
 * recommends one of block, deny, throttle, monitor, allow. A valid recommendation is applied through the Action
 * Manager with the analysis as the actor, or held for an operator ({@link #approve}, {@link #reject}); anything else
 * is {@code invalid} and changes nothing. Every state is a row of {@code analysis_results}.
 *
 * <p>It never holds anything else up: the queue is bounded (a full queue refuses and counts), a device already queued
 * or running is not queued twice, backend requests have a timeout, retries back off on the scheduler, and a circuit
 * breaker stops calling a failing backend for a cool-down. With no backend configured every request ends
 * {@code skipped} at once; enforcement and the rules run the same either way.
 */
public final class AnalysisService implements Service {

    private static final Logger log = LoggerFactory.getLogger(AnalysisService.class);
    /** The longest list {@link #results} and {@link #pending} return. */
    public static final int MAX_LIMIT = 1000;
    private static final int MAX_ACTION_REASON = 700;
    private static final String NOT_CONFIGURED = "no analysis backend is configured (automation.analysis.enabled, "
            + "base_url, model)";

    private final Deferred<ClickHouseClient> storage;
    private final Deferred<ActionManager> actions;
    private final AnalysisConfig config;
    private final Time time;
    private final Scheduler scheduler;
    private final Scheduler worker = Schedulers.boundedElastic();
    private final AnalysisCounters counters = new AnalysisCounters();
    private final BackendBreaker breaker;
    private final Sinks.Empty<Void> stopped = Sinks.empty();
    /** Emits once {@link #stop()} ran: in-flight analyses and the preparation end there. */
    private final Mono<Boolean> stopSignal = stopped.asMono().thenReturn(Boolean.TRUE);

    /** Guards {@link #waiting}, {@link #active} and {@link #running}. */
    private final Object lock = new Object();
    private final ArrayDeque<Request> waiting = new ArrayDeque<>();
    /** Queued and running requests by client mark: the de-duplication key (the kernel sets' key). */
    private final Map<Integer, Request> active = new HashMap<>();
    private int running;
    private final Set<String> deciding = ConcurrentHashMap.newKeySet();

    private volatile Stores stores;
    private volatile boolean stopping;
    private volatile ChatCompletionsBackend backend;
    private volatile String backendProblem = "";
    private Disposable poll;
    private Disposable preparing;

    /** One queued or running request; {@code current} is its latest state. */
    private static final class Request {
        final ActionTarget target;
        volatile AnalysisResult current;

        Request(AnalysisResult queued) {
            this.target = queued.target();
            this.current = queued;
        }
    }

    /** What exists once ClickHouse is there. */
    private record Stores(ResultStore results, PromptStore prompts, ActivitySummary summary, AuditLog audit) {
    }

    /**
     * @param storage   ClickHouse once its schema is in place (results, prompts and summaries live there)
     * @param actions   the Action Manager, once started: the {@code analyze} action's queue is drained from it and
     *                  recommendations are applied through it
     * @param time      the product's clock (breaker cool-down, row times)
     * @param scheduler the daemon's housekeeping scheduler: draining the Action Manager's queue, retry back-off
     *                  (a {@code VirtualTimeScheduler} in tests, with a {@code Time} reading it)
     */
    public AnalysisService(Deferred<ClickHouseClient> storage, Deferred<ActionManager> actions, AnalysisConfig config,
                           Time time, Scheduler scheduler) {
        this.storage = Objects.requireNonNull(storage, "storage");
        this.actions = Objects.requireNonNull(actions, "actions");
        this.config = Objects.requireNonNull(config, "config");
        this.time = Objects.requireNonNull(time, "time");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.breaker = new BackendBreaker(config.breakerThreshold(), config.breakerCooldown(), time);
    }

    @Override
    public String name() {
        return "analysis";
    }

    @Override
    public void start() {
        if (config.backendConfigured()) {
            try {
                backend = new ChatCompletionsBackend(URI.create(config.chatCompletionsUrl()), config.model(),
                        config.resolveApiKey(), config.timeout(), time);
                log.info("analysis backend {} (model {}), approval {}", backend.endpoint(), config.model(),
                        config.approval().label());
            } catch (IllegalArgumentException e) {
                backendProblem = e.getMessage();
                log.error("analysis backend not usable, requests will be skipped: {}", e.getMessage());
            }
        } else {
            log.info("analysis: {}; requests are recorded as skipped", NOT_CONFIGURED);
        }
        long period = config.pollInterval().toMillis();
        poll = scheduler.schedulePeriodically(this::drainActionQueue, period, period, TimeUnit.MILLISECONDS);
        preparing = storage.await().subscribe(this::prepare);
    }

    /** Seeds the default prompt and closes analyses a previous run left unfinished, then accepts requests. */
    private void prepare(ClickHouseClient client) {
        Stores s = new Stores(new ResultStore(client, time), new PromptStore(client, time),
                new ActivitySummary(client, time, config.summaryWindow(), config.summaryLimit()),
                new AuditLog(client, Duration.ofDays(1)));
        s.prompts().seedDefault()
                .doOnNext(wrote -> {
                    if (wrote) {
                        log.info("analysis: stored the default prompt");
                    }
                })
                .then(Flux.concat(s.results().inState(AnalysisState.QUEUED, MAX_LIMIT),
                                s.results().inState(AnalysisState.RUNNING, MAX_LIMIT))
                        .concatMap(r -> s.results().write(r.next(AnalysisState.FAILED, time.now())
                                .withError("interrupted: the daemon stopped before the analysis finished")))
                        .then())
                .onErrorResume(e -> {
                    log.warn("analysis: preparing storage failed (prompt seed, unfinished analyses): {}", e.toString());
                    return Mono.empty();
                })
                .doFinally(sig -> {
                    stores = s;
                    log.info("analysis queue ready");
                })
                .takeUntilOther(stopSignal)
                .subscribe();
    }

    @Override
    public void stop() {
        stopping = true;
        stopped.tryEmitEmpty();
        if (poll != null) {
            poll.dispose();
        }
        if (preparing != null) {
            preparing.dispose();
        }
    }

    // ------------------------------------------------------------------ the public API

    /**
     * Queues an analysis of {@code target} for {@code requestedBy} (an operator, or the rule behind an
     * {@code analyze} action). Never blocks: a device already queued or running is answered with that analysis, a
     * full queue refuses (counted).
     *
     * @throws NotReadyException while ClickHouse is not there (results and summaries live there)
     */
    public EnqueueOutcome enqueue(ActionTarget target, Actor requestedBy) {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(requestedBy, "requestedBy");
        Stores s = stores();
        AnalysisResult queued;
        synchronized (lock) {
            Request existing = active.get(target.clientMark());
            if (existing != null) {
                counters.deduplicated.increment();
                return new EnqueueOutcome(EnqueueOutcome.Status.DUPLICATE, existing.current.id(),
                        "client mark " + String.format("0x%06x", target.clientMark()) + " is already "
                                + existing.current.state().label());
            }
            if (waiting.size() >= config.queueCapacity()) {
                counters.rejectedFull.increment();
                log.warn("analysis of {} for {} refused: the queue is full ({})", target, requestedBy,
                        config.queueCapacity());
                return new EnqueueOutcome(EnqueueOutcome.Status.QUEUE_FULL, "", "the analysis queue is full ("
                        + config.queueCapacity() + ")");
            }
            queued = AnalysisResult.queued(UUID.randomUUID().toString(), target, requestedBy.toString(), time.now());
            Request r = new Request(queued);
            active.put(target.clientMark(), r);
            waiting.add(r);
            counters.queued.increment();
            // Subscribed under the lock, so the queued version is numbered before the worker's running one.
            s.results().write(queued).subscribe(null, e -> log.warn("analysis {}: recording queued failed: {}",
                    queued.id(), e.toString()));
        }
        drain();
        return new EnqueueOutcome(EnqueueOutcome.Status.QUEUED, queued.id(), "");
    }

    /** The analysis's newest state; empty when there is none. */
    public Mono<AnalysisResult> result(String id) {
        String checked = checkId(id);
        return Mono.defer(() -> stores().results().find(checked));
    }

    /** Analyses matching {@code filter}, newest requested first, at most {@code limit} (1..{@value #MAX_LIMIT}). */
    public Flux<AnalysisResult> results(ResultFilter filter, int limit) {
        Objects.requireNonNull(filter, "filter");
        int n = checkLimit(limit);
        return Flux.defer(() -> stores().results().list(filter, n));
    }

    /** Recommendations waiting for an operator (state held), oldest first. */
    public Flux<AnalysisResult> pending(int limit) {
        int n = checkLimit(limit);
        return Flux.defer(() -> stores().results().inState(AnalysisState.HELD, n));
    }

    /** The requests queued or running now, in this process. */
    public List<AnalysisResult> active() {
        synchronized (lock) {
            return active.values().stream().map(r -> r.current)
                    .sorted(java.util.Comparator.comparing(AnalysisResult::requestedAt)).collect(Collectors.toList());
        }
    }

    /**
     * Applies a held recommendation through the Action Manager (actor: the analysis; the reason names the approver)
     * and records the analysis as approved, with an audit entry {@code analysis.approve}.
     */
    public Mono<Decision> approve(String id, Actor approver) {
        Objects.requireNonNull(approver, "approver");
        return decide(checkId(id), approver, true);
    }

    /** Records a held recommendation as rejected (nothing applied), with an audit entry {@code analysis.reject}. */
    public Mono<Decision> reject(String id, Actor approver) {
        Objects.requireNonNull(approver, "approver");
        return decide(checkId(id), approver, false);
    }

    /** The prompt {@code id}; empty when there is none. */
    public Mono<Prompt> prompt(String id) {
        PromptStore.checkId(id);
        return Mono.defer(() -> stores().prompts().get(id));
    }

    /** Every prompt. */
    public Flux<Prompt> prompts() {
        return Flux.defer(() -> stores().prompts().list());
    }

    /**
     * Stores a new version of prompt {@code id} (validated; audited as {@code analysis.prompt.set}).
     *
     * @throws IllegalArgumentException (at once) naming what is wrong with the id or the text
     */
    public Mono<Prompt> updatePrompt(String id, String name, String text, Actor actor) {
        Objects.requireNonNull(actor, "actor");
        PromptStore.checkId(id);
        PromptStore.validate(text);
        return Mono.defer(() -> stores().prompts().update(id, name, text, auditActor(actor)));
    }

    public AnalysisConfig config() {
        return config;
    }

    public AnalysisCounters counters() {
        return counters;
    }

    public BackendBreaker breaker() {
        return breaker;
    }

    /** Requests waiting (not running). */
    public int queueDepth() {
        synchronized (lock) {
            return waiting.size();
        }
    }

    // ------------------------------------------------------------------ Service reports

    @Override
    public Readiness readiness() {
        // The backend is optional: its absence or an open breaker is reported, not a reason to be "not ready".
        Readiness r;
        if (stores == null) {
            r = Readiness.notReady(storage.isReady() ? "preparing storage" : storage.name() + ": " + storage.reason());
        } else if (!actions.isReady()) {
            r = Readiness.notReady(actions.name() + ": " + actions.reason());
        } else {
            r = Readiness.up();
        }
        r = r.with("backend", backend != null ? backend.endpoint() + " (" + config.model() + ")"
                : !backendProblem.isEmpty() ? "unusable: " + backendProblem : "not configured");
        r = r.with("approval", config.approval().label());
        synchronized (lock) {
            r = r.with("queued", waiting.size()).with("running", running);
        }
        r = r.with("breaker", breaker.state().label());
        if (breaker.state() != BackendBreaker.State.CLOSED) {
            r = r.with("breaker_reason", breaker.reason());
            Instant until = breaker.openUntil();
            if (until != null) {
                r = r.with("breaker_open_until", until.toString());
            }
        }
        return r;
    }

    @Override
    public void metrics(MetricWriter out) {
        counters.write(out);
        synchronized (lock) {
            out.gauge("analysis_queue_depth", "analysis requests waiting", waiting.size());
            out.gauge("analysis_running", "analyses running", running);
        }
        out.gauge("analysis_backend_configured", "1 when an analysis backend is configured and usable",
                backend != null ? 1 : 0);
        out.gauge("analysis_breaker_state", "the backend's circuit breaker: 0 closed, 1 open, 2 half open",
                breaker.state().ordinal());
        out.counter("analysis_breaker_opened", "times the backend's circuit breaker opened", breaker.timesOpened());
    }

    // ------------------------------------------------------------------ the worker

    /** Moves the Action Manager's analyze requests into this queue (on the scheduler, every poll interval). */
    private void drainActionQueue() {
        try {
            ActionManager m = actions.now().orElse(null);
            if (m == null || stores == null) {
                return;   // they wait in the Action Manager's bounded queue
            }
            ActionRecord rec;
            while ((rec = m.analysisQueue().poll()) != null) {
                enqueue(rec.target(), rec.actor());
            }
        } catch (RuntimeException e) {
            log.error("analysis: draining the Action Manager's queue failed", e);
        }
    }

    /** Starts waiting requests while fewer than {@code workers} run. */
    private void drain() {
        List<Request> start = new ArrayList<>();
        synchronized (lock) {
            while (!stopping && running < config.workers() && !waiting.isEmpty()) {
                start.add(waiting.poll());
                running++;
            }
        }
        for (Request r : start) {
            Mono.defer(() -> process(r))
                    .subscribeOn(worker)
                    .takeUntilOther(stopSignal)
                    .doFinally(sig -> {
                        synchronized (lock) {
                            running--;
                            active.remove(r.target.clientMark(), r);
                        }
                        drain();
                    })
                    .subscribe(null, e -> log.error("analysis {} failed unexpectedly", r.current.id(), e));
        }
    }

    private Mono<Void> process(Request r) {
        Stores s = stores;
        AnalysisResult queued = r.current;
        ChatCompletionsBackend b = backend;
        if (b == null) {
            return finish(r, queued.next(AnalysisState.SKIPPED, time.now())
                    .withReason(backendProblem.isEmpty() ? NOT_CONFIGURED : "backend unusable: " + backendProblem));
        }
        Optional<Client> who = ActivitySummary.clientOf(r.target);
        if (who.isEmpty()) {
            return finish(r, queued.next(AnalysisState.SKIPPED, time.now()).withReason("a bare client mark has no "
                    + "stored history to summarise; queue the device by MAC or DUID"));
        }
        if (breaker.refusing()) {
            counters.call(AnalysisCounters.SHORT_CIRCUITED);
            return finish(r, queued.next(AnalysisState.FAILED, time.now()).withError(breakerMessage()));
        }
        AnalysisResult runningState = queued.next(AnalysisState.RUNNING, time.now())
                .withBackend(b.model(), config.promptId(), 0);
        r.current = runningState;
        long[] spentNanos = {0};
        return s.results().write(runningState)
                .onErrorResume(e -> {
                    log.warn("analysis {}: recording running failed: {}", queued.id(), e.toString());
                    return Mono.empty();
                })
                .then(Mono.zip(s.summary().summarize(who.get(), r.target, queued.requestedBy()),
                                promptText(s)))
                .map(t -> PromptStore.render(t.getT2(), values(runningState, t.getT1())))
                .flatMap(prompt -> ask(b, prompt, 1, spentNanos))
                .flatMap(reply -> decideReply(r, runningState.withBackend(reply.model(), config.promptId(),
                        spentNanos[0] / 1_000_000), reply))
                .onErrorResume(e -> finish(r, runningState.withBackend(b.model(), config.promptId(),
                        spentNanos[0] / 1_000_000).next(AnalysisState.FAILED, time.now()).withError(message(e))));
    }

    /** The configured prompt's text, or the built-in default when it is not stored. */
    private Mono<String> promptText(Stores s) {
        return s.prompts().get(config.promptId()).map(Prompt::text)
                .switchIfEmpty(Mono.fromSupplier(() -> {
                    log.warn("analysis prompt '{}' is not stored; using the built-in default", config.promptId());
                    return PromptStore.DEFAULT_PROMPT;
                }));
    }

    private Map<String, String> values(AnalysisResult r, String summary) {
        ActionTarget t = r.target();
        return Map.of("summary", summary,
                "target", t.toString(),
                "mac", t.kind() == ActionTarget.Kind.MAC ? t.value() : "",
                "duid", t.kind() == ActionTarget.Kind.DUID ? t.value() : "",
                "client_mark", String.format("0x%06x", t.clientMark()),
                "requested_by", r.requestedBy(),
                "actions", "block, deny, throttle, monitor, allow",
                "now", time.now().toString());
    }

    /** One backend request, through the breaker; retryable failures are retried after the back-off. */
    private Mono<Reply> ask(ChatCompletionsBackend b, String prompt, int attempt, long[] spentNanos) {
        return Mono.defer(() -> {
            if (!breaker.tryAcquire()) {
                counters.call(AnalysisCounters.SHORT_CIRCUITED);
                return Mono.error(new IllegalStateException(breakerMessage()));
            }
            long t0 = time.nanoseconds();
            return b.complete(PromptStore.SYSTEM_MESSAGE, prompt)
                    .doOnNext(reply -> {
                        long spent = time.nanoseconds() - t0;
                        spentNanos[0] += spent;
                        counters.latency.record(spent);
                        breaker.success();
                        counters.call(AnalysisCounters.OK);
                    })
                    .onErrorResume(Failure.class, f -> {
                        long spent = time.nanoseconds() - t0;
                        spentNanos[0] += spent;
                        counters.latency.record(spent);
                        breaker.failure(f.getMessage());
                        counters.call(f.outcome().label());
                        if (!f.retryable() || attempt >= config.maxAttempts() || breaker.refusing()) {
                            return Mono.error(new IllegalStateException("backend request " + attempt + " of "
                                    + config.maxAttempts() + " failed: " + f.getMessage()));
                        }
                        counters.retries.increment();
                        Duration wait = config.backoffBefore(attempt);
                        log.info("analysis backend request {} failed ({}), retrying in {} ms", attempt,
                                f.getMessage(), wait.toMillis());
                        Mono<Long> pause = wait.isZero() ? Mono.just(0L) : Mono.delay(wait, scheduler);
                        return pause.then(ask(b, prompt, attempt + 1, spentNanos));
                    });
        });
    }

    private Mono<Void> decideReply(Request r, AnalysisResult runningState, Reply reply) {
        Recommendation rec;
        try {
            rec = Recommendation.parse(reply.content());
        } catch (Recommendation.InvalidReply e) {
            log.warn("analysis {} of {}: invalid reply ({}): {}", runningState.id(), r.target, e.getMessage(),
                    Recommendation.clip(reply.content().strip().replaceAll("\\s+", " "), 300));
            return finish(r, runningState.next(AnalysisState.INVALID, time.now()).withError(e.getMessage()));
        }
        AnalysisResult recommended = runningState.withRecommendation(rec);
        if (config.approval() == AnalysisConfig.Approval.HOLD) {
            return finish(r, recommended.next(AnalysisState.HELD, time.now()));
        }
        return applyRecommendation(recommended, null)
                .flatMap(o -> finish(r, o.ok() ? recommended.next(AnalysisState.APPLIED, time.now())
                        : recommended.next(AnalysisState.FAILED, time.now()).withError("the Action Manager refused: "
                        + o.error())));
    }

    /** The recommendation through the Action Manager, off the caller's thread (its action log write blocks). */
    private Mono<ActionOutcome> applyRecommendation(AnalysisResult r, Actor approver) {
        return Mono.fromCallable(() -> {
            ActionManager m = actions.require();
            String reason = "analysis " + r.id() + (approver != null ? " (approved by " + approver + ")" : "")
                    + ": " + r.reason();
            return m.apply(r.recommendation(), List.of(r.target()), Actor.analysis(r.id()),
                    Recommendation.clip(reason, MAX_ACTION_REASON));
        }).subscribeOn(worker);
    }

    /** Records the final (or held) state, counts it and logs it. */
    private Mono<Void> finish(Request r, AnalysisResult result) {
        r.current = result;
        return record(result);
    }

    private Mono<Void> record(AnalysisResult result) {
        return stores().results().write(result)
                .onErrorResume(e -> {
                    log.warn("analysis {}: recording {} failed: {}", result.id(), result.state().label(), e.toString());
                    return Mono.empty();
                })
                .then(Mono.fromRunnable(() -> {
                    counters.count(result.state());
                    log.info("analysis {} of {} ({}): {}{}{}", result.id(), result.target(), result.requestedBy(),
                            result.state().label(),
                            result.recommendation() == null ? "" : " " + result.recommendation().label(),
                            !result.error().isEmpty() ? ": " + result.error()
                                    : !result.reason().isEmpty() ? ": " + result.reason() : "");
                }));
    }

    private Mono<Decision> decide(String id, Actor approver, boolean approve) {
        return Mono.defer(() -> {
            Stores s = stores();
            if (!deciding.add(id)) {
                return Mono.just(new Decision(Decision.Status.NOT_HELD, null, "analysis " + id
                        + " is being decided by another request"));
            }
            return s.results().find(id)
                    .flatMap(r -> {
                        if (r.state() != AnalysisState.HELD) {
                            return Mono.just(new Decision(Decision.Status.NOT_HELD, r, "analysis " + id + " is "
                                    + r.state().label() + ", not held"));
                        }
                        String verb = approve ? "approve" : "reject";
                        Mono<Decision> done = Mono.defer(() -> {
                            AnalysisResult next = r.next(approve ? AnalysisState.APPROVED : AnalysisState.REJECTED,
                                    time.now());
                            return record(next)
                                    .then(s.audit().write(new AuditEntry(time.now(), auditActor(approver), "",
                                                    "analysis." + verb, id, r.recommendation().label() + " "
                                                    + r.target()))
                                            .onErrorResume(e -> {
                                                log.warn("analysis {}: audit of {} failed: {}", id, verb, e.toString());
                                                return Mono.empty();
                                            }))
                                    .thenReturn(new Decision(Decision.Status.DONE, next, ""));
                        });
                        if (!approve) {
                            return done;
                        }
                        return applyRecommendation(r, approver)
                                .flatMap(o -> o.ok() ? done : Mono.just(new Decision(Decision.Status.FAILED, r,
                                        "the Action Manager refused: " + o.error())))
                                .onErrorResume(NotReadyException.class, e -> Mono.just(new Decision(
                                        Decision.Status.FAILED, r, e.getMessage())));
                    })
                    .defaultIfEmpty(new Decision(Decision.Status.NOT_FOUND, null, "no analysis " + id))
                    .doFinally(sig -> deciding.remove(id));
        });
    }

    // ------------------------------------------------------------------ helpers

    private Stores stores() {
        Stores s = stores;
        if (s == null) {
            throw new NotReadyException("analysis", storage.isReady() ? "preparing storage"
                    : storage.name() + ": " + storage.reason());
        }
        return s;
    }

    private String breakerMessage() {
        Instant until = breaker.openUntil();
        return "the backend's circuit breaker is " + breaker.state().label()
                + (until != null ? " until " + until : "") + " (" + breaker.reason() + ")";
    }

    private static String message(Throwable e) {
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
    }

    /** The audit log's actor: a user's name as the API's entries write it, otherwise kind:name. */
    private static String auditActor(Actor a) {
        return a.kind() == Actor.Kind.USER ? a.name() : a.toString();
    }

    private static String checkId(String id) {
        if (id == null || id.isBlank() || id.length() > 64) {
            throw new IllegalArgumentException("analysis id must be 1-64 characters");
        }
        return id.strip();
    }

    private static int checkLimit(int limit) {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("limit must be 1.." + MAX_LIMIT + ", was " + limit);
        }
        return limit;
    }
}
