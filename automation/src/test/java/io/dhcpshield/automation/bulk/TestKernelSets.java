package io.dhcpshield.automation.bulk;

import io.dhcpshield.enforcement.action.KernelSets;
import io.dhcpshield.enforcement.action.SetChange;
import io.dhcpshield.enforcement.kernel.NftResult;
import io.dhcpshield.enforcement.ruleset.EnforcementSet;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The kernel's sets in memory for a real Action Manager, with the controls the bulk tests need: a gate that holds
 * every transaction after the first {@code n} until it opens (to catch a job between batches), a failure mode, and
 * the order in which marks were written.
 */
final class TestKernelSets implements KernelSets {

    private final Map<EnforcementSet, Map<Long, Long>> sets = new EnumMap<>(EnforcementSet.class);
    private final List<Long> written = new ArrayList<>();
    private int commits;
    private int passBeforeHold = Integer.MAX_VALUE;
    private int held;
    private String failWith;

    TestKernelSets() {
        for (EnforcementSet s : EnforcementSet.values()) sets.put(s, new LinkedHashMap<>());
    }

    @Override
    public NftResult commit(List<SetChange> changes) {
        synchronized (this) {
            commits++;
            int mine = commits;
            held++;
            while (mine > passBeforeHold) {
                try {
                    wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted at the gate");
                }
            }
            held--;
            if (failWith != null) return new NftResult(1, "", failWith);
            for (SetChange c : changes) {
                if (c.op() == SetChange.Op.PUT) {
                    sets.get(c.set()).put(c.value(), c.timeout());
                    written.add(c.value());
                } else {
                    sets.get(c.set()).remove(c.value());
                }
            }
            return new NftResult(0, "", "");
        }
    }

    @Override
    public synchronized Map<Long, Long> list(EnforcementSet set) {
        return new LinkedHashMap<>(sets.get(set));
    }

    /** Transactions after the next {@code n} wait at the gate until {@link #open()}. */
    synchronized void holdAfter(int n) {
        passBeforeHold = commits + n;
    }

    synchronized void open() {
        passBeforeHold = Integer.MAX_VALUE;
        notifyAll();
    }

    /** Transactions waiting at the gate now. */
    synchronized int waiting() {
        return held;
    }

    /** Every transaction from now on fails with {@code error}. */
    synchronized void failWith(String error) {
        failWith = error;
    }

    synchronized int size(EnforcementSet set) {
        return sets.get(set).size();
    }

    synchronized boolean contains(EnforcementSet set, int mark) {
        return sets.get(set).containsKey((long) mark);
    }

    /** Marks in the order transactions wrote them. */
    synchronized List<Long> written() {
        return List.copyOf(written);
    }
}
