package io.dhcpshield.automation.bulk;

import io.dhcpshield.core.metrics.MetricWriter;
import io.dhcpshield.core.service.Deferred;
import io.dhcpshield.core.service.Readiness;
import io.dhcpshield.core.service.Service;
import io.dhcpshield.core.time.Time;
import io.dhcpshield.enforcement.action.ActionManager;
import io.dhcpshield.enforcement.action.ActionOutcome;
import io.dhcpshield.enforcement.action.ActionRecord;
import io.dhcpshield.enforcement.action.ActionTarget;
import io.dhcpshield.enforcement.action.ActionType;
import io.dhcpshield.enforcement.action.Actor;
import io.dhcpshield.storage.ClickHouseClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Bulk Actions as a daemon service ({@code bulk}): previews what criteria select, and runs jobs that apply one action
 * to the selected clients in batches through the Action Manager with the job as the actor ({@code bulk_job:<id>}), so
 * every client actioned is in the action history. A job's clients are resolved once, when it starts, and stored with
 * it; progress is saved after every batch. One job runs at a time, on the runner's own thread; the others wait their
 * turn (due ones in order of run_at). A cancel stops a job before its next batch. At start, jobs a previous run left
 * running (a crash) or interrupted (a shutdown) resume from their saved progress, and scheduled ones are re-armed.
 *
 * <p>The ClickHouse client and the Action Manager arrive late, as {@link Deferred}s; the API's methods throw
 * {@link io.dhcpshield.core.service.NotReadyException} (503) until what they need is there. See docs/bulk.md.
 */
public final class BulkJobRunner implements Service {

    private static final Logger log = LoggerFactory.getLogger(BulkJobRunner.class);

    /** Most clients a preview samples. */
    public static final int MAX_SAMPLE = 1000;
    /** Most clients one job may act on (its selection is stored in one INSERT). */
    public static final int MAX_TARGETS = 200_000;
    /** How far ahead a job may be scheduled. */
    public static final Duration MAX_SCHEDULE_AHEAD = Duration.ofDays(30);
    /** A job fails after this many failed batches in a row (the kernel or the action log is broken). */
    public static final int FAILED_BATCHES_IN_A_ROW = 3;
    /** How often due jobs are looked for besides their own timers (and a failed recovery is retried). */
    static final Duration TICK = Duration.ofMinutes(1);
    /** Longest a selection query may take. */
    static final Duration SELECTION_WAIT = Duration.ofMinutes(10);
    /** How long {@link #stop()} waits for the batch in progress. */
    static final Duration STOP_WAIT = Duration.ofSeconds(30);

    private final Deferred<ClickHouseClient> clickhouse;
    private final Deferred<ActionManager> actions;
    private final Time time;
    private final Scheduler scheduler;
    private final Deferred<BulkJobStore> store = new Deferred<>("bulk job store", "waiting for ClickHouse");

    private final Object lock = new Object();
    /** Jobs not final and not running: scheduled, and those to resume; guarded by lock. */
    private final Map<String, BulkJob> waiting = new LinkedHashMap<>();
    /** The job running now, or null; guarded by lock. */
    private Running running;
    private final AtomicBoolean drainQueued = new AtomicBoolean();
    /** Held while jobs run, so {@link #stop()} can wait for the batch in progress. */
    private final ReentrantLock busy = new ReentrantLock();
    private volatile boolean stopping;
    private volatile Scheduler worker;
    private final Disposable.Composite disposables = Disposables.composite();

    private final LongAdder submitted = new LongAdder();
    private final LongAdder done = new LongAdder();
    private final LongAdder cancelled = new LongAdder();
    private final LongAdder failed = new LongAdder();
    private final LongAdder resumed = new LongAdder();
    private final LongAdder clientsActioned = new LongAdder();
    private final LongAdder clientsFailed = new LongAdder();
    private final LongAdder batches = new LongAdder();
    private final LongAdder batchFailures = new LongAdder();

    /** The job running now: who asked to cancel it, and its end for those waiting on it. */
    private static final class Running {
        final String id;
        volatile String cancelledBy;
        final Sinks.One<BulkJob> ended = Sinks.one();

        Running(String id) {
            this.id = id;
        }
    }

    /**
     * @param clickhouse the ClickHouse client, once storage is up (schema migrated: V012)
     * @param actions    the Action Manager
     * @param time       the clock (run_at, job times, action times)
     * @param scheduler  where run_at timers and the minute tick run (the daemon's housekeeping scheduler; a
     *                   VirtualTimeScheduler in tests); jobs themselves run on the runner's own thread
     */
    public BulkJobRunner(Deferred<ClickHouseClient> clickhouse, Deferred<ActionManager> actions, Time time,
                         Scheduler scheduler) {
        this.clickhouse = Objects.requireNonNull(clickhouse, "clickhouse");
        this.actions = Objects.requireNonNull(actions, "actions");
        this.time = Objects.requireNonNull(time, "time");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
    }

    @Override
    public String name() {
        return "bulk";
    }

    @Override
    public void start() {
        // One thread that may block (ClickHouse, the kernel, the action log): jobs run one after the other on it.
        worker = Schedulers.newBoundedElastic(1, Integer.MAX_VALUE, "bulk-jobs", 60, true);
        disposables.add(worker);
        disposables.add(clickhouse.await().publishOn(worker).subscribe(this::recover));
        disposables.add(actions.await().subscribe(a -> kick()));
        disposables.add(Flux.interval(TICK, TICK, scheduler).subscribe(t -> tick()));
    }

    @Override
    public void stop() throws InterruptedException {
        stopping = true;
        // The job in progress sees `stopping` before its next batch and saves itself as interrupted.
        if (busy.tryLock(STOP_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
            busy.unlock();
        } else {
            log.warn("bulk: a batch still runs after {}; the job stays running in ClickHouse and the next start"
                    + " resumes it", STOP_WAIT);
        }
        disposables.dispose();
    }

    // ---------------------------------------------------------------- the API's methods

    /** {@link #preview(BulkCriteria, int, long)} with a random seed. */
    public Mono<BulkPreview> preview(BulkCriteria criteria, int sample) {
        return preview(criteria, sample, ThreadLocalRandom.current().nextLong());
    }

    /**
     * How many clients {@code criteria} select now and a random sample of at most {@code sample} of them; the same
     * seed gives the same sample of the same data. Needs only ClickHouse.
     */
    public Mono<BulkPreview> preview(BulkCriteria criteria, int sample, long seed) {
        return Mono.defer(() -> {
            Objects.requireNonNull(criteria, "criteria");
            if (sample < 0 || sample > MAX_SAMPLE) {
                throw BulkValidationException.of("sample", "must be from 0 to " + MAX_SAMPLE + ", was " + sample);
            }
            ClickHouseClient ch = clickhouse.require();
            BulkCriteria.Window w = criteria.window(time.now());
            long t0 = time.nanoseconds();
            Mono<List<BulkClient>> clients = sample == 0 ? Mono.just(List.of())
                    : BulkQueries.clients(ch, criteria, w, seed, sample).collectList();
            return BulkQueries.count(ch, criteria, w).zipWith(clients)
                    .map(t -> new BulkPreview(t.getT1(), t.getT2(), w, (time.nanoseconds() - t0) / 1_000_000));
        });
    }

    /** {@link #submit(BulkJobRequest, String)} from its parts. */
    public Mono<BulkJob> submit(BulkCriteria criteria, ActionType action,
                                Duration duration, String reason, int batchSize, Instant runAt, String user) {
        return Mono.defer(() -> submit(new BulkJobRequest(criteria, action, duration, reason, batchSize, runAt), user));
    }

    /**
     * Stores a new job, {@code scheduled}, and arms it: it runs at its run_at (now when null or past) once no other
     * job runs. Audited as {@code bulk.job.submit} with {@code user}. The criteria's window must be valid now.
     */
    public Mono<BulkJob> submit(BulkJobRequest request, String user) {
        return Mono.defer(() -> {
            Objects.requireNonNull(request, "request");
            Objects.requireNonNull(user, "user");
            BulkJobStore st = store.require();
            if (stopping) throw new IllegalStateException("the bulk runner is stopping");
            Instant now = time.now().truncatedTo(ChronoUnit.SECONDS);
            request.criteria().window(now);
            Instant runAt = request.runAt() == null || request.runAt().isBefore(now) ? now
                    : request.runAt().truncatedTo(ChronoUnit.SECONDS);
            if (runAt.isAfter(now.plus(MAX_SCHEDULE_AHEAD))) {
                throw BulkValidationException.of("run_at", "at most " + MAX_SCHEDULE_AHEAD.toDays()
                        + " days ahead, was " + runAt);
            }
            BulkJob job = new BulkJob(UUID.randomUUID().toString(), BulkJob.State.SCHEDULED, request.action(),
                    request.duration(), request.criteria(), request.reason(), user, now, runAt, null, null,
                    request.batchSize(), 0, 0, 0, 0, "");
            return st.save(job)
                    .then(st.audit(user, "bulk.job.submit", job.id(), BulkJson.job(job).toString()))
                    .then(Mono.fromRunnable(() -> {
                        synchronized (lock) {
                            waiting.put(job.id(), job);
                        }
                        submitted.increment();
                        log.info("bulk job {} submitted by {}: {} at {} ({})", job.id(), user, job.action().label(),
                                runAt, job.reason());
                        arm(job);
                        kick();
                    }))
                    .thenReturn(job);
        });
    }

    /** The job as last saved (progress is saved after every batch); empty when there is none. */
    public Mono<BulkJob> job(String id) {
        return Mono.defer(() -> store.require().find(id));
    }

    /** The newest jobs, newest created first, at most {@code limit} (1 to 1000). */
    public Mono<List<BulkJob>> jobs(int limit) {
        return Mono.defer(() -> store.require().list(limit).collectList());
    }

    /**
     * Cancels a job: a waiting one at once, a running one before its next batch (the answer comes then, with what it
     * actioned in {@code done}). A job already cancelled is answered as it is; a finished one is an
     * {@link IllegalStateException} (409), an unknown one a {@link BulkJobNotFoundException} (404). Audited as
     * {@code bulk.job.cancel}.
     */
    public Mono<BulkJob> cancel(String id, String user) {
        return Mono.defer(() -> {
            Objects.requireNonNull(user, "user");
            BulkJobStore st = store.require();
            synchronized (lock) {
                if (running != null && running.id.equals(id)) {
                    running.cancelledBy = user;
                    return running.ended.asMono().flatMap(j -> audited(st, user, j));
                }
                BulkJob w = waiting.remove(id);
                if (w != null) {
                    BulkJob c = w.ended(BulkJob.State.CANCELLED, time.now().truncatedTo(ChronoUnit.SECONDS), null);
                    return st.save(c).doOnError(e -> {
                        synchronized (lock) {
                            waiting.putIfAbsent(id, w);
                        }
                    }).doOnSuccess(j -> {
                        cancelled.increment();
                        log.info("bulk job {} cancelled by {} before it started", id, user);
                    }).flatMap(j -> audited(st, user, j));
                }
            }
            return st.find(id).switchIfEmpty(Mono.error(() -> new BulkJobNotFoundException(id)))
                    .flatMap(j -> j.state() == BulkJob.State.CANCELLED ? Mono.just(j)
                            : Mono.error(new IllegalStateException("bulk job " + id + " is " + j.state().label()
                            + ": only a scheduled or running job can be cancelled")));
        });
    }

    /** The counters now (tests wait on them). */
    public BulkCounters counters() {
        return new BulkCounters(submitted.sum(), done.sum(), cancelled.sum(), failed.sum(), resumed.sum(),
                clientsActioned.sum(), clientsFailed.sum(), batches.sum(), batchFailures.sum());
    }

    private Mono<BulkJob> audited(BulkJobStore st, String user, BulkJob j) {
        return st.audit(user, "bulk.job.cancel", j.id(), "{\"state\":\"" + j.state().label() + "\",\"done\":" + j.done()
                + ",\"total\":" + j.total() + "}").thenReturn(j);
    }

    // ---------------------------------------------------------------- recovery, timers

    /** Loads the jobs a previous run left open; the store is ready (and jobs run) only after this succeeded. */
    private void recover(ClickHouseClient ch) {
        if (store.isReady() || stopping) return;
        BulkJobStore st = new BulkJobStore(ch, time);
        List<BulkJob> open;
        try {
            open = st.open().collectList().block(BulkJobStore.WAIT);
        } catch (RuntimeException e) {
            store.waiting("reading the open bulk jobs failed (retried every minute): " + e.getMessage());
            log.warn("bulk: reading the open jobs failed (retried every minute): {}", e.toString());
            return;
        }
        int toResume = 0;
        int scheduled = 0;
        synchronized (lock) {
            for (BulkJob j : open == null ? List.<BulkJob>of() : open) {
                waiting.put(j.id(), j);
                if (j.state() == BulkJob.State.SCHEDULED) {
                    scheduled++;
                    arm(j);
                } else {
                    toResume++;
                    log.info("bulk job {} was {} when the daemon stopped, at {} of {}: it resumes from there", j.id(),
                            j.state().label(), j.position(), j.total());
                }
            }
        }
        store.complete(st);
        log.info("bulk: {} job(s) to resume, {} scheduled", toResume, scheduled);
        kick();
    }

    /** A timer that looks for due jobs at the job's run_at. */
    private void arm(BulkJob job) {
        long ms = Duration.between(time.now(), job.runAt()).toMillis();
        if (ms > 0 && !stopping) disposables.add(scheduler.schedule(this::kick, ms, TimeUnit.MILLISECONDS));
    }

    private void tick() {
        Scheduler w = worker;
        if (!store.isReady() && clickhouse.isReady() && w != null && !stopping) {
            w.schedule(() -> recover(clickhouse.require()));
        } else {
            kick();
        }
    }

    /** Looks for due jobs on the runner's thread (one look queued at a time). */
    private void kick() {
        Scheduler w = worker;
        if (stopping || w == null || !store.isReady() || !actions.isReady()) return;
        if (drainQueued.compareAndSet(false, true)) w.schedule(this::drain);
    }

    // ---------------------------------------------------------------- running jobs

    /** Runs due jobs one after the other until none is due. */
    private void drain() {
        drainQueued.set(false);
        busy.lock();
        try {
            while (!stopping) {
                BulkJob next;
                Running r;
                synchronized (lock) {
                    next = nextDue(time.now());
                    if (next == null) return;
                    waiting.remove(next.id());
                    r = running = new Running(next.id());
                }
                BulkJob end = null;
                try {
                    end = execute(next, r);
                } finally {
                    synchronized (lock) {
                        running = null;
                    }
                    if (end != null) r.ended.tryEmitValue(end);
                    else r.ended.tryEmitError(new IllegalStateException("bulk job " + next.id() + " stopped abruptly"));
                }
            }
        } finally {
            busy.unlock();
        }
    }

    /**
     * The next job to run: one to resume first, else the scheduled one due earliest (ties: the one submitted first);
     * null when none is due.
     */
    private BulkJob nextDue(Instant now) {
        // min() keeps the first of equals: `waiting` is in submission (or, after a restart, creation) order.
        Comparator<BulkJob> order = Comparator.comparing((BulkJob j) -> j.state() == BulkJob.State.SCHEDULED)
                .thenComparing(BulkJob::runAt).thenComparing(BulkJob::createdAt);
        return waiting.values().stream()
                .filter(j -> j.state() != BulkJob.State.SCHEDULED || !j.runAt().isAfter(now))
                .min(order).orElse(null);
    }

    /** Runs one job to its end (or to a shutdown) and returns it as it ended. */
    private BulkJob execute(BulkJob job, Running r) {
        BulkJobStore st = store.require();
        boolean resuming = job.state() != BulkJob.State.SCHEDULED;
        try {
            long stored = st.targetCount(job.id()).block(BulkJobStore.WAIT);
            if (resuming) {
                resumed.increment();
                job = job.resumed(now(), "resumed after restart at " + job.position() + " of " + stored);
                log.info("bulk job {} resumes after a restart at {} of {}", job.id(), job.position(), stored);
            }
            if (stored == 0 && job.position() == 0) {
                job = resolve(st, job);
                if (job.state().isFinal()) return job;
            } else {
                job = st.saveNow(job.withTotal(stored));
            }
            return batches(st, job, r, resuming);
        } catch (RuntimeException e) {
            return end(st, job, BulkJob.State.FAILED, "failed at " + job.position() + " of " + job.total() + ": "
                    + e.getMessage());
        }
    }

    /** Starts a job: selects its clients now and stores them as its targets. */
    private BulkJob resolve(BulkJobStore st, BulkJob job) {
        BulkCriteria.Window w;
        try {
            w = job.criteria().window(now());
        } catch (BulkValidationException e) {
            return end(st, job, BulkJob.State.FAILED, e.getMessage());
        }
        job = st.saveNow(job.starting(now(), job.criteria().withWindow(w)));
        List<ActionTarget> targets = BulkQueries.clients(st.client(), job.criteria(), w, null, MAX_TARGETS + 1)
                .map(BulkClient::target).collectList().block(SELECTION_WAIT);
        if (targets == null) targets = List.of();
        if (targets.size() > MAX_TARGETS) {
            return end(st, job, BulkJob.State.FAILED, "the criteria select more than " + MAX_TARGETS
                    + " clients, the most one job acts on: narrow them");
        }
        if (!targets.isEmpty()) st.saveTargets(job, targets);
        job = st.saveNow(job.withTotal(targets.size()));
        log.info("bulk job {} started: {} on {} client(s) seen {} .. {}, in batches of {}", job.id(),
                job.action().label(), targets.size(), w.since(), w.until(), job.batchSize());
        return job;
    }

    /** The batches from the job's position to its end, a cancel, a shutdown or too many failures. */
    private BulkJob batches(BulkJobStore st, BulkJob job, Running r, boolean resuming) {
        ActionManager am = actions.require();
        Actor actor = Actor.bulkJob(job.id());
        String reason = "bulk job " + job.id() + " by " + job.createdBy() + ": " + job.reason();
        // The first batch after a restart may have been applied before the crash, its progress not saved: clients
        // already holding this job's action are counted done, not actioned twice.
        boolean skipInForce = resuming && job.action().writesSet();
        int failedInARow = 0;
        while (job.position() < job.total()) {
            if (r.cancelledBy != null) {
                log.info("bulk job {} cancelled by {} at {} of {}", job.id(), r.cancelledBy, job.position(), job.total());
                return end(st, job, BulkJob.State.CANCELLED, null);
            }
            if (stopping) {
                String note = "the daemon stopped at " + job.position() + " of " + job.total()
                        + "; the next start resumes it";
                log.info("bulk job {}: {}", job.id(), note);
                return st.saveNow(job.interrupted(note));
            }
            List<ActionTarget> batch = st.targets(job.id(), job.position(), job.position() + job.batchSize())
                    .collectList().block(BulkJobStore.WAIT);
            if (batch == null || batch.isEmpty()) {
                return end(st, job, BulkJob.State.FAILED, "targets from " + job.position() + " are missing");
            }
            long already = 0;
            if (skipInForce) {
                List<ActionTarget> todo = new ArrayList<>();
                for (ActionTarget t : batch) {
                    boolean mine = am.inForce(job.action(), t.clientMark()).map(x -> x.actor().equals(actor))
                            .orElse(false);
                    if (!mine) todo.add(t);
                }
                already = batch.size() - todo.size();
                batch = todo;
                skipInForce = false;
            }
            long ok = 0;
            long bad = 0;
            String error = null;
            try {
                ActionOutcome o = am.apply(job.action(), batch, actor, reason, job.duration());
                bad = o.records().stream().filter(x -> x.state() == ActionRecord.State.FAILED).count();
                ok = o.records().size() - bad;
                if (!o.ok()) error = "batch " + (job.batches() + 1) + " failed: " + o.error();
            } catch (RuntimeException e) {
                bad = batch.size();
                error = "batch " + (job.batches() + 1) + " failed: " + e.getMessage();
            }
            batches.increment();
            clientsActioned.add(ok);
            clientsFailed.add(bad);
            if (error != null) {
                batchFailures.increment();
                failedInARow++;
                log.warn("bulk job {}: {}", job.id(), error);
            } else {
                failedInARow = 0;
            }
            job = st.saveNow(job.afterBatch(ok + already, bad, error));
            if (failedInARow >= FAILED_BATCHES_IN_A_ROW) {
                return end(st, job, BulkJob.State.FAILED, FAILED_BATCHES_IN_A_ROW + " batches failed in a row, the"
                        + " last: " + error);
            }
        }
        log.info("bulk job {} done: {} actioned, {} failed, in {} batches", job.id(), job.done(), job.failed(),
                job.batches());
        return end(st, job, BulkJob.State.DONE, null);
    }

    /** Saves the job's final state and counts it; a save that fails leaves it open in ClickHouse (resumed later). */
    private BulkJob end(BulkJobStore st, BulkJob job, BulkJob.State state, String note) {
        BulkJob ended = job.ended(state, now(), note);
        switch (state) {
            case DONE -> done.increment();
            case CANCELLED -> cancelled.increment();
            default -> failed.increment();
        }
        if (state == BulkJob.State.FAILED) log.warn("bulk job {} failed: {}", job.id(), ended.error());
        try {
            return st.saveNow(ended);
        } catch (RuntimeException e) {
            log.warn("bulk job {}: saving its end ({}) failed, the next start resumes it: {}", job.id(),
                    state.label(), e.toString());
            return ended;
        }
    }

    private Instant now() {
        return time.now().truncatedTo(ChronoUnit.SECONDS);
    }

    // ---------------------------------------------------------------- reports

    @Override
    public Readiness readiness() {
        if (stopping) return Readiness.notReady("stopping");
        for (Deferred<?> d : List.of(clickhouse, store, actions)) {
            if (!d.isReady()) return Readiness.notReady("waiting for " + d.name() + ": " + d.reason());
        }
        Readiness r = Readiness.up();
        synchronized (lock) {
            r = r.with("running", running == null ? "" : running.id).with("waiting", waiting.size());
        }
        return r;
    }

    @Override
    public void metrics(MetricWriter out) {
        BulkCounters c = counters();
        out.counter("bulk_jobs_submitted", "bulk jobs submitted", c.submitted());
        out.counter("bulk_jobs_done", "bulk jobs that tried every client", c.done());
        out.counter("bulk_jobs_cancelled", "bulk jobs cancelled (before they started or between batches)",
                c.cancelled());
        out.counter("bulk_jobs_failed", "bulk jobs that failed", c.failed());
        out.counter("bulk_jobs_resumed", "bulk jobs resumed after a restart", c.resumed());
        out.counter("bulk_clients_actioned", "clients a bulk job applied its action to", c.clientsActioned());
        out.counter("bulk_clients_failed", "clients in a bulk job's failed batches", c.clientsFailed());
        out.counter("bulk_batches", "bulk job batches applied", c.batches());
        out.counter("bulk_batch_failures", "bulk job batches that failed", c.batchFailures());
        int w;
        boolean r;
        synchronized (lock) {
            w = waiting.size();
            r = running != null;
        }
        out.gauge("bulk_jobs_waiting", "bulk jobs scheduled or waiting to resume", w);
        out.gauge("bulk_job_running", "1 while a bulk job runs", r ? 1 : 0);
    }
}
