package io.dhcpshield.automation.analysis;

import io.dhcpshield.enforcement.action.KernelSets;
import io.dhcpshield.enforcement.action.SetChange;
import io.dhcpshield.enforcement.kernel.NftResult;
import io.dhcpshield.enforcement.ruleset.EnforcementSet;

import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The kernel's action sets in memory (no expiry): what a real Action Manager writes in these tests. */
final class MemoryKernelSets implements KernelSets {

    private final Map<EnforcementSet, Map<Long, Long>> sets = new EnumMap<>(EnforcementSet.class);

    MemoryKernelSets() {
        for (EnforcementSet s : EnforcementSet.values()) {
            sets.put(s, new LinkedHashMap<>());
        }
    }

    @Override
    public synchronized NftResult commit(List<SetChange> changes) {
        for (SetChange c : changes) {
            if (c.op() == SetChange.Op.PUT) {
                sets.get(c.set()).put(c.value(), c.timeout());
            } else {
                sets.get(c.set()).remove(c.value());
            }
        }
        return new NftResult(0, "", "");
    }

    @Override
    public synchronized Map<Long, Long> list(EnforcementSet set) {
        return new LinkedHashMap<>(sets.get(set));
    }

    synchronized boolean contains(EnforcementSet set, int clientMark) {
        return sets.get(set).containsKey((long) clientMark);
    }
}
