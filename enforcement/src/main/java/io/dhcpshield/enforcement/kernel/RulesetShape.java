package io.dhcpshield.enforcement.kernel;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dhcpshield.enforcement.ruleset.Ruleset;
import io.dhcpshield.enforcement.ruleset.RulesetJson;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The shape of {@code inet dhcp_inspection} in the kernel — its chains with their hooks and rules, its sets' and
 * counters' declarations — without anything that changes while it runs (set elements, counter values): listed
 * terse and stateless, so reading it costs no set dump. Two shapes are equal when nobody added, removed or edited a
 * chain, rule or set; the daemon compares the kernel's shape with the one it installed to notice drift.
 *
 * @param chains chain name → its rules as nft JSON (handles removed), in order
 * @param others every other object (sets, counters, limits) by kind and name → declaration
 */
public record RulesetShape(Map<String, String> chains, Map<String, String> others) {

    public RulesetShape {
        chains = Map.copyOf(chains);
        others = Map.copyOf(others);
    }

    /** Reads the table's shape; throws with the kernel's text when it is missing. */
    public static RulesetShape read() {
        try (Nftables nft = new Nftables(LibNftables.NFT_CTX_OUTPUT_TERSE | LibNftables.NFT_CTX_OUTPUT_STATELESS)) {
            NftResult r = nft.run("list table inet " + Ruleset.TABLE);
            if (!r.ok()) {
                throw new IllegalStateException("list table inet " + Ruleset.TABLE + ": " + r.error());
            }
            return parse(r.output());
        }
    }

    static RulesetShape parse(String json) {
        Map<String, StringBuilder> chains = new LinkedHashMap<>();
        Map<String, String> others = new LinkedHashMap<>();
        try {
            for (JsonNode item : RulesetJson.MAPPER.readTree(json).path("nftables")) {
                var it = item.fields();
                if (!it.hasNext()) {
                    continue;
                }
                var e = it.next();
                String kind = e.getKey();
                JsonNode body = e.getValue().deepCopy();
                if (body instanceof ObjectNode o) {
                    o.remove("handle");
                    // Named counters and quotas list their values even in stateless output: state, not shape.
                    o.remove(java.util.List.of("packets", "bytes", "used"));
                }
                switch (kind) {
                    case "metainfo", "table" -> {
                    }
                    case "chain" -> chains.computeIfAbsent(body.path("name").asText(), k -> new StringBuilder())
                            .insert(0, body + "\n");
                    case "rule" -> chains.computeIfAbsent(body.path("chain").asText(), k -> new StringBuilder())
                            .append(body.path("expr")).append('\n');
                    default -> others.put(kind + " " + body.path("name").asText(), body.toString());
                }
            }
        } catch (IOException ex) {
            throw new IllegalStateException("unreadable nft JSON: " + ex.getMessage(), ex);
        }
        Map<String, String> c = new LinkedHashMap<>();
        chains.forEach((k, v) -> c.put(k, v.toString()));
        return new RulesetShape(c, others);
    }

    /** What differs from {@code installed}, in a few words ("" when nothing): the chains and objects by name. */
    public String differencesFrom(RulesetShape installed) {
        Objects.requireNonNull(installed, "installed");
        StringBuilder sb = new StringBuilder();
        diff(sb, "chain", installed.chains, chains);
        diff(sb, "", installed.others, others);
        return sb.toString().strip();
    }

    private static void diff(StringBuilder sb, String what, Map<String, String> before, Map<String, String> now) {
        for (var e : before.entrySet()) {
            String n = now.get(e.getKey());
            String name = (what.isEmpty() ? "" : what + " ") + e.getKey();
            if (n == null) {
                sb.append(name).append(" missing; ");
            } else if (!n.equals(e.getValue())) {
                sb.append(name).append(" changed; ");
            }
        }
        for (String k : now.keySet()) {
            if (!before.containsKey(k)) {
                sb.append(what.isEmpty() ? "" : what + " ").append(k).append(" added; ");
            }
        }
    }
}
