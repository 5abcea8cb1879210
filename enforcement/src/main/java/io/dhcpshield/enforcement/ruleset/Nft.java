package io.dhcpshield.enforcement.ruleset;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;

/**
 * The few libnftables JSON expressions and statements our ruleset uses (schema of {@code libnftables-json(5)},
 * in the exact shapes {@code nft -j list} prints in nftables 1.0.6, so an export round-trips).
 */
public final class Nft {
    static final JsonNodeFactory F = JsonNodeFactory.instance;
    public static final long TYPE_BITS = 0xFF000000L;
    public static final long CLIENT_BITS = 0x00FFFFFFL;

    private Nft() {}

    public static ObjectNode meta(String key) {
        ObjectNode o = F.objectNode();
        o.putObject("meta").put("key", key);
        return o;
    }

    public static ObjectNode mark() { return meta("mark"); }

    public static ObjectNode binop(String op, JsonNode left, long right) {
        ObjectNode o = F.objectNode();
        o.putArray(op).add(left).add(right);
        return o;
    }

    /** {@code meta mark & 0x00ffffff}: the bare 24-bit client mark. */
    public static ObjectNode clientMark() { return binop("&", mark(), CLIENT_BITS); }

    public static ObjectNode match(String op, JsonNode left, JsonNode right) {
        ObjectNode o = F.objectNode();
        ObjectNode m = o.putObject("match");
        m.put("op", op);
        m.set("left", left);
        m.set("right", right);
        return o;
    }

    public static JsonNode num(long v) { return F.numberNode(v); }

    public static JsonNode str(String v) { return F.textNode(v); }

    public static JsonNode setRef(String set) { return F.textNode("@" + set); }

    public static ObjectNode inSet(JsonNode key, String set) { return match("==", key, setRef(set)); }

    public static ObjectNode anonSet(long... values) {
        ObjectNode o = F.objectNode();
        ArrayNode a = o.putArray("set");
        for (long v : values) a.add(v);
        return o;
    }

    public static ObjectNode udpDport() {
        ObjectNode o = F.objectNode();
        o.putObject("payload").put("protocol", "udp").put("field", "dport");
        return o;
    }

    public static ObjectNode counter(String name) {
        ObjectNode o = F.objectNode();
        o.put("counter", name);
        return o;
    }

    /** An anonymous counter (for drops that have no named counter in the seed). */
    public static ObjectNode counter() {
        ObjectNode o = F.objectNode();
        o.putObject("counter").put("packets", 0).put("bytes", 0);
        return o;
    }

    public static ObjectNode verdict(String v) {
        ObjectNode o = F.objectNode();
        o.putNull(v);
        return o;
    }

    public static ObjectNode accept() { return verdict("accept"); }

    public static ObjectNode drop() { return verdict("drop"); }

    public static ObjectNode jump(String chain) {
        ObjectNode o = F.objectNode();
        o.putObject("jump").put("target", chain);
        return o;
    }

    /** {@code meta mark set <value>}. */
    public static ObjectNode setMark(JsonNode value) {
        ObjectNode o = F.objectNode();
        ObjectNode m = o.putObject("mangle");
        m.set("key", mark());
        m.set("value", value);
        return o;
    }

    public static ObjectNode limit(RateLimit l, boolean over) {
        ObjectNode o = F.objectNode();
        ObjectNode lim = o.putObject("limit").put("rate", l.rate()).put("burst", l.burst()).put("per", l.per());
        if (over) lim.put("inv", true);
        return o;
    }

    /** {@code add|update @set { elem [stmts] }} from the packet path. */
    public static ObjectNode setOp(String op, JsonNode elem, String set, List<JsonNode> stmts) {
        ObjectNode o = F.objectNode();
        ObjectNode s = o.putObject("set");
        s.put("op", op);
        s.set("elem", elem);
        s.put("set", "@" + set);
        if (!stmts.isEmpty()) s.putArray("stmt").addAll(stmts);
        return o;
    }

    public static ObjectNode log(String prefix, String level) {
        ObjectNode o = F.objectNode();
        o.putObject("log").put("prefix", prefix).put("level", level);
        return o;
    }

    /** {@code <key> vmap { k : jump chain, ... }}. */
    public static ObjectNode vmapJump(JsonNode key, Map<Long, String> targets) {
        ObjectNode o = F.objectNode();
        ObjectNode v = o.putObject("vmap");
        v.set("key", key);
        ArrayNode set = v.putObject("data").putArray("set");
        targets.forEach((k, chain) -> set.add(F.arrayNode().add(k).add(jump(chain))));
        return o;
    }

    /** {@code queue num from-to bypass,fanout} (needs the kernel's nft_queue). */
    public static ObjectNode queue(int from, int to) {
        ObjectNode o = F.objectNode();
        ObjectNode q = o.putObject("queue");
        if (from == to) q.put("num", from);
        else q.putObject("num").putArray("range").add(from).add(to);
        q.putArray("flags").add("bypass").add("fanout");
        return o;
    }
}
