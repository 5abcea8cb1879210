package io.dhcpshield.automation.rules;

import io.dhcpshield.enforcement.action.KernelSets;
import io.dhcpshield.enforcement.action.SetChange;
import io.dhcpshield.enforcement.kernel.NftResult;
import io.dhcpshield.enforcement.ruleset.EnforcementSet;

import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;

/** The kernel's sets in memory (element → timeout in seconds), for a real Action Manager in tests. */
final class MemoryKernelSets implements KernelSets {

    private final Map<EnforcementSet, Map<Long, Long>> sets = new EnumMap<>(EnforcementSet.class);

    MemoryKernelSets() {
        for (EnforcementSet s : EnforcementSet.values()) sets.put(s, new LinkedHashMap<>());
    }

    @Override
    public synchronized NftResult commit(java.util.List<SetChange> changes) {
        for (SetChange c : changes) {
            if (c.op() == SetChange.Op.PUT) sets.get(c.set()).put(c.value(), c.timeout());
            else sets.get(c.set()).remove(c.value());
        }
        return new NftResult(0, "", "");
    }

    @Override
    public synchronized Map<Long, Long> list(EnforcementSet set) {
        return new LinkedHashMap<>(sets.get(set));
    }

    synchronized boolean contains(EnforcementSet set, int mark) {
        return sets.get(set).containsKey((long) mark);
    }

    synchronized int size(EnforcementSet set) {
        return sets.get(set).size();
    }
}
