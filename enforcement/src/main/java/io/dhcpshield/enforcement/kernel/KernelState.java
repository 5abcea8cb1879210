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

    /** @throws IllegalStateException with the kernel's text when the table is missing */
    public static KernelState read(Nftables nft) {
        Map<String, Counter> counters = new LinkedHashMap<>();
        for (JsonNode item : items(nft, "list counters table " + Ruleset.FAMILY + " " + Ruleset.TABLE)) {
            JsonNode c = item.get("counter");
            if (c != null) counters.put(c.get("name").asText(), new Counter(c.path("packets").asLong(), c.path("bytes").asLong()));
        }
        Map<String, SetState> sets = new LinkedHashMap<>();
        for (EnforcementSet s : EnforcementSet.values()) {
            for (JsonNode item : items(nft, "list set " + Ruleset.FAMILY + " " + Ruleset.TABLE + " " + s.setName())) {
                JsonNode set = item.get("set");
                if (set != null) {
                    sets.put(s.setName(), new SetState(set.path("elem").size(), set.path("size").asLong(),
                            set.path("timeout").asLong()));
                }
            }
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
