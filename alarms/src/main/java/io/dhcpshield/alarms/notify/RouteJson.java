package io.dhcpshield.alarms.notify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dhcpshield.alarms.Channel;
import io.dhcpshield.alarms.Severity;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** A route's JSON form (docs/alarms.md), parsed strictly: every problem is reported with its field. */
public final class RouteJson {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> FIELDS = Set.of("id", "name", "enabled", "channels", "categories",
            "min_severity", "source_key_regex", "sinks");

    /** A route that is not valid: {@code field} names the first offending field. */
    public static final class InvalidRoute extends IllegalArgumentException {
        private final String field;

        public InvalidRoute(String field, String message) {
            super(message);
            this.field = field;
        }

        public String field() {
            return field;
        }
    }

    private RouteJson() {
    }

    /**
     * Parses a route; {@code id} replaces the body's id (null: the body must carry one). {@code knownSinks} are the
     * sink names a route may name.
     */
    public static Route parse(JsonNode n, String id, Set<String> knownSinks) {
        if (n == null || !n.isObject()) {
            throw new InvalidRoute("body", "a route is a JSON object");
        }
        for (var it = n.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!FIELDS.contains(f)) {
                throw new InvalidRoute(f, "unknown field '" + f + "' (known: " + new TreeSet<>(FIELDS) + ")");
            }
        }
        String rid = id != null ? id : text(n, "id", true);
        if (!rid.matches("[A-Za-z0-9_.-]{1,64}")) {
            throw new InvalidRoute("id", "id must be 1-64 letters, digits, '.', '_' or '-'");
        }
        String name = text(n, "name", true).strip();
        if (name.isEmpty() || name.length() > 200) {
            throw new InvalidRoute("name", "name must be 1-200 characters");
        }
        boolean enabled = true;
        if (n.has("enabled")) {
            if (!n.get("enabled").isBoolean()) {
                throw new InvalidRoute("enabled", "enabled is true or false");
            }
            enabled = n.get("enabled").booleanValue();
        }
        Set<Channel> channels = new LinkedHashSet<>();
        for (String c : list(n, "channels")) {
            try {
                channels.add(Channel.of(c));
            } catch (IllegalArgumentException e) {
                throw new InvalidRoute("channels", e.getMessage());
            }
        }
        Set<String> categories = new LinkedHashSet<>();
        for (String c : list(n, "categories")) {
            if (!Route.CATEGORIES.contains(c)) {
                throw new InvalidRoute("categories", "category must be one of " + new TreeSet<>(Route.CATEGORIES)
                        + ", was " + c);
            }
            categories.add(c);
        }
        Severity min = Severity.INFO;
        if (n.has("min_severity")) {
            try {
                min = Severity.of(text(n, "min_severity", true));
            } catch (IllegalArgumentException e) {
                throw new InvalidRoute("min_severity", e.getMessage());
            }
        }
        String regex = n.has("source_key_regex") ? text(n, "source_key_regex", true) : "";
        Pattern p = null;
        if (!regex.isEmpty()) {
            if (regex.length() > 500) {
                throw new InvalidRoute("source_key_regex", "source_key_regex is at most 500 characters");
            }
            try {
                p = Pattern.compile(regex);
            } catch (PatternSyntaxException e) {
                throw new InvalidRoute("source_key_regex", "source_key_regex is not a valid regular expression: "
                        + e.getDescription() + " near index " + e.getIndex());
            }
        }
        List<String> sinks = list(n, "sinks");
        if (sinks.isEmpty()) {
            throw new InvalidRoute("sinks", "sinks must name at least one of " + new TreeSet<>(knownSinks));
        }
        for (String s : sinks) {
            if (!knownSinks.contains(s)) {
                throw new InvalidRoute("sinks", "unknown sink '" + s + "' (configured: " + new TreeSet<>(knownSinks)
                        + ")");
            }
        }
        return new Route(rid, name, enabled, channels, categories, min, regex, p, new ArrayList<>(
                new LinkedHashSet<>(sinks)));
    }

    public static Route parse(String json, Set<String> knownSinks) {
        try {
            return parse(JSON.readTree(json), null, knownSinks);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new InvalidRoute("body", "not JSON: " + e.getOriginalMessage());
        }
    }

    public static ObjectNode toJson(Route r) {
        ObjectNode n = JSON.createObjectNode();
        n.put("id", r.id());
        n.put("name", r.name());
        n.put("enabled", r.enabled());
        var ch = n.putArray("channels");
        r.channels().stream().map(Channel::label).sorted().forEach(ch::add);
        var cat = n.putArray("categories");
        r.categories().stream().sorted().forEach(cat::add);
        n.put("min_severity", r.minSeverity().label());
        n.put("source_key_regex", r.sourceKeyRegex());
        var s = n.putArray("sinks");
        r.sinks().forEach(s::add);
        return n;
    }

    private static String text(JsonNode n, String field, boolean required) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            if (required) {
                throw new InvalidRoute(field, field + " is required");
            }
            return "";
        }
        if (!v.isTextual()) {
            throw new InvalidRoute(field, field + " is a string");
        }
        return v.textValue();
    }

    private static List<String> list(JsonNode n, String field) {
        JsonNode v = n.get(field);
        List<String> out = new ArrayList<>();
        if (v == null || v.isNull()) {
            return out;
        }
        if (!v.isArray() || v.size() > 50) {
            throw new InvalidRoute(field, field + " is a list of strings (at most 50)");
        }
        for (JsonNode e : v) {
            if (!e.isTextual()) {
                throw new InvalidRoute(field, field + " is a list of strings");
            }
            out.add(e.textValue());
        }
        return out;
    }
}
