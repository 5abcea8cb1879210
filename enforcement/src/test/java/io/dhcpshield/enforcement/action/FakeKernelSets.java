package io.dhcpshield.enforcement.action;

import io.dhcpshield.core.time.Time;
import io.dhcpshield.enforcement.kernel.NftResult;
import io.dhcpshield.enforcement.ruleset.EnforcementSet;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Kernel sets in memory with element expiry on the mock clock; counts transactions and can fail the next one. */
final class FakeKernelSets implements KernelSets {
    final Map<EnforcementSet, Map<Long, Long>> expiresAtMs = new EnumMap<>(EnforcementSet.class);
    final List<List<SetChange>> transactions = new ArrayList<>();
    private final Time time;
    String failNext;
    boolean tableMissing;

    FakeKernelSets(Time time) {
        this.time = time;
        for (EnforcementSet s : EnforcementSet.values()) expiresAtMs.put(s, new HashMap<>());
    }

    @Override
    public NftResult commit(List<SetChange> changes) {
        if (failNext != null) {
            String e = failNext;
            failNext = null;
            return new NftResult(1, "", e);
        }
        transactions.add(List.copyOf(changes));
        for (SetChange c : changes) {
            if (c.op() == SetChange.Op.PUT) expiresAtMs.get(c.set()).put(c.value(), time.milliseconds() + c.timeout() * 1000);
            else expiresAtMs.get(c.set()).remove(c.value());
        }
        return new NftResult(0, "", "");
    }

    @Override
    public Map<Long, Long> list(EnforcementSet set) {
        if (tableMissing) throw new IllegalStateException("list set: No such file or directory");
        Map<Long, Long> out = new LinkedHashMap<>();
        expiresAtMs.get(set).forEach((v, exp) -> {
            if (exp > time.milliseconds()) out.put(v, (exp - time.milliseconds()) / 1000);
        });
        return out;
    }

    /** Seconds left for {@code value} in {@code set}, or -1 when absent or expired. */
    long remaining(EnforcementSet set, long value) {
        Long exp = expiresAtMs.get(set).get(value);
        return exp == null || exp <= time.milliseconds() ? -1 : (exp - time.milliseconds()) / 1000;
    }

    /** A re-created table: every set empty. */
    void recreate() { expiresAtMs.values().forEach(Map::clear); }
}
