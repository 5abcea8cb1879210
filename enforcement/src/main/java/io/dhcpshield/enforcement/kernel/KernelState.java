package io.dhcpshield.enforcement.kernel;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import io.dhcpshield.enforcement.ruleset.EnforcementSet;
import io.dhcpshield.enforcement.ruleset.Ruleset;
import io.dhcpshield.enforcement.ruleset.RulesetJson;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

/** Every named counter and every set's element count, read from the kernel as JSON. */
public record KernelState(@JsonProperty("counters") Map<String, Counter> counters,
                          @JsonProperty("sets") Map<String, SetState> sets,
                          @JsonProperty("xt_queue_installed") boolean xtQueueInstalled) {

    public record Counter(@JsonProperty("packets") long packets, @JsonProperty("bytes") long bytes) {}

    public record SetState(@JsonProperty("elements") long elements, @JsonProperty("size") long size,
                           @JsonProperty("timeout_seconds") long timeoutSeconds) {}

    public long packets(String counter) {
        Counter c = counters.get(counter);
        return c == null ? -1 : c.packets();
    }

    public long elements(String set) {
        SetState s = sets.get(set);
        return s == null ? -1 : s.elements();
    }

    /** {@link #read(Nftables, boolean)} with element counts. */
    public static KernelState read(Nftables nft) { return read(nft, true); }

    /**
     * Counters, set sizes and timeouts come over netlink ({@link NftNetlink}): nftables 1.0.6 would load the
     * elements of every set for any listing, even {@code list counters}, which takes minutes with 1M-element sets.
     *
     * @param countElements dump each set to count its elements (costs ~38 s of kernel time per 1M-element set);
     *                      false gives -1 for every count
     * @throws IllegalStateException with the kernel's text when the table is missing
     */
    public static KernelState read(Nftables nft, boolean countElements) {
        NftNetlink netlink = new NftNetlink(Ruleset.TABLE);
        Map<String, Counter> counters = new LinkedHashMap<>();
        netlink.counters().forEach((name, pb) -> counters.put(name, new Counter(pb[0], pb[1])));
        if (counters.isEmpty()) netlink.setSpec(EnforcementSet.BLOCKED_MACS.setName()); // throws when the table is gone
        Map<String, SetState> sets = new LinkedHashMap<>();
        for (EnforcementSet s : EnforcementSet.values()) {
            long[] spec = netlink.setSpec(s.setName());
            long n = countElements ? netlink.dump(s.setName()).size() : -1;
            sets.put(s.setName(), new SetState(n, spec[0], spec[1]));
        }
        return new KernelState(counters, sets, XtQueueRules.installed());
    }

    static Iterable<JsonNode> items(Nftables nft, String cmd) {
        NftResult r = nft.run(cmd);
        if (!r.ok()) throw new IllegalStateException(cmd + ": " + r.error());
        try {
            return RulesetJson.MAPPER.readTree(r.output()).path("nftables");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
