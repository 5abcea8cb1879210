package io.dhcpshield.enforcement.action;

import io.dhcpshield.core.time.Time;
import io.dhcpshield.core.pipeline.DenySet;
import io.dhcpshield.enforcement.kernel.KernelState;
import io.dhcpshield.enforcement.kernel.NftResult;
import io.dhcpshield.enforcement.kernel.Nftables;
import io.dhcpshield.enforcement.ruleset.EnforcementSet;
import io.dhcpshield.enforcement.ruleset.ThrottlingProfile;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * bench/enforcement/reconcile.sh: run inside a namespace with the medium profile installed. llm_blocked_marks holds
 * 910,000 elements: 900,000 nobody recorded plus 10,000 blocks of the Action Manager (the add;delete;add of a
 * 1,000-target batch needs headroom below the set's 1,000,000 cap while the transaction is open). Times reconcile (lookups of
 * the held marks) with everything present and after the 10,000 vanished, the full scan, KernelState, and the
 * libnftables reads it replaced.
 */
public final class ReconcileBench {
    static final int HELD = 10_000, FOREIGN = 900_000;

    public static void main(String[] args) throws Exception {
        boolean slow = args.length > 0 && args[0].equals("--with-full-reads");
        try (Nftables nft = new Nftables()) {
            NftablesKernelSets sets = new NftablesKernelSets(nft);
            InMemoryActionLog log = new InMemoryActionLog();
            loadForeign(nft);
            ActionManager m = manager(sets, log);
            for (int i = 0; i < HELD; i += 1000) {
                List<ActionTarget> t = new ArrayList<>();
                for (int j = i; j < i + 1000; j++) t.add(ActionTarget.mark(1 + j));
                ActionOutcome o = m.apply(ActionType.BLOCK, t, Actor.user("bench"), "");
                if (!o.ok()) throw new IllegalStateException(o.error());
            }
            time("reconcile (lookups), 10,000 held, all present", () -> manager(sets, log).reconcile().reapplied().size() + " re-applied");
            time("KernelState.read without counts (netlink counters + set specs)", () -> KernelState.read(nft, false).counters().size() + " counters");
            time("lookup 10,000 held marks (netlink GET, batched)", () -> {
                List<Long> keys = new ArrayList<>();
                for (int j = 0; j < HELD; j++) keys.add(1L + j);
                return sets.lookup(EnforcementSet.LLM_BLOCKED_MARKS, keys).size() + " present";
            });
            time("list set, netlink dump (no libnftables)", () -> sets.list(EnforcementSet.LLM_BLOCKED_MARKS).size() + " elements");
            if (slow) {
                time("list set, libnftables JSON (old path)", () -> sets.listJson(EnforcementSet.LLM_BLOCKED_MARKS).size() + " elements");
                time("list counters, libnftables JSON (old KernelState path)", () -> nft.run("list counters table inet dhcp_inspection").output().length() + " bytes");
                time("reconcile(true): full scan of 5 action sets + blocked_macs", () -> manager(sets, log).reconcile(true).unrecorded().size() + " unrecorded");
            }
            // The table re-created: the held marks are gone, the foreign ones come back.
            run(nft, "flush set inet dhcp_inspection llm_blocked_marks");
            Thread.sleep(2000); // flushed elements are freed asynchronously
            loadForeign(nft);
            time("reconcile (lookups), 10,000 held, all missing -> re-applied", () -> manager(sets, log).reconcile().reapplied().size() + " re-applied");
            time("reconcile (lookups) again, all present", () -> manager(sets, log).reconcile().reapplied().size() + " re-applied");
            run(nft, "flush set inet dhcp_inspection llm_blocked_marks");
        }
    }

    static ActionManager manager(KernelSets sets, ActionLog log) {
        return new ActionManager(sets, log, new DenySet(), ThrottlingProfile.dualstack("medium"), new AnalysisQueue(1), Time.SYSTEM);
    }

    static void loadForeign(Nftables nft) {
        for (int i = 0; i < FOREIGN; i += 50_000) {
            int end = Math.min(i + 50_000, FOREIGN);
            StringBuilder sb = new StringBuilder("add element inet dhcp_inspection llm_blocked_marks { ");
            for (int j = i; j < end; j++) sb.append(0x200000 + j).append(j + 1 < end ? ", " : " }");
            run(nft, sb.toString());
        }
    }

    static void run(Nftables nft, String cmd) {
        NftResult r = nft.run(cmd);
        if (!r.ok()) throw new IllegalStateException(r.error());
    }

    static void time(String what, Supplier<String> f) {
        long t0 = System.nanoTime();
        String result = f.get();
        System.out.printf("| %s | %.3f | %s |%n", what, (System.nanoTime() - t0) / 1e9, result);
    }
}
