package io.dhcpshield.enforcement.firewall;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dhcpshield.enforcement.ruleset.EnforcementSet;
import io.dhcpshield.enforcement.ruleset.Ruleset;
import io.dhcpshield.enforcement.ruleset.RulesetJson;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A Firewall Manager ruleset: the objects of {@code inet dhcp_inspection} as {@code nft -j list table} prints them
 * (table, counters, limits, sets, chains, rules), checked and put in one canonical form: handles, counter values and
 * the metainfo dropped, every object bound to our table (a ruleset can never touch another table or flush the
 * ruleset), and ordered table → counters → limits/quotas → sets/maps → each chain followed by its rules. Two
 * documents that would build the same table therefore have the same {@link #lines()}, whether they come from a
 * profile, the kernel or an operator's editor.
 */
public final class RulesetDocument {

    /** The most objects a ruleset may hold (the shipped profiles have ~320). */
    public static final int MAX_OBJECTS = 20_000;
    static final Set<String> KINDS = Set.of("table", "chain", "rule", "set", "map", "counter", "limit", "quota");
    private static final Set<String> COMMANDS = Set.of("add", "create", "insert", "replace", "delete", "destroy",
            "flush", "list", "reset", "rename");

    /** A problem with one object: its index in the submitted {@code nftables} array (-1: the whole document). */
    public record Problem(int index, String message) {
        public String path() {
            return index < 0 ? "body" : "body.nftables[" + index + "]";
        }
    }

    /** One object in canonical form and where it was in the submitted array. */
    public record Item(String kind, ObjectNode body, int sourceIndex) {
        public String name() {
            return body.path("name").asText();
        }

        public ObjectNode json() {
            ObjectNode o = RulesetJson.MAPPER.createObjectNode();
            o.set(kind, body);
            return o;
        }
    }

    /** Counts for a list view. */
    public record Summary(int chains, int rules, int sets, int counters, String queue) {
    }

    private final List<Item> items;

    private RulesetDocument(List<Item> items) {
        this.items = List.copyOf(items);
    }

    /** Parses a JSON text; a syntax error is a problem of the whole document. */
    public static RulesetDocument parse(String json) {
        JsonNode root;
        try {
            root = RulesetJson.MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new RulesetDocumentException(List.of(new Problem(-1, "not JSON: " + e.getOriginalMessage())));
        }
        return parse(root);
    }

    /**
     * Checks and canonicalises {@code {"nftables":[...]}}.
     *
     * @throws RulesetDocumentException naming every offending object
     */
    public static RulesetDocument parse(JsonNode root) {
        List<Problem> problems = new ArrayList<>();
        if (root == null || !root.isObject() || !root.path("nftables").isArray()) {
            throw new RulesetDocumentException(List.of(new Problem(-1,
                    "must be an object {\"nftables\": [...]} as `nft -j list table inet dhcp_inspection` prints it")));
        }
        ArrayNode array = (ArrayNode) root.path("nftables");
        if (array.size() > MAX_OBJECTS) {
            throw new RulesetDocumentException(List.of(new Problem(-1, "more than " + MAX_OBJECTS + " objects")));
        }
        Item table = null;
        List<Item> counters = new ArrayList<>();
        List<Item> limits = new ArrayList<>();
        List<Item> sets = new ArrayList<>();
        Map<String, Item> chains = new LinkedHashMap<>();
        Map<String, List<Item>> rules = new LinkedHashMap<>();
        List<Item> orphanRules = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (int i = 0; i < array.size(); i++) {
            JsonNode entry = array.get(i);
            if (!entry.isObject() || entry.size() != 1) {
                problems.add(new Problem(i, "each entry must be one object such as {\"chain\": {...}}"));
                continue;
            }
            Map.Entry<String, JsonNode> e = entry.fields().next();
            String kind = e.getKey();
            if (kind.equals("metainfo")) {
                continue;
            }
            if (COMMANDS.contains(kind)) {
                problems.add(new Problem(i, "\"" + kind + "\" is a command; a ruleset lists objects as `nft -j list"
                        + " table` prints them, and Apply decides how they reach the kernel"));
                continue;
            }
            if (!KINDS.contains(kind)) {
                problems.add(new Problem(i, "\"" + kind + "\" objects are not supported in a ruleset (allowed: "
                        + String.join(", ", KINDS.stream().sorted().toList()) + ")"));
                continue;
            }
            if (!e.getValue().isObject()) {
                problems.add(new Problem(i, kind + " must be an object"));
                continue;
            }
            ObjectNode body = reparsed((ObjectNode) e.getValue());
            body.remove("handle");
            String family = body.path("family").asText();
            String tableName = kind.equals("table") ? body.path("name").asText() : body.path("table").asText();
            if (!family.equals(Ruleset.FAMILY) || !tableName.equals(Ruleset.TABLE)) {
                problems.add(new Problem(i, kind + " belongs to table " + family + " " + tableName
                        + "; a ruleset may only hold objects of table inet " + Ruleset.TABLE));
                continue;
            }
            Item item = new Item(kind, body, i);
            switch (kind) {
                case "table" -> {
                    body.remove("flags");
                    table = item;
                }
                case "counter" -> {
                    body.remove(List.of("packets", "bytes"));
                    if (unique(problems, names, item)) {
                        counters.add(item);
                    }
                }
                case "limit", "quota" -> {
                    body.remove("used");
                    if (unique(problems, names, item)) {
                        limits.add(item);
                    }
                }
                case "set", "map" -> {
                    if (unique(problems, names, item)) {
                        sets.add(item);
                    }
                }
                case "chain" -> {
                    String name = item.name();
                    if (name.isEmpty()) {
                        problems.add(new Problem(i, "chain without a name"));
                    } else if (chains.containsKey(name)) {
                        problems.add(new Problem(i, "chain " + name + " is declared twice"));
                    } else if (body.has("hook") && (!body.has("type") || !body.has("prio"))) {
                        problems.add(new Problem(i, "base chain " + name + " needs type, hook and prio"));
                    } else {
                        chains.put(name, item);
                    }
                }
                default -> { // rule
                    if (!body.path("expr").isArray() || body.path("chain").asText().isEmpty()) {
                        problems.add(new Problem(i, "a rule needs a chain and an expr array"));
                        continue;
                    }
                    body.remove(List.of("index", "position", "comment_"));
                    body.set("expr", stateless(body.path("expr")));
                    orphanRules.add(item);
                }
            }
        }
        for (Item r : orphanRules) {
            String chain = r.body().path("chain").asText();
            if (!chains.containsKey(chain)) {
                problems.add(new Problem(r.sourceIndex(), "rule of chain " + chain
                        + ", which this ruleset does not declare"));
            } else {
                rules.computeIfAbsent(chain, k -> new ArrayList<>()).add(r);
            }
        }
        if (!problems.isEmpty()) {
            throw new RulesetDocumentException(problems);
        }
        List<Item> out = new ArrayList<>();
        ObjectNode tableBody = table != null ? table.body() : RulesetJson.MAPPER.createObjectNode()
                .put("family", Ruleset.FAMILY).put("name", Ruleset.TABLE);
        out.add(new Item("table", tableBody, table != null ? table.sourceIndex() : -1));
        out.addAll(counters);
        out.addAll(limits);
        out.addAll(sets);
        for (Item c : chains.values()) {
            out.add(c);
            out.addAll(rules.getOrDefault(c.name(), List.of()));
        }
        return new RulesetDocument(out);
    }

    /** The same JSON with the node types a parser gives (an int literal an IntNode, never a LongNode). */
    private static ObjectNode reparsed(ObjectNode o) {
        try {
            return (ObjectNode) RulesetJson.MAPPER.readTree(o.toString());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static boolean unique(List<Problem> problems, Set<String> names, Item item) {
        if (item.name().isEmpty()) {
            problems.add(new Problem(item.sourceIndex(), item.kind() + " without a name"));
            return false;
        }
        if (!names.add(item.kind() + " " + item.name())) {
            problems.add(new Problem(item.sourceIndex(), item.kind() + " " + item.name() + " is declared twice"));
            return false;
        }
        return true;
    }

    /** Anonymous counters carry no values in a ruleset: {@code {"counter": null}}, as a stateless listing shows. */
    private static JsonNode stateless(JsonNode exprs) {
        ArrayNode out = RulesetJson.MAPPER.createArrayNode();
        for (JsonNode s : exprs) {
            if (s.isObject() && s.size() == 1 && s.has("counter") && s.path("counter").isObject()) {
                out.add(RulesetJson.MAPPER.createObjectNode().putNull("counter"));
            } else {
                out.add(s.deepCopy());
            }
        }
        return out;
    }

    /** The objects in canonical order (the table first). */
    public List<Item> items() {
        return items;
    }

    /** The document as {@code {"nftables":[...]}} in canonical order. */
    public ObjectNode toJson() {
        ObjectNode root = RulesetJson.MAPPER.createObjectNode();
        ArrayNode a = root.putArray("nftables");
        a.addObject().putObject("metainfo").put("json_schema_version", 1);
        items.forEach(i -> a.add(i.json()));
        return root;
    }

    /** Pretty JSON, one object per line (the editor's and the export's form). */
    public String pretty() {
        return RulesetJson.pretty(toJson());
    }

    public List<Item> chains() {
        return items.stream().filter(i -> i.kind().equals("chain")).toList();
    }

    public List<Item> rules(String chain) {
        return items.stream().filter(i -> i.kind().equals("rule") && i.body().path("chain").asText().equals(chain))
                .toList();
    }

    public List<Item> sets() {
        return items.stream().filter(i -> i.kind().equals("set") || i.kind().equals("map")).toList();
    }

    public List<Item> counters() {
        return items.stream().filter(i -> i.kind().equals("counter")).toList();
    }

    /** True when a rule queues with nft's own {@code queue} statement (native-nft); else the xt rules queue. */
    public boolean usesNativeQueue() {
        for (Item i : items) {
            if (i.kind().equals("rule")) {
                for (JsonNode s : i.body().path("expr")) {
                    if (s.has("queue")) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    public Summary summary() {
        int rules = (int) items.stream().filter(i -> i.kind().equals("rule")).count();
        return new Summary(chains().size(), rules, sets().size(), counters().size(),
                usesNativeQueue() ? "native-nft" : "xt-compat");
    }

    /** The enforcement sets' timeouts this ruleset declares (seconds; absent sets are absent). */
    public Map<EnforcementSet, Long> setTimeouts() {
        Map<EnforcementSet, Long> out = new LinkedHashMap<>();
        for (Item s : sets()) {
            for (EnforcementSet e : EnforcementSet.values()) {
                if (e.setName().equals(s.name())) {
                    out.put(e, s.body().path("timeout").asLong(0));
                }
            }
        }
        return Collections.unmodifiableMap(out);
    }

    /** One line per object as nft syntax, canonical order: what a diff compares. */
    public List<String> lines() {
        List<String> out = new ArrayList<>(items.size());
        for (Item i : items) {
            out.add((i.kind().equals("rule") ? "  " : "") + NftText.object(i.json()));
        }
        return out;
    }

    /**
     * How the kernel's table (this) differs from what was applied ({@code applied}), in a few words: the chains and
     * objects by name ("chain v4_discover_chain changed; set blocked_macs missing;"), "" when nothing does. Counter
     * values and set elements are state, not shape, and never count.
     */
    public String differencesFrom(RulesetDocument applied) {
        StringBuilder sb = new StringBuilder();
        diff(sb, applied.shape(), shape());
        return sb.toString().strip();
    }

    /** "chain NAME" → the chain and its rules; "KIND NAME" → the object. */
    private Map<String, String> shape() {
        Map<String, String> out = new LinkedHashMap<>();
        for (Item i : items) {
            switch (i.kind()) {
                case "table" -> {
                }
                case "rule" -> out.merge("chain " + i.body().path("chain").asText(), i.body().path("expr").toString(),
                        (a, b) -> a + "\n" + b);
                default -> out.merge(i.kind() + " " + i.name(), i.body().toString(), (a, b) -> a + "\n" + b);
            }
        }
        return out;
    }

    private static void diff(StringBuilder sb, Map<String, String> before, Map<String, String> now) {
        for (var e : before.entrySet()) {
            String n = now.get(e.getKey());
            if (n == null) {
                sb.append(e.getKey()).append(" missing; ");
            } else if (!n.equals(e.getValue())) {
                sb.append(e.getKey()).append(" changed; ");
            }
        }
        for (String k : now.keySet()) {
            if (!before.containsKey(k)) {
                sb.append(k).append(" added; ");
            }
        }
    }

    /** Same objects in the same canonical order (JSON equality: key order does not matter). */
    @Override
    public boolean equals(Object o) {
        if (!(o instanceof RulesetDocument d) || d.items.size() != items.size()) {
            return false;
        }
        for (int i = 0; i < items.size(); i++) {
            if (!items.get(i).kind().equals(d.items.get(i).kind()) || !items.get(i).body().equals(d.items.get(i).body())) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        return items.stream().mapToInt(i -> i.body().hashCode()).sum();
    }
}
