package io.dhcpshield.enforcement.firewall;

import com.fasterxml.jackson.databind.JsonNode;
import io.dhcpshield.enforcement.kernel.KernelState;
import io.dhcpshield.enforcement.ruleset.MessageTypeChain;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The Flow Visualizer's model: the path one DHCP message type takes through a ruleset, derived from the ruleset
 * itself (so an edited ruleset draws differently). The packet is a UDP datagram to the server's port (67 or 547) for
 * client messages and to the client's (68 or 546) for replies, carrying the mark the processor gives it: the type in
 * the high byte and some client in the low 24 bits (a client in no set). Rules are walked in order through the base
 * chains of the path's hooks by priority; what the packet's own fields decide is decided (a {@code l4proto != udp}
 * rule is passed, a vmap on the type byte is followed), and what depends on the client (set membership, rate
 * limits) becomes a conditional step showing what happens when it holds, after which the walk goes on as for a
 * client it does not hold for.
 */
public final class FlowTracer {

    /** Which hooks the packet crosses: a forwarded packet (the appliance routes DHCP) or one the host sends. */
    public enum Path {
        INBOUND(List.of("prerouting", "forward", "postrouting")),
        OUTBOUND(List.of("output", "postrouting"));

        private final List<String> hooks;

        Path(List<String> hooks) {
            this.hooks = hooks;
        }

        public List<String> hooks() {
            return hooks;
        }

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Path parse(String s) {
            return switch (s == null ? "" : s) {
                case "inbound" -> INBOUND;
                case "outbound" -> OUTBOUND;
                default -> throw new IllegalArgumentException("direction must be inbound or outbound, got '" + s + "'");
            };
        }
    }

    /**
     * One step. {@code taken}: "yes" (every packet of this type), "if" (when its condition holds for the client:
     * {@code verdict} is what then happens), "no" (this type never matches: shown so the chain reads whole).
     */
    public record Step(String id, int depth, String chain, String hook, Integer priority, boolean base, Integer rule,
                       String kind, String label, String taken, String set, String counter, String verdict,
                       Long packets, Long setElements) {
    }

    private enum Truth { TRUE, FALSE, UNKNOWN }

    /** The longest walk (a jump loop in an edited ruleset must not hang the page). */
    static final int MAX_STEPS = 2_000;

    private final RulesetDocument doc;
    private final KernelState live;
    private final List<Step> steps = new ArrayList<>();
    private final int family;
    private final long dport;
    /** The mark's type byte as the packet carries it now; -1 once unknown. */
    private long markType;
    private boolean dropped;

    private FlowTracer(RulesetDocument doc, KernelState live, MessageTypeChain type) {
        this.doc = doc;
        this.live = live;
        this.family = type.typeName().startsWith("v6") ? 6 : 4;
        boolean fromClient = type.direction() == MessageTypeChain.Direction.INBOUND;
        this.dport = family == 4 ? (fromClient ? 67 : 68) : (fromClient ? 547 : 546);
        this.markType = type.typeBits();
    }

    /** The steps of {@code type} along {@code path}; {@code live} (nullable) adds counters and set sizes. */
    public static List<Step> trace(RulesetDocument doc, MessageTypeChain type, Path path, KernelState live) {
        FlowTracer t = new FlowTracer(doc, live, type);
        t.walk(path);
        return List.copyOf(t.steps);
    }

    private void walk(Path path) {
        List<RulesetDocument.Item> bases = doc.chains().stream()
                .filter(c -> path.hooks().contains(c.body().path("hook").asText()))
                .sorted(Comparator.<RulesetDocument.Item>comparingInt(c -> path.hooks().indexOf(c.body().path("hook").asText()))
                        .thenComparingInt(c -> c.body().path("prio").asInt()))
                .toList();
        for (RulesetDocument.Item base : bases) {
            if (dropped || steps.size() >= MAX_STEPS) {
                return;
            }
            String hook = base.body().path("hook").asText();
            int prio = base.body().path("prio").asInt();
            add(base.name(), hook, prio, true, 0, null, "chain", "chain " + base.name() + " (hook " + hook
                    + " priority " + prio + ")", "yes", null, null, null);
            String end = runChain(base.name(), hook, prio, 0, new ArrayDeque<>());
            if (end == null) {
                String policy = base.body().path("policy").asText("accept");
                add(base.name(), hook, prio, true, 0, null, "policy", "end of " + base.name() + ": policy " + policy,
                        "yes", null, null, policy);
                if (policy.equals("drop")) {
                    dropped = true;
                }
            }
        }
    }

    /**
     * Runs the rules of {@code chain}; returns the verdict that ended the base chain's evaluation (accept, drop,
     * queue) or null when the chain ran out (or returned).
     */
    private String runChain(String chain, String hook, int prio, int depth, Deque<String> stack) {
        if (stack.contains(chain) || stack.size() > 16) {
            add(chain, hook, prio, false, depth, null, "verdict", "jump loop through " + chain + ": stopped here",
                    "yes", null, null, null);
            return "loop";
        }
        stack.push(chain);
        try {
            List<RulesetDocument.Item> rules = doc.rules(chain);
            for (int i = 0; i < rules.size(); i++) {
                if (steps.size() >= MAX_STEPS) {
                    return "limit";
                }
                String v = runRule(chain, hook, prio, depth, i, rules.get(i).body().path("expr"), stack);
                if (v != null) {
                    return v.equals("return") ? null : v;
                }
            }
            return null;
        } finally {
            stack.pop();
        }
    }

    /** One rule; returns a verdict that ends the chain, or null to go on with the next rule. */
    private String runRule(String chain, String hook, int prio, int depth, int index, JsonNode expr,
                           Deque<String> stack) {
        String text = NftText.rule(expr);
        String set = null;
        String counter = null;
        boolean conditional = false;
        String kind = null;
        for (JsonNode s : expr) {
            if (s.has("counter") && s.path("counter").isTextual() && counter == null) {
                counter = s.path("counter").asText();
            }
            if (s.has("match")) {
                JsonNode right = s.path("match").path("right");
                if (right.isTextual() && right.asText().startsWith("@") && set == null) {
                    set = right.asText().substring(1);
                }
            }
            if (s.has("set") && s.path("set").has("op") && set == null) {
                set = s.path("set").path("set").asText().replace("@", "");
            }
        }
        for (int k = 0; k < expr.size(); k++) {
            JsonNode s = expr.get(k);
            if (s.has("match")) {
                Truth t = evaluate(s.path("match"));
                if (t == Truth.FALSE) {
                    // a condition this packet never meets (even after a conditional one): the rule never applies
                    add(chain, hook, prio, false, depth, index, kind != null ? kind : "match", text, "no", set,
                            counter, terminal(expr));
                    return null;
                }
                if (t == Truth.UNKNOWN) {
                    conditional = true;
                    kind = kind != null ? kind : s.path("match").path("right").isTextual()
                            && s.path("match").path("right").asText().startsWith("@") ? "set" : "match";
                }
                continue;
            }
            if (s.has("limit") || (s.has("set") && s.path("set").has("stmt"))) {
                // Whether a client is over (or under) a rate is the client's: conditional.
                conditional = true;
                kind = kind != null ? kind : "limit";
                continue;
            }
            if (conditional) {
                continue; // the rest of a conditional rule is what happens when its condition holds
            }
            if (s.has("vmap")) {
                String target = vmapTarget(s.path("vmap"));
                if (target == null) {
                    add(chain, hook, prio, false, depth, index, "vmap", text + "  (no entry for this type)", "no", set,
                            counter, null);
                    return null;
                }
                int entries = s.path("vmap").path("data").path("set").size();
                // Only the entry this type takes: the map has one per type.
                String shortText = NftText.expr(s.path("vmap").path("key")) + " vmap { " + vmapKey(s.path("vmap"))
                        + " : " + target + (entries > 1 ? ", … " + (entries - 1) + " more" : "") + " }";
                add(chain, hook, prio, false, depth, index, "vmap", shortText, "yes", set, counter, target);
                String[] jt = target.split(" ", 2);
                String v = runChain(jt[1], hook, prio, depth + 1, stack);
                if (v != null || jt[0].equals("goto")) {
                    return v != null ? v : "return";
                }
                return null;
            }
            if (s.has("mangle") && s.path("mangle").path("key").path("meta").path("key").asText().equals("mark")) {
                markType = newMarkType(s.path("mangle").path("value"));
            }
            if (s.has("jump") || s.has("goto")) {
                String verb = s.has("jump") ? "jump" : "goto";
                String target = s.path(verb).path("target").asText();
                add(chain, hook, prio, false, depth, index, verb, text, "yes", set, counter, verb + " " + target);
                String v = runChain(target, hook, prio, depth + 1, stack);
                if (v != null) {
                    return v;
                }
                return verb.equals("goto") ? "return" : null;
            }
            String v = verdictOf(s);
            if (v != null) {
                add(chain, hook, prio, false, depth, index, kindOf(expr), text, "yes", set, counter, v);
                if (v.equals("drop")) {
                    dropped = true;
                }
                return v;
            }
        }
        if (conditional) {
            add(chain, hook, prio, false, depth, index, kind, text, "if", set, counter, terminal(expr));
            return null;
        }
        add(chain, hook, prio, false, depth, index, kindOf(expr), text, "yes", set, counter, null);
        return null;
    }

    private static String verdictOf(JsonNode s) {
        if (s.has("accept")) {
            return "accept";
        }
        if (s.has("drop") || s.has("reject")) {
            return "drop";
        }
        if (s.has("return")) {
            return "return";
        }
        if (s.has("queue")) {
            return "queue";
        }
        return null;
    }

    /** What a rule does when it applies: its last verdict, jump or goto ("continue" when none). */
    private static String terminal(JsonNode expr) {
        for (int k = expr.size() - 1; k >= 0; k--) {
            JsonNode s = expr.get(k);
            String v = verdictOf(s);
            if (v != null) {
                return v;
            }
            if (s.has("jump")) {
                return "jump " + s.path("jump").path("target").asText();
            }
            if (s.has("goto")) {
                return "goto " + s.path("goto").path("target").asText();
            }
        }
        return "continue";
    }

    /** The kind a rule is drawn as, from its most telling statement. */
    private static String kindOf(JsonNode expr) {
        String kind = "rule";
        for (JsonNode s : expr) {
            if (s.has("queue")) {
                return "queue";
            }
            if (s.has("log")) {
                kind = "log";
            } else if (s.has("mangle") && kind.equals("rule")) {
                kind = "mark";
            } else if (s.has("counter") && kind.equals("rule")) {
                kind = "counter";
            } else if (verdictOf(s) != null && kind.equals("rule")) {
                kind = "verdict";
            }
        }
        return kind;
    }

    private String vmapTarget(JsonNode vmap) {
        Long key = value(vmap.path("key"));
        if (key == null) {
            return null;
        }
        for (JsonNode entry : vmap.path("data").path("set")) {
            if (entry.isArray() && entry.size() == 2 && entry.get(0).isNumber() && entry.get(0).asLong() == key) {
                JsonNode v = entry.get(1);
                if (v.has("jump")) {
                    return "jump " + v.path("jump").path("target").asText();
                }
                if (v.has("goto")) {
                    return "goto " + v.path("goto").path("target").asText();
                }
            }
        }
        return null;
    }

    /** The vmap key this packet matches, as nft prints it. */
    private String vmapKey(JsonNode vmap) {
        Long key = value(vmap.path("key"));
        return key == null ? "?" : NftText.expr(com.fasterxml.jackson.databind.node.LongNode.valueOf(key));
    }

    private long newMarkType(JsonNode value) {
        if (value.isNumber()) {
            return value.asLong() & 0xFF000000L;
        }
        if (value.has("&") && value.path("&").size() == 2 && isMark(value.path("&").get(0))
                && value.path("&").get(1).isNumber()) {
            long mask = value.path("&").get(1).asLong();
            return markType < 0 ? ((mask & 0xFF000000L) == 0 ? 0 : -1) : markType & mask;
        }
        if (value.has("|") && value.path("|").size() == 2 && isMark(value.path("|").get(0))
                && value.path("|").get(1).isNumber() && markType >= 0) {
            return (markType | value.path("|").get(1).asLong()) & 0xFF000000L;
        }
        return -1;
    }

    private static boolean isMark(JsonNode x) {
        return x.path("meta").path("key").asText().equals("mark");
    }

    /**
     * The value of an expression for this packet when it is known: the type byte of the mark (under a mask that
     * keeps only it), l4proto, the UDP destination port, nfproto.
     */
    private Long value(JsonNode x) {
        if (x.has("&") && x.path("&").size() == 2 && isMark(x.path("&").get(0)) && x.path("&").get(1).isNumber()) {
            long mask = x.path("&").get(1).asLong();
            if ((mask & 0x00FFFFFFL) == 0 && markType >= 0) {
                return markType & mask;
            }
            return null;
        }
        String meta = x.path("meta").path("key").asText();
        if (meta.equals("l4proto")) {
            return 17L;
        }
        if (meta.equals("nfproto")) {
            return family == 4 ? 2L : 10L;
        }
        if (x.path("payload").path("protocol").asText().equals("udp")
                && x.path("payload").path("field").asText().equals("dport")) {
            return dport;
        }
        return null;
    }

    private Truth evaluate(JsonNode match) {
        String op = match.path("op").asText("==");
        JsonNode left = match.path("left");
        JsonNode right = match.path("right");
        if (isMark(left) && right.isNumber() && right.asLong() == 0) {
            // the packet carries a client mark: never 0
            return switch (op) {
                case "==" -> Truth.FALSE;
                case "!=" -> Truth.TRUE;
                default -> Truth.UNKNOWN;
            };
        }
        Long v = value(left);
        if (v == null) {
            return Truth.UNKNOWN;
        }
        Boolean in = contains(right, v);
        if (in == null) {
            return Truth.UNKNOWN;
        }
        return switch (op) {
            case "==", "in" -> in ? Truth.TRUE : Truth.FALSE;
            case "!=" -> in ? Truth.FALSE : Truth.TRUE;
            default -> Truth.UNKNOWN;
        };
    }

    private static final Map<String, Long> NAMES = Map.of("udp", 17L, "tcp", 6L, "ipv4", 2L, "ipv6", 10L);

    private static Boolean contains(JsonNode right, long v) {
        if (right.isNumber()) {
            return right.asLong() == v;
        }
        if (right.isTextual()) {
            Long n = NAMES.get(right.asText());
            return n == null ? null : n == v;
        }
        if (right.has("set")) {
            for (JsonNode e : right.path("set")) {
                Boolean b = contains(e, v);
                if (b == null) {
                    return null;
                }
                if (b) {
                    return true;
                }
            }
            return false;
        }
        if (right.has("range") && right.path("range").size() == 2) {
            return v >= right.path("range").get(0).asLong() && v <= right.path("range").get(1).asLong();
        }
        return null;
    }

    private final Map<String, Integer> chainIds = new HashMap<>();

    private void add(String chain, String hook, int prio, boolean base, int depth, Integer rule, String kind,
                     String label, String taken, String set, String counter, String verdict) {
        int c = chainIds.computeIfAbsent(chain, k -> chainIds.size());
        String id = "c" + c + (rule == null ? "" : "r" + rule) + "-" + steps.size();
        Long packets = counter != null && live != null && live.counters().containsKey(counter)
                ? live.counters().get(counter).packets() : null;
        Long elements = set != null && live != null && live.sets().containsKey(set)
                ? (Long) live.sets().get(set).elements() : null;
        steps.add(new Step(id, depth, chain, hook, base ? prio : null, base, rule, kind, label, taken, set, counter,
                verdict, packets, elements));
    }
}
