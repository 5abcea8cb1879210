package io.dhcpshield.enforcement.action;

import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/** The Action Manager's named counters: actions applied per type, kernel transactions, failures, re-arms. */
public final class ActionCounters {
    private final Map<ActionType, LongAdder> applied = new EnumMap<>(ActionType.class);
    final LongAdder kernelTransactions = new LongAdder();
    final LongAdder kernelFailures = new LongAdder();
    final LongAdder denyRearms = new LongAdder();
    final LongAdder undone = new LongAdder();
    final LongAdder expired = new LongAdder();
    final LongAdder reconcileReapplied = new LongAdder();
    final LongAdder reconcileUnrecorded = new LongAdder();

    ActionCounters() {
        for (ActionType t : ActionType.values()) applied.put(t, new LongAdder());
    }

    void applied(ActionType t, int n) { applied.get(t).add(n); }

    public long applied(ActionType t) { return applied.get(t).sum(); }
    public long kernelTransactions() { return kernelTransactions.sum(); }
    public long kernelFailures() { return kernelFailures.sum(); }
    public long denyRearms() { return denyRearms.sum(); }

    /** Every counter by name ({@code actions_block}, ..., {@code kernel_transactions}). */
    public Map<String, Long> snapshot() {
        Map<String, Long> m = new LinkedHashMap<>();
        applied.forEach((t, v) -> m.put("actions_" + t.label(), v.sum()));
        m.put("kernel_transactions", kernelTransactions.sum());
        m.put("kernel_failures", kernelFailures.sum());
        m.put("deny_rearms", denyRearms.sum());
        m.put("actions_undone", undone.sum());
        m.put("actions_expired", expired.sum());
        m.put("reconcile_reapplied", reconcileReapplied.sum());
        m.put("reconcile_unrecorded", reconcileUnrecorded.sum());
        return m;
    }
}
