package io.dhcpshield.enforcement.action;

import io.dhcpshield.core.time.Time;
import io.dhcpshield.core.pipeline.DenySet;
import io.dhcpshield.enforcement.kernel.NftResult;
import io.dhcpshield.enforcement.kernel.Nftables;
import io.dhcpshield.enforcement.ruleset.EnforcementSet;
import io.dhcpshield.enforcement.ruleset.ThrottlingProfile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * bench/enforcement: run inside a namespace with the medium profile installed. (1) 10,000 block actions through the
 * Action Manager in batches → actions/s; (2) 1,000,000 marks into llm_blocked_marks with plain add commands →
 * seconds and the kernel memory delta (/proc/meminfo Slab and MemAvailable).
 */
public final class ActionBench {
    public static void main(String[] args) throws Exception {
        try (Nftables nft = new Nftables()) {
            NftablesKernelSets sets = new NftablesKernelSets(nft);
            for (int batch : new int[] {1, 100, 1000, 10_000}) {
                nft.run("flush set inet dhcp_inspection llm_blocked_marks");
                ActionManager m = new ActionManager(sets, new InMemoryActionLog(), new DenySet(),
                        ThrottlingProfile.dualstack("medium"), new AnalysisQueue(1), Time.SYSTEM);
                int n = batch == 1 ? 1000 : 10_000;
                long t0 = System.nanoTime();
                for (int i = 0; i < n; i += batch) {
                    List<ActionTarget> targets = new ArrayList<>(batch);
                    for (int j = i; j < i + batch; j++) targets.add(ActionTarget.mark(0x100000 + j));
                    ActionOutcome o = m.apply(ActionType.BLOCK, targets, Actor.user("bench"), "");
                    if (!o.ok()) throw new IllegalStateException(o.error());
                }
                double s = (System.nanoTime() - t0) / 1e9;
                long inKernel = sets.list(EnforcementSet.LLM_BLOCKED_MARKS).size();
                System.out.printf("actions batch=%d n=%d seconds=%.3f actions_per_s=%.0f transactions=%d in_set=%d%n",
                        batch, n, s, n / s, m.counters().kernelTransactions(), inKernel);
            }
            nft.run("flush set inet dhcp_inspection llm_blocked_marks");
            System.gc();
            long[] before = meminfo();
            int total = 1_000_000;
            int chunk = 50_000;
            long t0 = System.nanoTime();
            for (int i = 0; i < total; i += chunk) {
                StringBuilder sb = new StringBuilder("add element inet dhcp_inspection llm_blocked_marks { ");
                for (int j = i; j < i + chunk; j++) sb.append(j).append(j + 1 < i + chunk ? ", " : " }");
                NftResult r = nft.run(sb.toString());
                if (!r.ok()) throw new IllegalStateException(r.error());
            }
            double s = (System.nanoTime() - t0) / 1e9;
            Thread.sleep(500);
            long[] after = meminfo();
            long t1 = System.nanoTime();
            int listed = sets.list(EnforcementSet.LLM_BLOCKED_MARKS).size();
            double listS = (System.nanoTime() - t1) / 1e9;
            System.out.printf("load marks=%d chunk=%d seconds=%.2f marks_per_s=%.0f slab_delta_kib=%d memavailable_delta_kib=%d"
                            + " bytes_per_mark=%.0f listed=%d list_seconds=%.2f%n", total, chunk, s, total / s,
                    after[0] - before[0], before[1] - after[1], (after[0] - before[0]) * 1024.0 / total, listed, listS);
            long t2 = System.nanoTime();
            nft.run("flush set inet dhcp_inspection llm_blocked_marks");
            System.out.printf("flush seconds=%.2f%n", (System.nanoTime() - t2) / 1e9);
        }
    }

    /** {Slab, MemAvailable} in KiB. */
    static long[] meminfo() throws Exception {
        long slab = 0;
        long avail = 0;
        for (String l : Files.readAllLines(Path.of("/proc/meminfo"))) {
            String[] f = l.split("\\s+");
            if (f[0].equals("Slab:")) slab = Long.parseLong(f[1]);
            if (f[0].equals("MemAvailable:")) avail = Long.parseLong(f[1]);
        }
        return new long[] {slab, avail};
    }
}
