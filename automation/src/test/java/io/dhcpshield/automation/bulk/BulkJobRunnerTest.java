package io.dhcpshield.automation.bulk;

import io.dhcpshield.core.event.DhcpEvent;
import io.dhcpshield.core.net.MacAddress;
import io.dhcpshield.enforcement.action.ActionRecord;
import io.dhcpshield.enforcement.action.ActionTarget;
import io.dhcpshield.enforcement.action.ActionType;
import io.dhcpshield.enforcement.ruleset.EnforcementSet;
import io.dhcpshield.storage.Await;
import io.dhcpshield.storage.AuditFilter;
import io.dhcpshield.storage.AuditLog;
import io.dhcpshield.storage.ClickHouseActionLog;
import io.dhcpshield.storage.ClickHouseServerExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;

import static io.dhcpshield.automation.bulk.BulkHarness.T0;
import static io.dhcpshield.automation.bulk.BulkHarness.WAIT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Bulk jobs against a real ClickHouse 18.16 and a real Action Manager (in-memory kernel sets, the ClickHouse action
 * log), on virtual time. Jobs are waited on through their stored state and the runner's counters, never slept on.
 */
class BulkJobRunnerTest {

    @RegisterExtension
    static final ClickHouseServerExtension server = new ClickHouseServerExtension();

    /** Each action record is one INSERT into actions_log (8-15 ms on 18.16 here): 10,000 take minutes. */
    static final Duration TEN_THOUSAND_WAIT = Duration.ofMinutes(10);
    static final long BASE = 0x0200_0001_0000L;

    /** {@code n} DHCPv4 clients (MACs from 02:00:00:01:00:00 + first) that sent one DISCOVER on {@code circuit}. */
    static List<DhcpEvent> clients(int n, int first, String circuit) {
        List<DhcpEvent> out = new ArrayList<>();
        for (int i = 0; i < n; i++) out.addAll(Events.v4(BASE + first + i).relay("100.64.0.1", circuit).times(1));
        return out;
    }

    static Set<Long> marks(int n, int first) {
        Set<Long> out = new HashSet<>();
        for (int i = 0; i < n; i++) out.add((long) new MacAddress(BASE + first + i).low24());
        return out;
    }

    static BulkCriteria circuit(String c) {
        return BulkCriteria.parse("{\"circuit\": \"" + c + "\"}");
    }

    static BulkJob submit(BulkJobRunner runner, String circuit, ActionType action, int batch) {
        return runner.submit(circuit(circuit), action, null, "bulk test", batch, null, "alice").block(WAIT);
    }

    /** Submits a job whose transactions after the first {@code pass} wait at the kernel; returns once one waits. */
    static BulkJob submitHeld(BulkHarness h, BulkJobRunner runner, int pass, String circuit, ActionType action,
                              int batch) {
        h.kernel.holdAfter(pass);
        BulkJob job = submit(runner, circuit, action, batch);
        Await.until(WAIT, () -> h.kernel.waiting() == 1, "batch " + (pass + 1) + " at the kernel");
        return job;
    }

    @Test
    void aJobOverTenThousandClientsBlocksEveryOneInBatchesAndEachIsInTheHistoryWithTheJobAsActor() throws Exception {
        try (BulkHarness h = new BulkHarness(server, "bulk_10k")) {
            h.insert(clients(10_000, 0, "c-bulk"));
            h.insert(clients(5, 20_000, "c-other"));
            BulkJobRunner runner = h.start();
            BulkJob job = runner.submit(circuit("c-bulk"), ActionType.BLOCK, Duration.ofHours(1), "spoofed circuit", 500,
                    null, "alice").block(WAIT);
            assertEquals(BulkJob.State.SCHEDULED, job.state());
            BulkJob end = h.awaitJob(job.id(), j -> j.state() == BulkJob.State.DONE, "done", TEN_THOUSAND_WAIT);

            assertEquals(List.of(10_000L, 10_000L, 0L, 20L), List.of(end.total(), end.done(), end.failed(), end.batches()));
            assertEquals("", end.error());
            assertEquals(T0.minus(BulkCriteria.DEFAULT_WINDOW), end.criteria().since(), "the window it read is recorded");
            assertEquals(T0, end.criteria().until());
            Set<Long> expected = marks(10_000, 0);
            assertEquals(expected, h.kernel.list(EnforcementSet.LLM_BLOCKED_MARKS).keySet(),
                    "exactly the circuit's clients are in the block set");
            List<ActionRecord> history = h.history(job.id());
            assertEquals(10_000, history.size());
            assertEquals(expected, history.stream().map(r -> (long) r.target().clientMark()).collect(Collectors.toSet()));
            assertTrue(history.stream().allMatch(r -> r.type() == ActionType.BLOCK
                    && r.state() == ActionRecord.State.ACTIVE && r.target().kind() == ActionTarget.Kind.MAC
                    && r.duration().equals(Duration.ofHours(1))
                    && r.reason().equals("bulk job " + job.id() + " by alice: spoofed circuit")));
            assertEquals("bulk_job:" + job.id(), history.get(0).actor().toString());
            BulkCounters c = runner.counters();
            assertEquals(List.of(1L, 1L, 10_000L, 20L, 0L), List.of(c.submitted(), c.done(), c.clientsActioned(),
                    c.batches(), c.batchFailures()));
            var audit = new AuditLog(h.client, Duration.ofDays(1)).query(new AuditFilter(T0.minusSeconds(60),
                    T0.plusSeconds(60), null, null, null, null), null, 10).block(WAIT);
            assertTrue(audit.entries().stream().anyMatch(e -> e.action().equals("bulk.job.submit")
                    && e.actor().equals("alice") && e.target().equals(job.id())), audit::toString);
        }
    }

    @Test
    void cancellingARunningJobStopsItBeforeItsNextBatchWithWhatItActionedCounted() throws Exception {
        try (BulkHarness h = new BulkHarness(server, "bulk_cancel")) {
            h.insert(clients(200, 0, "c-1"));
            BulkJobRunner runner = h.start();
            BulkJob job = submitHeld(h, runner, 3, "c-1", ActionType.THROTTLE, 10);

            CompletableFuture<BulkJob> cancel = runner.cancel(job.id(), "bob").toFuture();
            h.kernel.open();
            BulkJob end = cancel.get(WAIT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);

            assertEquals(BulkJob.State.CANCELLED, end.state());
            assertEquals(List.of(200L, 40L, 4L), List.of(end.total(), end.done(), end.batches()),
                    "the batch in flight finished, no other started");
            assertEquals(end, h.job(job.id()), "the answer is what is stored");
            assertEquals(40, h.kernel.size(EnforcementSet.LLM_THROTTLED_MARKS));
            assertEquals(40, h.history(job.id()).size());
            assertEquals(List.of(1L, 4L, 40L), List.of(runner.counters().cancelled(), runner.counters().batches(),
                    runner.counters().clientsActioned()));
            assertEquals(end, runner.cancel(job.id(), "bob").block(WAIT), "cancelling again answers the same");
        }
    }

    @Test
    void aScheduledJobWaitsForItsRunAtAndOneCancelledBeforeItsTimeNeverRuns() throws Exception {
        try (BulkHarness h = new BulkHarness(server, "bulk_scheduled")) {
            h.insert(clients(20, 0, "c-later"));
            h.insert(clients(5, 100, "c-now"));
            h.insert(clients(5, 200, "c-never"));
            BulkJobRunner runner = h.start();
            BulkJob later = runner.submit(circuit("c-later"), ActionType.MONITOR, null, "later", 500,
                    T0.plus(Duration.ofHours(2)), "alice").block(WAIT);
            BulkJob never = runner.submit(circuit("c-never"), ActionType.BLOCK, null, "never", 500,
                    T0.plus(Duration.ofHours(1)), "alice").block(WAIT);
            assertEquals(BulkJob.State.CANCELLED, runner.cancel(never.id(), "bob").block(WAIT).state());

            h.vts.advanceTimeBy(Duration.ofMinutes(119));
            // A job due now runs after the runner looked at the others (one job at a time, in order): they wait.
            BulkJob now = submit(runner, "c-now", ActionType.MONITOR, 500);
            h.awaitState(now.id(), BulkJob.State.DONE);
            assertEquals(BulkJob.State.SCHEDULED, h.job(later.id()).state());
            assertEquals(5, h.kernel.size(EnforcementSet.LLM_MONITORED_MARKS));

            h.vts.advanceTimeBy(Duration.ofMinutes(1));
            BulkJob done = h.awaitState(later.id(), BulkJob.State.DONE);
            assertEquals(T0.plus(Duration.ofHours(2)), done.startedAt());
            assertEquals(20L, done.done());
            assertEquals(25, h.kernel.size(EnforcementSet.LLM_MONITORED_MARKS));
            assertEquals(0, h.kernel.size(EnforcementSet.LLM_BLOCKED_MARKS), "the cancelled job never ran");
            BulkJob cancelled = h.job(never.id());
            assertEquals(BulkJob.State.CANCELLED, cancelled.state());
            assertNull(cancelled.startedAt());
            assertThrows(IllegalStateException.class, () -> runner.cancel(later.id(), "bob").block(WAIT),
                    "a finished job cannot be cancelled");
            assertThrows(BulkJobNotFoundException.class, () -> runner.cancel("no-such-job", "bob").block(WAIT));
        }
    }

    @Test
    void jobsRunOneAtATimeInTheOrderTheyWereSubmitted() throws Exception {
        try (BulkHarness h = new BulkHarness(server, "bulk_serial")) {
            h.insert(clients(30, 0, "c-a"));
            h.insert(clients(30, 100, "c-b"));
            BulkJobRunner runner = h.start();
            BulkJob a = submitHeld(h, runner, 0, "c-a", ActionType.BLOCK, 10);
            BulkJob b = submit(runner, "c-b", ActionType.BLOCK, 10);
            assertEquals(a.id(), runner.readiness().detail().get("running"));
            assertEquals(1, runner.readiness().detail().get("waiting"));
            assertEquals(BulkJob.State.SCHEDULED, h.job(b.id()).state());

            h.kernel.open();
            h.awaitState(b.id(), BulkJob.State.DONE);
            assertEquals(BulkJob.State.DONE, h.job(a.id()).state());
            List<Long> written = h.kernel.written();
            assertEquals(60, written.size());
            assertEquals(marks(30, 0), new HashSet<>(written.subList(0, 30)), "job a's clients first");
            assertEquals(marks(30, 100), new HashSet<>(written.subList(30, 60)), "then job b's");
        }
    }

    @Test
    void afterACrashMidBatchANewRunnerResumesTheJobAndActsOnlyOnTheClientsNotYetActioned() throws Exception {
        try (BulkHarness h = new BulkHarness(server, "bulk_crash")) {
            h.insert(clients(300, 0, "c-1"));
            // The crash: while saving the 126th record, the 26th of the third batch of 50 (two batches saved).
            CrashingActionLog crashing = new CrashingActionLog(new ClickHouseActionLog(h.client, h.time), 126);
            h.actions = h.manager(crashing);
            BulkJobRunner first = h.start();
            BulkJob job = submit(first, "c-1", ActionType.BLOCK, 50);
            Await.until(WAIT, crashing::crashed, "the crash");
            BulkJob left = h.awaitJob(job.id(), j -> j.batches() == 2, "two batches saved");
            assertEquals(List.of("running", 100L), List.of(left.state().label(), left.done()),
                    "the job is left running with the progress of its last saved batch");
            assertEquals(125, h.history(job.id()).size(), "half of the third batch was recorded before the crash");

            BulkJobRunner second = h.restart();
            BulkJob end = h.awaitState(job.id(), BulkJob.State.DONE);
            assertEquals(List.of(300L, 300L, 0L), List.of(end.total(), end.done(), end.failed()));
            assertEquals("resumed after restart at 100 of 300", end.error());
            List<ActionRecord> history = h.history(job.id());
            assertEquals(300, history.size(), "no client was actioned twice");
            assertEquals(marks(300, 0), history.stream().map(r -> (long) r.target().clientMark())
                    .collect(Collectors.toSet()));
            assertEquals(marks(300, 0), h.kernel.list(EnforcementSet.LLM_BLOCKED_MARKS).keySet(),
                    "the new kernel has all: 125 re-applied by reconcile, 175 by the job");
            assertEquals(List.of(1L, 175L, 1L), List.of(second.counters().resumed(),
                    second.counters().clientsActioned(), second.counters().done()));
        }
    }

    @Test
    void aStopBetweenBatchesLeavesTheJobInterruptedAndTheNextStartResumesIt() throws Exception {
        try (BulkHarness h = new BulkHarness(server, "bulk_stop")) {
            h.insert(clients(100, 0, "c-1"));
            BulkJobRunner first = h.start();
            BulkJob job = submitHeld(h, first, 2, "c-1", ActionType.ALLOW, 20);
            CompletableFuture<Void> stopping = CompletableFuture.runAsync(() -> {
                try {
                    first.stop();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            Await.until(WAIT, () -> !first.readiness().ready(), "the runner stopping");
            h.kernel.open();
            stopping.get(WAIT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);
            BulkJob stopped = h.job(job.id());
            assertEquals(BulkJob.State.INTERRUPTED, stopped.state());
            assertEquals(60L, stopped.done(), "the batch in flight finished");
            assertEquals("the daemon stopped at 60 of 100; the next start resumes it", stopped.error());

            BulkJobRunner second = h.start();
            BulkJob end = h.awaitState(job.id(), BulkJob.State.DONE);
            assertEquals(List.of(100L, 100L), List.of(end.total(), end.done()));
            assertEquals("resumed after restart at 60 of 100", end.error());
            assertEquals(100, h.history(job.id()).size());
            assertEquals(40L, second.counters().clientsActioned());
        }
    }

    @Test
    void batchesThatFailInARowFailTheJobAndTheirClientsAreRecordedAsFailed() throws Exception {
        try (BulkHarness h = new BulkHarness(server, "bulk_failing")) {
            h.insert(clients(50, 0, "c-1"));
            BulkJobRunner runner = h.start();
            h.kernel.failWith("Error: No such file or directory; did you mean table 'dhcp_inspection'?");
            BulkJob job = submit(runner, "c-1", ActionType.BLOCK, 10);
            BulkJob end = h.awaitState(job.id(), BulkJob.State.FAILED);

            assertEquals(List.of(50L, 0L, 30L, 3L), List.of(end.total(), end.done(), end.failed(), end.batches()));
            assertTrue(end.error().startsWith("3 batches failed in a row, the last: batch 3 failed: Error: No such file"),
                    end.error());
            List<ActionRecord> history = h.history(job.id());
            assertEquals(30, history.size());
            assertTrue(history.stream().allMatch(r -> r.state() == ActionRecord.State.FAILED));
            BulkCounters c = runner.counters();
            assertEquals(List.of(1L, 3L, 30L, 0L), List.of(c.failed(), c.batchFailures(), c.clientsFailed(),
                    c.clientsActioned()));
        }
    }

    @Test
    void aJobWhoseCriteriaSelectNobodyIsDoneAtOnce() throws Exception {
        try (BulkHarness h = new BulkHarness(server, "bulk_empty")) {
            BulkJobRunner runner = h.start();
            BulkJob job = submit(runner, "c-nobody", ActionType.BLOCK, 10);
            BulkJob end = h.awaitState(job.id(), BulkJob.State.DONE);
            assertEquals(List.of(0L, 0L, 0L), List.of(end.total(), end.done(), end.batches()));
            assertEquals(List.of(end), runner.jobs(10).block(WAIT));
            assertNull(runner.job("no-such-job").block(WAIT));
        }
    }
}
