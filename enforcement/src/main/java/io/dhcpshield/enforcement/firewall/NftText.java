package io.dhcpshield.enforcement.firewall;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Renders libnftables JSON (objects, rule expressions) as the nft syntax an operator reads, for diffs and the Flow
 * Visualizer. Covers what our rulesets use and the common rest; anything else is shown as its compact JSON, so
 * nothing is ever hidden.
 */
public final class NftText {

    private NftText() {
    }

    /** One object of a ruleset ({@code {"chain":{...}}}) on one line. */
    public static String object(JsonNode item) {
        Iterator<Map.Entry<String, JsonNode>> it = item.fields();
        if (!it.hasNext()) {
            return item.toString();
        }
        Map.Entry<String, JsonNode> e = it.next();
        JsonNode b = e.getValue();
        return switch (e.getKey()) {
            case "table" -> "table " + b.path("family").asText() + " " + b.path("name").asText();
            case "chain" -> "chain " + b.path("name").asText() + (b.has("hook")
                    ? " { type " + b.path("type").asText() + " hook " + b.path("hook").asText() + " priority "
                    + b.path("prio").asText() + "; policy " + b.path("policy").asText("accept") + "; }" : "");
            case "rule" -> "rule " + b.path("chain").asText() + ": " + rule(b.path("expr"));
            case "set", "map" -> e.getKey() + " " + b.path("name").asText() + " { type " + typeOf(b.path("type"))
                    + (b.has("map") ? " : " + typeOf(b.path("map")) : "")
                    + (b.has("flags") ? "; flags " + join(b.path("flags")) : "")
                    + (b.has("timeout") ? "; timeout " + b.path("timeout").asLong() + "s" : "")
                    + (b.has("size") ? "; size " + b.path("size").asLong() : "")
                    + (b.has("elem") ? "; elements = " + expr(b.path("elem")) : "") + " }";
            case "counter" -> "counter " + b.path("name").asText();
            case "limit" -> "limit " + b.path("name").asText() + " { " + limitText(b) + " }";
            default -> e.getKey() + " " + b;
        };
    }

    /** A rule's statements, space separated as {@code nft list} prints them. */
    public static String rule(JsonNode exprs) {
        List<String> parts = new ArrayList<>();
        for (JsonNode s : exprs) {
            parts.add(statement(s));
        }
        return String.join(" ", parts);
    }

    /** One statement of a rule. */
    public static String statement(JsonNode s) {
        Iterator<Map.Entry<String, JsonNode>> it = s.fields();
        if (!it.hasNext()) {
            return s.toString();
        }
        Map.Entry<String, JsonNode> e = it.next();
        JsonNode b = e.getValue();
        return switch (e.getKey()) {
            case "match" -> expr(b.path("left")) + " " + op(b.path("op").asText()) + expr(b.path("right"));
            case "counter" -> b.isTextual() ? "counter name \"" + b.asText() + "\"" : "counter";
            case "accept", "drop", "continue", "return" -> e.getKey();
            case "jump", "goto" -> e.getKey() + " " + b.path("target").asText();
            case "vmap" -> expr(b.path("key")) + " vmap " + expr(b.path("data"));
            case "mangle" -> expr(b.path("key")) + " set " + expr(b.path("value"));
            case "limit" -> "limit " + limitText(b);
            case "set" -> b.path("op").asText() + " " + b.path("set").asText() + " { " + expr(b.path("elem"))
                    + (b.has("stmt") ? " " + rule(b.path("stmt")) : "") + " }";
            case "log" -> "log" + (b.has("prefix") ? " prefix \"" + b.path("prefix").asText() + "\"" : "")
                    + (b.has("level") ? " level " + b.path("level").asText() : "");
            case "queue" -> "queue num " + expr(b.path("num"))
                    + (b.has("flags") ? " " + join(b.path("flags")).replace(", ", ",") : "");
            case "reject" -> "reject";
            case "xt" -> "xt " + b.path("type").asText() + " \"" + b.path("name").asText() + "\"";
            default -> s.toString();
        };
    }

    /** An expression: meta keys, payload fields, binary operations, sets, set references and literals. */
    public static String expr(JsonNode x) {
        if (x == null || x.isMissingNode() || x.isNull()) {
            return "";
        }
        if (x.isNumber()) {
            long v = x.asLong();
            return v >= 0x10000 ? String.format("0x%08x", v) : Long.toString(v);
        }
        if (x.isTextual()) {
            return x.asText();
        }
        if (x.isArray()) {
            List<String> parts = new ArrayList<>();
            x.forEach(v -> parts.add(expr(v)));
            return String.join(" . ", parts);
        }
        Iterator<Map.Entry<String, JsonNode>> it = x.fields();
        if (!it.hasNext()) {
            return x.toString();
        }
        Map.Entry<String, JsonNode> e = it.next();
        JsonNode b = e.getValue();
        return switch (e.getKey()) {
            case "meta" -> "meta " + b.path("key").asText();
            case "payload" -> b.path("protocol").asText() + " " + b.path("field").asText();
            case "ct" -> "ct " + b.path("key").asText();
            case "&", "|", "^", "<<", ">>" -> expr(b.get(0)) + " " + e.getKey() + " " + expr(b.get(1));
            case "set" -> {
                List<String> parts = new ArrayList<>();
                for (JsonNode v : b) {
                    parts.add(v.isArray() && v.size() == 2 ? expr(v.get(0)) + " : " + statement(v.get(1)) : expr(v));
                }
                yield "{ " + String.join(", ", parts) + " }";
            }
            case "range" -> expr(b.get(0)) + "-" + expr(b.get(1));
            case "prefix" -> expr(b.path("addr")) + "/" + b.path("len").asInt();
            case "elem" -> expr(b.path("val"));
            case "concat" -> expr(b);
            default -> x.toString();
        };
    }

    private static String op(String op) {
        return switch (op) {
            case "==" -> "";
            case "in" -> "";
            default -> op + " ";
        };
    }

    private static String limitText(JsonNode b) {
        return "rate " + (b.path("inv").asBoolean() ? "over " : "") + b.path("rate").asLong() + "/"
                + b.path("per").asText("second") + (b.has("burst") ? " burst " + b.path("burst").asLong() + " packets"
                : "");
    }

    private static String typeOf(JsonNode t) {
        return t.isArray() ? join(t).replace(", ", " . ") : t.asText();
    }

    private static String join(JsonNode a) {
        List<String> parts = new ArrayList<>();
        a.forEach(v -> parts.add(v.asText()));
        return String.join(", ", parts);
    }
}
