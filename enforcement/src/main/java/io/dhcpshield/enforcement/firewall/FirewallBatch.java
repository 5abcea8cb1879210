package io.dhcpshield.enforcement.firewall;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dhcpshield.enforcement.ruleset.Ruleset;
import io.dhcpshield.enforcement.ruleset.RulesetJson;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The one libnftables transaction that applies rulesets, in order, to {@code inet dhcp_inspection}.
 * <ul>
 *   <li>{@link Mode#MERGE}: non-disruptive. For each ruleset: add the table, its counters, limits and sets (existing
 *   ones keep their elements and values), add each of its chains and flush it, then add its rules. Chains the
 *   rulesets do not name keep running untouched; a chain named by a later ruleset gets that ruleset's rules.</li>
 *   <li>{@link Mode#SWAP}: a clean table: delete {@code inet dhcp_inspection} and build it from the first ruleset;
 *   later rulesets merge into it as above. Counters restart and set elements are gone (the Action Manager re-applies
 *   the actions in force).</li>
 * </ul>
 * Either way every other table of the host is untouched and nothing is ever flushed beyond our own chains.
 */
public final class FirewallBatch {

    public enum Mode {
        MERGE, SWAP;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** {@code merge} or {@code swap}; anything else is refused. */
        public static Mode parse(String s) {
            return switch (s == null ? "" : s) {
                case "merge" -> MERGE;
                case "swap" -> SWAP;
                default -> throw new IllegalArgumentException("mode must be merge or swap, got '" + s + "'");
            };
        }
    }

    /**
     * One command and where it came from: ruleset {@code ruleset} (-1: none) and its item {@code item} (null for the
     * table housekeeping), so a kernel error can be shown next to the object that caused it.
     */
    public record Command(ObjectNode json, int ruleset, RulesetDocument.Item item) {
    }

    private FirewallBatch() {
    }

    public static List<Command> build(Mode mode, List<RulesetDocument> docs) {
        if (docs.isEmpty()) {
            throw new IllegalArgumentException("no ruleset to apply");
        }
        List<Command> out = new ArrayList<>();
        ObjectNode table = RulesetJson.MAPPER.createObjectNode().put("family", Ruleset.FAMILY).put("name", Ruleset.TABLE);
        out.add(new Command(cmd("add", "table", table), -1, null));
        int first = 0;
        if (mode == Mode.SWAP) {
            out.add(new Command(cmd("delete", "table", table), -1, null));
            create(out, 0, docs.get(0));
            first = 1;
        }
        for (int i = first; i < docs.size(); i++) {
            merge(out, i, docs.get(i));
        }
        return out;
    }

    /** The batch as libnftables JSON. */
    public static String text(List<Command> commands) {
        ObjectNode root = RulesetJson.MAPPER.createObjectNode();
        ArrayNode a = root.putArray("nftables");
        commands.forEach(c -> a.add(c.json()));
        return RulesetJson.compact(root);
    }

    private static void create(List<Command> out, int r, RulesetDocument doc) {
        for (RulesetDocument.Item i : doc.items()) {
            if (!i.kind().equals("chain") && !i.kind().equals("rule")) {
                out.add(new Command(cmd("add", i.kind(), i.body()), r, i));
            }
        }
        for (RulesetDocument.Item c : doc.chains()) {
            out.add(new Command(cmd("add", "chain", c.body()), r, c));
        }
        rules(out, r, doc);
    }

    private static void merge(List<Command> out, int r, RulesetDocument doc) {
        for (RulesetDocument.Item i : doc.items()) {
            if (!i.kind().equals("chain") && !i.kind().equals("rule")) {
                out.add(new Command(cmd("add", i.kind(), i.body()), r, i));
            }
        }
        for (RulesetDocument.Item c : doc.chains()) {
            out.add(new Command(cmd("add", "chain", c.body()), r, c));
            ObjectNode ref = RulesetJson.MAPPER.createObjectNode().put("family", Ruleset.FAMILY)
                    .put("table", Ruleset.TABLE).put("name", c.name());
            out.add(new Command(cmd("flush", "chain", ref), r, c));
        }
        rules(out, r, doc);
    }

    /** Rules after every chain exists, so a jump may name a chain declared later. */
    private static void rules(List<Command> out, int r, RulesetDocument doc) {
        for (RulesetDocument.Item c : doc.chains()) {
            for (RulesetDocument.Item rule : doc.rules(c.name())) {
                out.add(new Command(cmd("add", "rule", rule.body()), r, rule));
            }
        }
    }

    private static ObjectNode cmd(String verb, String kind, ObjectNode body) {
        ObjectNode o = RulesetJson.MAPPER.createObjectNode();
        o.putObject(verb).set(kind, body.deepCopy());
        return o;
    }
}
