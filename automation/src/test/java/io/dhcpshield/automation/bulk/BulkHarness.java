package io.dhcpshield.automation.bulk;

import io.dhcpshield.core.event.DhcpEvent;
import io.dhcpshield.core.pipeline.DenySet;
import io.dhcpshield.core.service.Deferred;
import io.dhcpshield.core.time.Time;
import io.dhcpshield.enforcement.action.ActionLog;
import io.dhcpshield.enforcement.action.ActionManager;
import io.dhcpshield.enforcement.action.ActionRecord;
import io.dhcpshield.enforcement.action.Actor;
import io.dhcpshield.enforcement.action.AnalysisQueue;
import io.dhcpshield.enforcement.ruleset.ThrottlingProfile;
import io.dhcpshield.storage.Await;
import io.dhcpshield.storage.ClickHouseActionLog;
import io.dhcpshield.storage.ClickHouseClient;
import io.dhcpshield.storage.ClickHouseServerExtension;
import io.dhcpshield.storage.EventRows;
import io.dhcpshield.storage.Migrations;
import reactor.test.scheduler.VirtualTimeScheduler;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * Bulk Actions under test: a fresh database on the class's private ClickHouse (18.16), a real Action Manager over
 * {@link TestKernelSets} with the real ClickHouse action log, and runners on virtual time starting at {@link #T0}.
 * {@link #restart} makes a new runner (and Action Manager) over the same database, as a daemon restart would.
 */
final class BulkHarness implements AutoCloseable {

    static final Instant T0 = Instant.parse("2026-11-22T12:00:00Z");
    static final Duration WAIT = Duration.ofSeconds(120);

    final ClickHouseClient client;
    final VirtualTimeScheduler vts = VirtualTimeScheduler.create();
    final Time time = Time.of(vts, T0);
    TestKernelSets kernel = new TestKernelSets();
    ActionManager actions;
    BulkJobRunner runner;
    private final List<BulkJobRunner> runners = new ArrayList<>();
    private final List<ActionManager> managers = new ArrayList<>();
    private final List<TestKernelSets> kernels = new ArrayList<>(List.of(kernel));

    BulkHarness(ClickHouseServerExtension server, String database) throws Exception {
        client = new ClickHouseClient(server.freshDatabase(database));
        Migrations.apply(client).collectList().block(Duration.ofSeconds(60));
        actions = manager(new ClickHouseActionLog(client, time));
    }

    /** A new Action Manager over {@link #kernel} and {@code log}. */
    ActionManager manager(ActionLog log) {
        ActionManager m = new ActionManager(kernel, log, new DenySet(), ThrottlingProfile.dualstack("medium"),
                new AnalysisQueue(100), time);
        managers.add(m);
        return m;
    }

    /** Creates a runner over this database and {@link #actions}, starts it, and waits until it is ready. */
    BulkJobRunner start() {
        runner = new BulkJobRunner(Deferred.of("clickhouse", client), Deferred.of("action manager", actions), time, vts);
        runners.add(runner);
        runner.start();
        BulkJobRunner r = runner;
        Await.until(WAIT, () -> r.readiness().ready(), "the bulk runner ready");
        return runner;
    }

    /**
     * A daemon restart: a new kernel and Action Manager (reconciled from the action log, as its start does) and a new
     * runner over the same database. The old runner is left as it was (stopped or crashed) for the caller to close.
     */
    BulkJobRunner restart() {
        kernel = new TestKernelSets();
        kernels.add(kernel);
        actions = manager(new ClickHouseActionLog(client, time));
        actions.reconcile();
        return start();
    }

    void insert(List<DhcpEvent> events) throws Exception {
        client.insert(EventRows.TABLE, EventRows.COLUMNS, "RowBinary", EventRows.encode(events));
    }

    BulkJob job(String id) {
        return runner.job(id).block(WAIT);
    }

    /** Waits until the stored job satisfies {@code p}; returns it then. */
    BulkJob awaitJob(String id, Predicate<BulkJob> p, String what) {
        return awaitJob(id, p, what, WAIT);
    }

    BulkJob awaitJob(String id, Predicate<BulkJob> p, String what, Duration timeout) {
        BulkJob[] last = new BulkJob[1];
        Await.until(timeout, () -> {
            last[0] = job(id);
            return last[0] != null && p.test(last[0]);
        }, "bulk job " + id + " " + what);
        return last[0];
    }

    BulkJob awaitState(String id, BulkJob.State state) {
        return awaitJob(id, j -> j.state() == state, state.label());
    }

    /** Every action record in the history taken by the job (its newest version each). */
    List<ActionRecord> history(String jobId) {
        return new ClickHouseActionLog(client, time).history(T0.minus(Duration.ofDays(1)), T0.plus(Duration.ofDays(1)))
                .stream().filter(r -> r.actor().equals(Actor.bulkJob(jobId))).toList();
    }

    @Override
    public void close() {
        kernels.forEach(TestKernelSets::open);
        for (BulkJobRunner r : runners) {
            try {
                r.stop();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        for (ActionManager m : managers) m.close();
        vts.dispose();
        client.close();
    }
}
