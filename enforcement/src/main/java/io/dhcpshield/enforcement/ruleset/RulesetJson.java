package io.dhcpshield.enforcement.ruleset;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.UncheckedIOException;

/**
 * Renders a {@link Ruleset} to libnftables JSON: as an {@code nft -j list} style export (the nft-config files) or
 * as one install batch that replaces only {@code inet dhcp_inspection} ({@code add table; delete table; add ...}:
 * the add makes the delete safe on a host without the table, and the whole batch is one kernel transaction).
 */
public final class RulesetJson {
    public static final ObjectMapper MAPPER = new ObjectMapper();

    private RulesetJson() {}

    /** The {@code nft -j list table} shape, without handles: loadable with {@code nft -j -f}. */
    public static ObjectNode export(Ruleset r) {
        ObjectNode root = Nft.F.objectNode();
        ArrayNode items = root.putArray("nftables");
        items.addObject().putObject("metainfo").put("json_schema_version", 1);
        objects(r, items, false);
        return root;
    }

    /** One transaction: create-if-missing, delete, then add everything. Never touches another table. */
    public static ObjectNode installBatch(Ruleset r) {
        ObjectNode root = Nft.F.objectNode();
        ArrayNode cmds = root.putArray("nftables");
        cmds.addObject().putObject("add").set("table", table(r));
        cmds.addObject().putObject("delete").set("table", table(r));
        objects(r, cmds, true);
        return root;
    }

    /** A batch that removes the table (and nothing else). */
    public static ObjectNode deleteBatch(String family, String table) {
        ObjectNode root = Nft.F.objectNode();
        ArrayNode cmds = root.putArray("nftables");
        ObjectNode t = Nft.F.objectNode().put("family", family).put("name", table);
        cmds.addObject().putObject("add").set("table", t);
        cmds.addObject().putObject("delete").set("table", t.deepCopy());
        return root;
    }

    private static void objects(Ruleset r, ArrayNode out, boolean asCommands) {
        emit(out, asCommands, "table", table(r));
        for (Ruleset.NamedCounter c : r.counters()) {
            emit(out, asCommands, "counter", base(r).put("name", c.name()));
        }
        for (Ruleset.NamedSet s : r.sets()) {
            ObjectNode o = base(r).put("name", s.name()).put("type", s.type());
            o.put("size", s.size());
            ArrayNode flags = o.putArray("flags");
            s.flags().forEach(flags::add);
            o.put("timeout", s.timeoutSeconds());
            s.limit().ifPresent(l -> o.putArray("stmt").add(Nft.limit(l, false)));
            emit(out, asCommands, "set", o);
        }
        for (Ruleset.Chain c : r.chains()) {
            ObjectNode o = base(r).put("name", c.name());
            if (c.isBase()) {
                o.put("type", c.hook().type()).put("hook", c.hook().hook()).put("prio", c.hook().priority())
                        .put("policy", c.hook().policy());
            }
            emit(out, asCommands, "chain", o);
        }
        for (Ruleset.Rule rule : r.rules()) {
            ObjectNode o = base(r).put("chain", rule.chain());
            o.putArray("expr").addAll(rule.expr());
            emit(out, asCommands, "rule", o);
        }
    }

    private static void emit(ArrayNode out, boolean asCommand, String kind, ObjectNode body) {
        if (asCommand) out.addObject().putObject("add").set(kind, body);
        else out.addObject().set(kind, body);
    }

    private static ObjectNode table(Ruleset r) {
        return Nft.F.objectNode().put("family", r.family()).put("name", r.table());
    }

    private static ObjectNode base(Ruleset r) {
        return Nft.F.objectNode().put("family", r.family()).put("table", r.table());
    }

    /** One object per line inside the array: diffable in git, still valid JSON. */
    public static String pretty(ObjectNode root) {
        try {
            StringBuilder sb = new StringBuilder("{\"nftables\": [\n");
            ArrayNode items = (ArrayNode) root.get("nftables");
            for (int i = 0; i < items.size(); i++) {
                sb.append("  ").append(MAPPER.writeValueAsString(items.get(i)));
                sb.append(i + 1 < items.size() ? ",\n" : "\n");
            }
            sb.append("]}\n");
            return sb.toString();
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String compact(ObjectNode root) {
        try {
            return MAPPER.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
