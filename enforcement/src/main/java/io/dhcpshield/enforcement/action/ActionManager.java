package io.dhcpshield.enforcement.action;

import io.dhcpshield.core.mark.PacketMark;
import io.dhcpshield.core.pipeline.DenySet;
import io.dhcpshield.core.time.Time;
import io.dhcpshield.enforcement.kernel.NftResult;
import io.dhcpshield.enforcement.ruleset.EnforcementSet;
import io.dhcpshield.enforcement.ruleset.MessageTypeChain;
import io.dhcpshield.enforcement.ruleset.ThrottlingProfile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Scheduler;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * Applies the seven actions to clients: writes their marks into the kernel's action sets (many targets in one
 * transaction), records every action in the {@link ActionLog}, keeps the processor's {@link DenySet} in step with the
 * active denies, re-arms deny entries before the set timeout drops them, and undoes actions on request.
 *
 * <p>A kernel entry's timeout is the smaller of the action's duration and its set's timeout in the installed
 * profile. Deny is permanent: its entry gets the set's timeout and {@link #maintain()} (scheduled by
 * {@link #start}) writes it again once half of that has passed. One record is in force per (action, client); taking
 * the same action on the same client again supersedes the old record and refreshes the timeout.
 */
public final class ActionManager implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ActionManager.class);
    /** How often {@link #maintain()} runs at most; shorter when the deny set's timeout is under 4 minutes. */
    public static final Duration MAINTENANCE_PERIOD = Duration.ofMinutes(1);
    private static final int MAX_UNRECORDED_LOGGED = 20;

    private final KernelSets kernel;
    private final ActionLog log;
    private final DenySet denySet;
    private final AnalysisQueue analysis;
    private final Time time;
    private final Map<EnforcementSet, Long> setTimeouts = new EnumMap<>(EnforcementSet.class);
    private final ActionCounters counters = new ActionCounters();
    /** The record in force per action and client mark. */
    private final Map<ActionType, Map<Integer, ActionRecord>> inForce = new EnumMap<>(ActionType.class);
    /** Deny marks → when their kernel entry lapses unless re-armed. */
    private final Map<Integer, Instant> denyArmedUntil = new HashMap<>();
    private Disposable maintenance;
    private final Sinks.Many<ActionRecord> changes = Sinks.many().multicast().directBestEffort();

    public ActionManager(KernelSets kernel, ActionLog log, DenySet denySet, ThrottlingProfile profile,
                         AnalysisQueue analysis, Time time) {
        this.kernel = Objects.requireNonNull(kernel, "kernel");
        this.log = Objects.requireNonNull(log, "log");
        this.denySet = Objects.requireNonNull(denySet, "denySet");
        this.analysis = Objects.requireNonNull(analysis, "analysis");
        this.time = Objects.requireNonNull(time, "time");
        for (EnforcementSet s : EnforcementSet.values()) {
            setTimeouts.put(s, Objects.requireNonNull(profile, "profile").set(s).timeoutSeconds());
        }
        for (ActionType t : ActionType.values()) if (t.writesSet()) inForce.put(t, new HashMap<>());
    }

    public ActionCounters counters() { return counters; }

    /**
     * The Firewall Manager applied a ruleset: its sets' timeouts are now these (absent sets keep theirs), and a swap
     * emptied every set, so the actions in force are re-applied where their element is missing.
     */
    public synchronized ReconcileReport rulesetApplied(Map<EnforcementSet, Long> timeouts) {
        timeouts.forEach((s, t) -> {
            if (t > 0) setTimeouts.put(s, t);
        });
        return reconcile();
    }

    public AnalysisQueue analysisQueue() { return analysis; }

    /** The timeout in seconds a kernel entry of {@code type} gets: min(duration, the set's timeout); deny: the set's. */
    public long kernelTimeout(ActionType type, Duration duration) {
        EnforcementSet set = type.set().orElseThrow(() -> new IllegalArgumentException(type.label() + " writes no set"));
        long setTimeout = setTimeouts.get(set);
        if (type == ActionType.DENY || duration.isZero()) return setTimeout;
        return Math.max(1, Math.min(duration.toSeconds(), setTimeout));
    }

    /**
     * Reconciles with the kernel, then runs {@link #maintain()} periodically on {@code scheduler} (the daemon's
     * housekeeping scheduler; a virtual-time one in tests, together with a {@link Time} reading it).
     */
    public synchronized ReconcileReport start(Scheduler scheduler) {
        ReconcileReport report = reconcile();
        long denyTimeoutMs = setTimeouts.get(EnforcementSet.LLM_DENIED_MARKS) * 1000;
        long period = Math.max(1000, Math.min(MAINTENANCE_PERIOD.toMillis(), denyTimeoutMs / 4));
        maintenance = scheduler.schedulePeriodically(this::maintainQuietly, period, period, TimeUnit.MILLISECONDS);
        return report;
    }

    /**
     * Every record the manager writes (taken, superseded, expired, undone, cleared, failed), as it writes it: the
     * API pushes these to its live stream. Hot; a slow subscriber misses changes rather than slowing actions.
     */
    public Flux<ActionRecord> changes() {
        return changes.asFlux();
    }

    /** Same as {@link #apply(ActionType, List, Actor, String, Duration)} with the action's default duration. */
    public ActionOutcome apply(ActionType type, List<ActionTarget> targets, Actor actor, String reason) {
        return apply(type, targets, actor, reason, null);
    }

    /**
     * Takes one action on many clients in one kernel transaction. {@code duration} null means the action's default;
     * deny is always permanent and refuses a duration.
     */
    public synchronized ActionOutcome apply(ActionType type, List<ActionTarget> targets, Actor actor, String reason,
                                            Duration duration) {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(actor, "actor");
        if (targets.isEmpty()) return new ActionOutcome(true, List.of(), "");
        Duration d = duration == null ? type.defaultDuration() : duration;
        if (d.isNegative()) throw new IllegalArgumentException("duration must not be negative: " + d);
        if (type == ActionType.DENY && !d.isZero()) {
            throw new IllegalArgumentException("deny is permanent (duration 0); use block for a timed drop");
        }
        Instant now = time.now();
        long timeout = type.writesSet() ? kernelTimeout(type, d) : 0;
        Instant expires = type.writesSet() && type != ActionType.DENY ? now.plusSeconds(timeout) : null;
        List<ActionRecord> records = new ArrayList<>();
        List<SetChange> changes = new ArrayList<>();
        Map<Integer, Boolean> seen = new LinkedHashMap<>();
        for (ActionTarget t : targets) {
            boolean first = seen.putIfAbsent(t.clientMark(), true) == null;
            records.add(new ActionRecord(UUID.randomUUID(), type, t, actor, reason, d, timeout, now, expires,
                    type.writesSet() ? ActionRecord.State.ACTIVE : ActionRecord.State.DONE, null, "", List.of(), ""));
            if (!first) continue;
            if (type.writesSet()) {
                changes.add(SetChange.put(type.set().orElseThrow(), t.clientMark(), timeout));
            } else if (type == ActionType.CLEANUP) {
                changes.addAll(cleanupChanges(t.clientMark()));
            }
        }
        if (type == ActionType.CLEANUP) changes.sort((a, b) -> a.set().compareTo(b.set()));
        batch = new ArrayList<>();
        try {
            return applied(type, targets, actor, reason, d, timeout, now, expires, records, commit(changes));
        } finally {
            flush();
        }
    }

    private ActionOutcome applied(ActionType type, List<ActionTarget> targets, Actor actor, String reason, Duration d,
                                  long timeout, Instant now, Instant expires, List<ActionRecord> records,
                                  NftResult r) {
        if (!r.ok()) {
            List<ActionRecord> failed = new ArrayList<>();
            for (ActionRecord rec : records) {
                ActionRecord f = new ActionRecord(rec.id(), type, rec.target(), actor, reason, d, timeout, now, expires,
                        ActionRecord.State.FAILED, now, "", List.of(), r.error());
                save(f);
                failed.add(f);
            }
            LOG.error("{} of {} client(s) by {} failed: {}", type.label(), targets.size(), actor, r.error());
            return ActionOutcome.failed(r.error(), failed);
        }
        List<ActionRecord> saved = new ArrayList<>();
        for (ActionRecord rec : records) {
            ActionRecord done = switch (type) {
                case CLEANUP -> clearClient(rec, now);
                case ANALYZE -> analysis.offer(rec) ? rec
                        : rec.ended(ActionRecord.State.FAILED, now, "analysis queue full");
                default -> putInForce(rec, now);
            };
            save(done);
            saved.add(done);
        }
        counters.applied(type, (int) saved.stream().filter(s -> s.state() != ActionRecord.State.FAILED).count());
        LOG.info("{} {} client(s) by {}{}{}", type.label(), targets.size(), actor,
                type.writesSet() ? " for " + (type == ActionType.DENY ? "ever" : d) + " (kernel timeout " + timeout + " s)" : "",
                reason.isEmpty() ? "" : ": " + reason);
        return new ActionOutcome(true, saved, "");
    }

    /** Undoes an action in force (or a cleanup, restoring what it cleared that has not expired since). */
    public synchronized ActionOutcome undo(UUID id, Actor actor) {
        Optional<ActionRecord> found = log.find(id);
        if (found.isEmpty()) return ActionOutcome.failed("no action " + id, List.of());
        ActionRecord rec = found.get();
        Instant now = time.now();
        if (rec.type().writesSet()) {
            if (!rec.activeAt(now)) return ActionOutcome.failed("action " + id + " is " + stateAt(rec, now), List.of(rec));
            ActionRecord current = inForce.get(rec.type()).get(rec.target().clientMark());
            boolean holdsEntry = current != null && current.id().equals(rec.id());
            if (holdsEntry) {
                NftResult r = commit(List.of(SetChange.remove(rec.type().set().orElseThrow(), rec.target().clientMark())));
                if (!r.ok()) return ActionOutcome.failed(r.error(), List.of(rec));
                release(rec);
            }
            return undone(rec, now, actor);
        }
        if (rec.state() != ActionRecord.State.DONE) return ActionOutcome.failed("action " + id + " is " + rec.state(), List.of(rec));
        if (rec.type() == ActionType.ANALYZE) {
            analysis.remove(rec);
            return undone(rec, now, actor);
        }
        // Undo a cleanup: restore the actions it cleared that are still within their duration.
        List<ActionRecord> restore = new ArrayList<>();
        List<SetChange> changes = new ArrayList<>();
        for (UUID c : rec.cleared()) {
            log.find(c).filter(x -> x.state() == ActionRecord.State.CLEARED)
                    .filter(x -> x.expiresAt() == null || now.isBefore(x.expiresAt()))
                    .filter(x -> !inForce.get(x.type()).containsKey(x.target().clientMark()))
                    .ifPresent(x -> {
                        restore.add(x);
                        long remaining = x.expiresAt() == null ? kernelTimeout(x.type(), Duration.ZERO)
                                : Math.max(1, Duration.between(now, x.expiresAt()).toSeconds());
                        changes.add(SetChange.put(x.type().set().orElseThrow(), x.target().clientMark(), remaining));
                    });
        }
        NftResult r = commit(changes);
        if (!r.ok()) return ActionOutcome.failed(r.error(), List.of(rec));
        List<ActionRecord> out = new ArrayList<>();
        for (ActionRecord x : restore) {
            ActionRecord back = putInForce(x.reactivated(), now);
            save(back);
            out.add(back);
        }
        ActionOutcome u = undone(rec, now, actor);
        out.add(0, u.records().get(0));
        return new ActionOutcome(true, out, "");
    }

    /**
     * Expires actions past their duration and re-arms deny entries whose kernel timeout is half gone. Runs on the
     * scheduler given to {@link #start}; public so the daemon and tests can drive it.
     *
     * @return how many deny entries were re-armed
     */
    public synchronized int maintain() {
        Instant now = time.now();
        for (Map<Integer, ActionRecord> byMark : inForce.values()) {
            var it = byMark.values().iterator();
            while (it.hasNext()) {
                ActionRecord rec = it.next();
                if (rec.expiresAt() != null && !now.isBefore(rec.expiresAt())) {
                    it.remove();
                    save(rec.ended(ActionRecord.State.EXPIRED, rec.expiresAt(), Actor.SYSTEM.toString()));
                    counters.expired.increment();
                }
            }
        }
        long denyTimeout = setTimeouts.get(EnforcementSet.LLM_DENIED_MARKS);
        List<SetChange> rearm = new ArrayList<>();
        denyArmedUntil.forEach((mark, until) -> {
            if (Duration.between(now, until).toSeconds() <= denyTimeout / 2) {
                rearm.add(SetChange.put(EnforcementSet.LLM_DENIED_MARKS, mark, denyTimeout));
            }
        });
        if (rearm.isEmpty()) return 0;
        NftResult r = commit(rearm);
        if (!r.ok()) {
            LOG.error("re-arming {} deny entries failed (will retry): {}", rearm.size(), r.error());
            return 0;
        }
        for (SetChange c : rearm) denyArmedUntil.put((int) c.value(), now.plusSeconds(denyTimeout));
        counters.denyRearms.add(rearm.size());
        LOG.debug("re-armed {} deny entries for {} s", rearm.size(), denyTimeout);
        return rearm.size();
    }

    /**
     * Loads the active actions from the log, re-applies those whose kernel entry is missing (the table was
     * re-created, or the appliance restarted after an entry lapsed), fills the deny set, and reports kernel entries
     * that no active action explains. Those are logged and left in place: removing them is the operator's call.
     */
    public synchronized ReconcileReport reconcile() { return reconcile(false); }

    /**
     * @param scanForUnrecorded also read the five action sets and blocked_macs whole, to report entries no record
     *                          explains. That read costs ~38 s of kernel time per 1M-element set (the kernel's dump
     *                          walk), so the default reconcile only looks up the marks the active records hold
     *                          (~16,000 lookups/s, independent of set size) and leaves {@code unrecorded} empty and
     *                          {@code blockedMacs} at -1.
     */
    public synchronized ReconcileReport reconcile(boolean scanForUnrecorded) {
        Instant now = time.now();
        for (Map<Integer, ActionRecord> m : inForce.values()) m.clear();
        denyArmedUntil.clear();
        List<ActionRecord> active = new ArrayList<>(log.active(now));
        active.sort((a, b) -> a.at().compareTo(b.at()));
        for (ActionRecord rec : active) {
            if (!rec.type().writesSet()) continue;
            ActionRecord older = inForce.get(rec.type()).put(rec.target().clientMark(), rec);
            if (older != null) save(older.ended(ActionRecord.State.SUPERSEDED, now, rec.id().toString()));
            if (rec.type() == ActionType.DENY) denySet.add(rec.target().clientMark());
        }
        Map<EnforcementSet, Map<Long, Long>> sets = new EnumMap<>(EnforcementSet.class);
        long blockedMacs = -1;
        try {
            for (ActionType t : inForce.keySet()) {
                EnforcementSet set = t.set().orElseThrow();
                if (scanForUnrecorded) {
                    sets.put(set, kernel.list(set));
                } else {
                    List<Long> held = new ArrayList<>();
                    for (Integer m : inForce.get(t).keySet()) held.add((long) m);
                    sets.put(set, kernel.lookup(set, held));
                }
            }
            if (scanForUnrecorded) blockedMacs = kernel.list(EnforcementSet.BLOCKED_MACS).size();
        } catch (IllegalStateException e) {
            LOG.error("reconcile: cannot read the action sets: {}", e.getMessage());
            return new ReconcileReport(List.of(), List.of(), 0, e.getMessage());
        }
        List<SetChange> changes = new ArrayList<>();
        List<ActionRecord> reapplied = new ArrayList<>();
        List<ReconcileReport.UnrecordedEntry> unrecorded = new ArrayList<>();
        long denyTimeout = setTimeouts.get(EnforcementSet.LLM_DENIED_MARKS);
        inForce.forEach((type, byMark) -> {
            EnforcementSet set = type.set().orElseThrow();
            Map<Long, Long> inKernel = sets.get(set);
            byMark.forEach((mark, rec) -> {
                Long expiresIn = inKernel.get((long) mark);
                if (type == ActionType.DENY) {
                    denyArmedUntil.put(mark, now.plusSeconds(expiresIn != null ? expiresIn : denyTimeout));
                }
                if (expiresIn == null) {
                    long t = type == ActionType.DENY ? denyTimeout
                            : Math.max(1, Math.min(Duration.between(now, rec.expiresAt()).toSeconds(), setTimeouts.get(set)));
                    changes.add(SetChange.put(set, mark, t));
                    reapplied.add(rec);
                }
            });
            inKernel.forEach((value, expiresIn) -> {
                if (!byMark.containsKey((int) (value & PacketMark.CLIENT_MASK))) {
                    unrecorded.add(new ReconcileReport.UnrecordedEntry(set.setName(), (int) (long) value, expiresIn));
                }
            });
        });
        changes.sort((a, b) -> a.set().compareTo(b.set()));
        NftResult r = commit(changes);
        if (!r.ok()) {
            LOG.error("reconcile: re-applying {} actions failed: {}", reapplied.size(), r.error());
            return new ReconcileReport(List.of(), unrecorded, blockedMacs, r.error());
        }
        counters.reconcileReapplied.add(reapplied.size());
        counters.reconcileUnrecorded.add(unrecorded.size());
        LOG.info("reconcile: {} active actions, {} re-applied, {} kernel entries without a record, {} in blocked_macs",
                active.size(), reapplied.size(), unrecorded.size(), blockedMacs);
        unrecorded.stream().limit(MAX_UNRECORDED_LOGGED).forEach(u -> LOG.warn("reconcile: no action explains {}", u));
        return new ReconcileReport(reapplied, unrecorded, blockedMacs, "");
    }

    /** Every record in force now (one per action and client), newest first. */
    public synchronized List<ActionRecord> inForce() {
        List<ActionRecord> out = new ArrayList<>();
        inForce.values().forEach(m -> out.addAll(m.values()));
        out.sort(java.util.Comparator.comparing(ActionRecord::at).reversed());
        return out;
    }

    /** The record in force for this action on this client, if any. */
    public synchronized Optional<ActionRecord> inForce(ActionType type, int clientMark) {
        Map<Integer, ActionRecord> m = inForce.get(type);
        return m == null ? Optional.empty() : Optional.ofNullable(m.get(clientMark));
    }

    @Override
    public synchronized void close() {
        if (maintenance != null) maintenance.dispose();
        maintenance = null;
        changes.tryEmitComplete();
    }

    /** Records saved while {@link #apply} runs, written in one go at its end (null outside it). */
    private List<ActionRecord> batch;

    private void save(ActionRecord record) {
        if (batch != null) {
            batch.add(record);
            return;
        }
        log.save(record);
        changes.tryEmitNext(record);
    }

    /** Writes the batch of an apply (one store write for its many records) and publishes the changes. */
    private void flush() {
        List<ActionRecord> b = batch;
        batch = null;
        if (b == null || b.isEmpty()) return;
        log.saveAll(b);
        b.forEach(changes::tryEmitNext);
    }

    // ---------------------------------------------------------------- internals

    private void maintainQuietly() {
        try {
            maintain();
        } catch (RuntimeException e) {
            LOG.error("action maintenance failed", e);
        }
    }

    private NftResult commit(List<SetChange> changes) {
        if (changes.isEmpty()) return new NftResult(0, "", "");
        counters.kernelTransactions.increment();
        NftResult r = kernel.commit(changes);
        if (!r.ok()) counters.kernelFailures.increment();
        return r;
    }

    /** Cleanup: the client leaves the five action sets, blocked_macs, and tracked_marks under every inbound type. */
    private static List<SetChange> cleanupChanges(int mark) {
        List<SetChange> out = new ArrayList<>();
        for (ActionType t : ActionType.values()) t.set().ifPresent(s -> out.add(SetChange.remove(s, mark)));
        out.add(SetChange.remove(EnforcementSet.BLOCKED_MACS, mark));
        out.add(SetChange.remove(EnforcementSet.TRACKED_MARKS, mark)); // default_enforce_chain keys the bare mark
        for (MessageTypeChain c : MessageTypeChain.inbound()) {
            out.add(SetChange.remove(EnforcementSet.TRACKED_MARKS, c.typeBits() | mark));
        }
        return out;
    }

    private ActionRecord putInForce(ActionRecord rec, Instant now) {
        int mark = rec.target().clientMark();
        ActionRecord older = inForce.get(rec.type()).put(mark, rec);
        if (older != null && !older.id().equals(rec.id())) {
            save(older.ended(ActionRecord.State.SUPERSEDED, now, rec.id().toString()));
        }
        if (rec.type() == ActionType.DENY) {
            denySet.add(mark);
            denyArmedUntil.put(mark, now.plusSeconds(setTimeouts.get(EnforcementSet.LLM_DENIED_MARKS)));
        }
        return rec;
    }

    private void release(ActionRecord rec) {
        int mark = rec.target().clientMark();
        inForce.get(rec.type()).remove(mark);
        if (rec.type() == ActionType.DENY) {
            denySet.remove(mark);
            denyArmedUntil.remove(mark);
        }
    }

    private ActionRecord clearClient(ActionRecord cleanup, Instant now) {
        int mark = cleanup.target().clientMark();
        List<UUID> cleared = new ArrayList<>();
        for (Map<Integer, ActionRecord> byMark : inForce.values()) {
            ActionRecord rec = byMark.get(mark);
            if (rec == null) continue;
            release(rec);
            save(rec.ended(ActionRecord.State.CLEARED, now, cleanup.id().toString()));
            cleared.add(rec.id());
        }
        denySet.remove(mark); // authoritative even for a deny applied behind our back
        return new ActionRecord(cleanup.id(), cleanup.type(), cleanup.target(), cleanup.actor(), cleanup.reason(),
                cleanup.duration(), 0, cleanup.at(), null, ActionRecord.State.DONE, null, "", cleared, "");
    }

    private ActionOutcome undone(ActionRecord rec, Instant now, Actor actor) {
        ActionRecord u = rec.ended(ActionRecord.State.UNDONE, now, actor.toString());
        save(u);
        counters.undone.increment();
        LOG.info("undo {} of {} by {}", rec.type().label(), rec.target(), actor);
        return new ActionOutcome(true, List.of(u), "");
    }

    private static String stateAt(ActionRecord rec, Instant now) {
        return rec.state() == ActionRecord.State.ACTIVE ? "expired" : rec.state().name().toLowerCase(java.util.Locale.ROOT);
    }
}
