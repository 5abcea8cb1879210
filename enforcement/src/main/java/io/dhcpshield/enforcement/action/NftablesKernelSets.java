package io.dhcpshield.enforcement.action;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dhcpshield.enforcement.kernel.NftNetlink;
import io.dhcpshield.enforcement.kernel.NftResult;
import io.dhcpshield.enforcement.kernel.Nftables;
import io.dhcpshield.enforcement.ruleset.EnforcementSet;
import io.dhcpshield.enforcement.ruleset.Ruleset;
import io.dhcpshield.enforcement.ruleset.RulesetJson;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * {@link KernelSets} through libnftables JSON on {@code inet dhcp_inspection}. A plain {@code add element} leaves an
 * existing element's timeout alone, so PUT is {@code add; delete; add} (the last add carries the fresh timeout) and
 * REMOVE is {@code add; delete} (no ENOENT when the element already expired). Consecutive changes of the same kind
 * on the same set share one command per step, so a batch of N targets costs three commands, not 3N.
 */
public final class NftablesKernelSets implements KernelSets {
    private final Nftables nft;
    private final NftNetlink netlink = new NftNetlink(Ruleset.TABLE);

    public NftablesKernelSets(Nftables nft) { this.nft = Objects.requireNonNull(nft, "nft"); }

    @Override
    public NftResult commit(List<SetChange> changes) {
        if (changes.isEmpty()) return new NftResult(0, "", "");
        return nft.run(RulesetJson.compact(batch(changes)));
    }

    /** The libnftables JSON transaction for {@code changes}. */
    public static ObjectNode batch(List<SetChange> changes) {
        ObjectNode root = RulesetJson.MAPPER.createObjectNode();
        ArrayNode cmds = root.putArray("nftables");
        int i = 0;
        while (i < changes.size()) {
            SetChange first = changes.get(i);
            int j = i;
            Map<Long, Long> run = new LinkedHashMap<>();
            while (j < changes.size() && changes.get(j).op() == first.op() && changes.get(j).set() == first.set()) {
                run.put(changes.get(j).value(), changes.get(j).timeout()); // last timeout for a key wins
                j++;
            }
            cmds.add(command("add", first.set(), run, true));
            cmds.add(command("delete", first.set(), run, false));
            if (first.op() == SetChange.Op.PUT) cmds.add(command("add", first.set(), run, true));
            i = j;
        }
        return root;
    }

    private static ObjectNode command(String verb, EnforcementSet set, Map<Long, Long> elems, boolean withTimeout) {
        ObjectNode cmd = RulesetJson.MAPPER.createObjectNode();
        ObjectNode el = cmd.putObject(verb).putObject("element");
        el.put("family", Ruleset.FAMILY).put("table", Ruleset.TABLE).put("name", set.setName());
        ArrayNode arr = el.putArray("elem");
        elems.forEach((value, timeout) -> {
            if (withTimeout && timeout > 0) {
                arr.addObject().putObject("elem").put("val", value).put("timeout", timeout);
            } else {
                arr.add(value);
            }
        });
        return cmd;
    }

    /**
     * The whole set through one netlink dump ({@link NftNetlink#dump}), not libnftables: nftables 1.0.6 loads
     * the elements of every set of the table for any listing, and renders them as JSON. For a 1M-element set the
     * kernel's dump walk still costs ~38 s (docs/performance.md), so reconcile uses {@link #lookup} instead.
     */
    @Override
    public Map<Long, Long> list(EnforcementSet set) {
        return netlink.dump(set.setName());
    }

    /** One netlink GET per key, batched; cost follows the number of keys, not the size of the set. */
    @Override
    public Map<Long, Long> lookup(EnforcementSet set, Collection<Long> keys) {
        return netlink.lookup(set.setName(), keys);
    }

    /** The libnftables JSON read ({@code list set}), kept for comparison in {@code ReadSetBench}. */
    public Map<Long, Long> listJson(EnforcementSet set) {
        String cmd = "list set " + Ruleset.FAMILY + " " + Ruleset.TABLE + " " + set.setName();
        NftResult r = nft.run(cmd);
        if (!r.ok()) throw new IllegalStateException(cmd + ": " + r.error());
        Map<Long, Long> out = new LinkedHashMap<>();
        try {
            for (JsonNode item : RulesetJson.MAPPER.readTree(r.output()).path("nftables")) {
                JsonNode s = item.get("set");
                if (s == null) continue;
                for (JsonNode e : s.path("elem")) {
                    JsonNode inner = e.path("elem");
                    if (inner.isObject()) {
                        out.put(inner.path("val").asLong(), inner.path("expires").asLong(s.path("timeout").asLong()));
                    } else {
                        out.put(e.asLong(), s.path("timeout").asLong());
                    }
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException(cmd + ": unreadable JSON", e);
        }
        return out;
    }

    /** Every set the manager writes, for callers that need to list them all. */
    static List<EnforcementSet> actionSets() {
        List<EnforcementSet> out = new ArrayList<>();
        for (ActionType t : ActionType.values()) t.set().ifPresent(out::add);
        return out;
    }
}
