package io.dhcpshield.enforcement.action;

import io.dhcpshield.enforcement.kernel.NftResult;
import io.dhcpshield.enforcement.ruleset.EnforcementSet;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The Action Manager's view of the kernel: element changes in one transaction, and a set's elements read back. */
public interface KernelSets {
    /** Applies every change in one transaction: all or nothing, in list order. */
    NftResult commit(List<SetChange> changes);

    /**
     * The elements of {@code set}: key → seconds until it expires.
     *
     * @throws IllegalStateException with the kernel's text when the table or set is missing
     */
    Map<Long, Long> list(EnforcementSet set);

    /**
     * The elements of {@code set} among {@code keys} (key → seconds until it expires); absent keys are left out.
     * Cheap where {@link #list} is not: its cost follows the number of keys, not the size of the set.
     *
     * @throws IllegalStateException with the kernel's text when the table or set is missing
     */
    default Map<Long, Long> lookup(EnforcementSet set, Collection<Long> keys) {
        Map<Long, Long> all = list(set), out = new LinkedHashMap<>();
        for (Long k : keys) {
            Long v = all.get(k);
            if (v != null) out.put(k, v);
        }
        return out;
    }
}
