package io.dhcpshield.automation.rules;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dhcpshield.automation.rules.Rule.Field;
import io.dhcpshield.automation.rules.Rule.Filter;
import io.dhcpshield.automation.rules.Rule.GroupKey;
import io.dhcpshield.automation.rules.Rule.Match;
import io.dhcpshield.automation.rules.Rule.Metric;
import io.dhcpshield.automation.rules.Rule.Outcome;
import io.dhcpshield.automation.rules.Rule.Severity;
import io.dhcpshield.automation.rules.Rule.Source;
import io.dhcpshield.automation.rules.Rule.Tier;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * A rule's JSON, strictly: unknown fields, wrong types, duplicate keys and out-of-range values are errors, and every
 * error names its field as written ({@code filters[0].match}, {@code thresholds[1].value}). The same text is what
 * {@code automation_rules.definition} stores and what the API exchanges. See docs/automation.md for the format.
 */
public final class RuleJson {

    /** Longest definition accepted (bytes of JSON text). */
    public static final int MAX_LENGTH = 64 * 1024;

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    static {
        JSON.getFactory().setStreamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(16).build());
    }

    private static final Set<String> RULE_FIELDS = Set.of("id", "name", "description", "enabled", "priority",
            "every_minutes", "source", "window_minutes", "filters", "group_by", "metric", "thresholds",
            "suppress_minutes", "severity");
    private static final Set<String> FILTER_FIELDS = Set.of("field", "match", "value", "negate");
    private static final Set<String> TIER_FIELDS = Set.of("value", "action", "duration_minutes");
    /** Defaults of the optional fields. */
    public static final int DEFAULT_PRIORITY = 100;
    public static final Severity DEFAULT_SEVERITY = Severity.WARNING;

    private RuleJson() {
    }

    /** The rule this JSON describes, valid; otherwise a {@link RuleValidationException} with every problem. */
    public static Rule parse(String json) {
        if (json == null || json.isBlank()) throw new RuleValidationException(List.of("the rule's JSON is empty"));
        if (json.length() > MAX_LENGTH) {
            throw new RuleValidationException(List.of("the rule's JSON must be at most " + MAX_LENGTH + " characters"));
        }
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new RuleValidationException(List.of("not valid JSON: " + e.getOriginalMessage()));
        }
        return parse(root);
    }

    /** The rule this JSON tree describes (the API hands over the parsed body), valid. */
    public static Rule parse(JsonNode root) {
        List<String> errors = new ArrayList<>();
        if (root == null || !root.isObject()) throw new RuleValidationException(List.of("a rule must be a JSON object"));
        unknown(root, RULE_FIELDS, "", errors);
        String id = text(root, "id", true, errors, "");
        String name = text(root, "name", true, errors, "");
        String description = text(root, "description", false, errors, "");
        boolean enabled = bool(root, "enabled", true, "", errors);
        int priority = integer(root, "priority", false, DEFAULT_PRIORITY, "", errors);
        int every = integer(root, "every_minutes", true, 0, "", errors);
        Source source = label(root, "source", true, null, Source::byLabel, Source.values(), Source::label, "", errors);
        int window = integer(root, "window_minutes", true, 0, "", errors);
        Metric metric = label(root, "metric", true, null, Metric::byLabel, Metric.values(), Metric::label, "", errors);
        Severity severity = label(root, "severity", false, DEFAULT_SEVERITY, Severity::byLabel, Severity.values(),
                Severity::label, "", errors);
        int suppress = integer(root, "suppress_minutes", false, window, "", errors);

        List<Filter> filters = new ArrayList<>();
        JsonNode fs = root.get("filters");
        if (fs != null && !fs.isNull()) {
            if (!fs.isArray()) {
                errors.add("filters must be an array");
            } else {
                for (int i = 0; i < fs.size(); i++) {
                    String at = "filters[" + i + "]";
                    JsonNode f = fs.get(i);
                    if (!f.isObject()) {
                        errors.add(at + " must be an object");
                        continue;
                    }
                    unknown(f, FILTER_FIELDS, at + ".", errors);
                    Field field = label(f, "field", true, null, Field::byLabel, Field.values(), Field::label, at + ".",
                            errors);
                    Match match = label(f, "match", false, Match.EXACT, Match::byLabel, Match.values(), Match::label,
                            at + ".", errors);
                    String value = text(f, "value", true, errors, at + ".");
                    boolean negate = bool(f, "negate", false, at + ".", errors);
                    if (field != null && match != null && value != null) {
                        filters.add(new Filter(field, match, value, negate));
                    }
                }
            }
        }

        List<GroupKey> groupBy = new ArrayList<>();
        JsonNode gs = root.get("group_by");
        if (gs == null || gs.isNull()) {
            errors.add("group_by is required");
        } else if (!gs.isArray()) {
            errors.add("group_by must be an array of keys (" + String.join(", ", labelsOf(GroupKey.values(),
                    GroupKey::label)) + ")");
        } else {
            for (int i = 0; i < gs.size(); i++) {
                JsonNode g = gs.get(i);
                Optional<GroupKey> k = g.isTextual() ? GroupKey.byLabel(g.asText()) : Optional.empty();
                if (k.isEmpty()) {
                    errors.add("group_by[" + i + "] must be one of " + String.join(", ", labelsOf(GroupKey.values(),
                            GroupKey::label)) + ", was " + g);
                } else {
                    groupBy.add(k.get());
                }
            }
        }

        List<Tier> tiers = new ArrayList<>();
        JsonNode ts = root.get("thresholds");
        if (ts == null || ts.isNull()) {
            errors.add("thresholds is required");
        } else if (!ts.isArray()) {
            errors.add("thresholds must be an array");
        } else {
            for (int i = 0; i < ts.size(); i++) {
                String at = "thresholds[" + i + "]";
                JsonNode t = ts.get(i);
                if (!t.isObject()) {
                    errors.add(at + " must be an object");
                    continue;
                }
                unknown(t, TIER_FIELDS, at + ".", errors);
                JsonNode v = t.get("value");
                Double value = null;
                if (v == null || v.isNull()) errors.add(at + ".value is required");
                else if (!v.isNumber()) errors.add(at + ".value must be a number, was " + v);
                else value = v.asDouble();
                Outcome outcome = label(t, "action", true, null, Outcome::byLabel, Outcome.values(), Outcome::label,
                        at + ".", errors);
                Integer duration = null;
                if (t.has("duration_minutes") && !t.get("duration_minutes").isNull()) {
                    duration = integer(t, "duration_minutes", true, 0, at + ".", errors);
                }
                if (value != null && outcome != null) tiers.add(new Tier(value, outcome, duration));
            }
        }
        if (!errors.isEmpty()) throw new RuleValidationException(errors);
        return new Rule(id, name, description, enabled, priority, every, source, window, filters, groupBy, metric,
                tiers, suppress, severity).validated();
    }

    /** The rule as compact JSON, fields in a fixed order (what is stored and served). */
    public static String write(Rule r) {
        return tree(r).toString();
    }

    /** The rule as a JSON tree (for API bodies that embed it). */
    public static ObjectNode tree(Rule r) {
        ObjectNode o = JSON.createObjectNode();
        o.put("id", r.id());
        o.put("name", r.name());
        o.put("description", r.description());
        o.put("enabled", r.enabled());
        o.put("priority", r.priority());
        o.put("every_minutes", r.everyMinutes());
        o.put("source", r.source().label());
        o.put("window_minutes", r.windowMinutes());
        ArrayNode fs = o.putArray("filters");
        for (Filter f : r.filters()) {
            ObjectNode fo = fs.addObject();
            fo.put("field", f.field().label());
            fo.put("match", f.match().label());
            fo.put("value", f.value());
            if (f.negate()) fo.put("negate", true);
        }
        ArrayNode gs = o.putArray("group_by");
        r.groupBy().forEach(g -> gs.add(g.label()));
        o.put("metric", r.metric().label());
        ArrayNode ts = o.putArray("thresholds");
        for (Tier t : r.thresholds()) {
            ObjectNode to = ts.addObject();
            if (t.value() == Math.rint(t.value()) && Math.abs(t.value()) < 1e15) to.put("value", (long) t.value());
            else to.put("value", t.value());
            to.put("action", t.outcome().label());
            if (t.durationMinutes() != null) to.put("duration_minutes", t.durationMinutes());
        }
        o.put("suppress_minutes", r.suppressMinutes());
        o.put("severity", r.severity().label());
        return o;
    }

    /** A number as a person writes it: 300, 2.5 (no exponent, no trailing zeros). */
    static String number(double v) {
        return BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
    }

    // ---------------------------------------------------------------- field readers

    private static void unknown(JsonNode o, Set<String> allowed, String at, List<String> errors) {
        for (Iterator<String> it = o.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!allowed.contains(f)) {
                errors.add(at + f + " is not a rule field (allowed: " + String.join(", ", allowed.stream().sorted()
                        .toList()) + ")");
            }
        }
    }

    private static String text(JsonNode o, String field, boolean required, List<String> errors, String at) {
        JsonNode v = o.get(field);
        if (v == null || v.isNull()) {
            if (required) errors.add(at + field + " is required");
            return required ? null : "";
        }
        if (!v.isTextual()) {
            errors.add(at + field + " must be a string, was " + v);
            return null;
        }
        return v.asText();
    }

    private static boolean bool(JsonNode o, String field, boolean def, String at, List<String> errors) {
        JsonNode v = o.get(field);
        if (v == null || v.isNull()) return def;
        if (!v.isBoolean()) {
            errors.add(at + field + " must be true or false, was " + v);
            return def;
        }
        return v.asBoolean();
    }

    private static int integer(JsonNode o, String field, boolean required, int def, String at, List<String> errors) {
        JsonNode v = o.get(field);
        if (v == null || v.isNull()) {
            if (required) errors.add(at + field + " is required");
            return def;
        }
        if (!v.isIntegralNumber() || !v.canConvertToInt()) {
            errors.add(at + field + " must be a whole number, was " + v);
            return def;
        }
        return v.asInt();
    }

    private static <E> E label(JsonNode o, String field, boolean required, E def, Function<String, Optional<E>> find,
                               E[] values, Function<E, String> label, String at, List<String> errors) {
        JsonNode v = o.get(field);
        if (v == null || v.isNull()) {
            if (required) errors.add(at + field + " is required (one of " + String.join(", ", labelsOf(values, label))
                    + ")");
            return def;
        }
        Optional<E> e = v.isTextual() ? find.apply(v.asText()) : Optional.empty();
        if (e.isEmpty()) {
            errors.add(at + field + " must be one of " + String.join(", ", labelsOf(values, label)) + ", was " + v);
            return null;
        }
        return e.get();
    }

    private static <E> List<String> labelsOf(E[] values, Function<E, String> label) {
        List<String> out = new ArrayList<>();
        for (E v : values) out.add(label.apply(v));
        return out;
    }
}
