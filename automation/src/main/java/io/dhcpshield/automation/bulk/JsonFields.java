package io.dhcpshield.automation.bulk;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads the fields of one JSON object strictly, collecting every problem under the field's full name
 * ({@code criteria.min_requests}) instead of stopping at the first; {@link #check()} throws them all at once.
 */
final class JsonFields {

    private final JsonNode node;
    private final String at;
    private final Map<String, String> problems;

    /** @param at the object's name with a trailing dot ({@code "criteria."}), or "" for the body itself */
    JsonFields(JsonNode node, String at, Map<String, String> problems) {
        this.node = node;
        this.at = at;
        this.problems = problems;
    }

    static JsonFields of(JsonNode node, String at) {
        return new JsonFields(node, at, new LinkedHashMap<>());
    }

    /** A nested object's reader sharing this one's problems, or null (problem noted) when it is not an object. */
    JsonFields object(String field, boolean required) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            if (required) problem(field, "is required (an object)");
            return null;
        }
        if (!v.isObject()) {
            problem(field, "must be an object, was " + v.getNodeType().name().toLowerCase(java.util.Locale.ROOT));
            return null;
        }
        return new JsonFields(v, at + field + ".", problems);
    }

    /** Notes every field not in {@code allowed}. */
    void only(Set<String> allowed) {
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!allowed.contains(f)) problem(f, "not a known field (known: " + String.join(", ", new TreeSet<>(allowed)) + ")");
        }
    }

    /** A string, stripped; null when absent, null or blank (a form's empty input means "not given"). */
    String text(String field, int maxLength) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) return null;
        if (!v.isTextual()) {
            problem(field, "must be a string, was " + v);
            return null;
        }
        String s = v.asText().strip();
        if (s.isEmpty()) return null;
        if (s.length() > maxLength) {
            problem(field, "at most " + maxLength + " characters, was " + s.length());
            return null;
        }
        return s;
    }

    /** A whole number in [min, max]; null when absent or null. */
    Long number(String field, long min, long max) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) return null;
        if (!v.isIntegralNumber() || !v.canConvertToLong()) {
            problem(field, "must be a whole number, was " + v);
            return null;
        }
        if (v.asLong() < min || v.asLong() > max) {
            problem(field, "must be from " + min + " to " + max + ", was " + v);
            return null;
        }
        return v.asLong();
    }

    /** An ISO-8601 time with an offset ({@code 2026-11-22T12:00:00Z}); null when absent or null. */
    Instant time(String field) {
        String s = text(field, 64);
        if (s == null) return null;
        try {
            return OffsetDateTime.parse(s).toInstant();
        } catch (DateTimeParseException e) {
            problem(field, "not an ISO-8601 time with an offset (2026-11-22T12:00:00Z): '" + s + "'");
            return null;
        }
    }

    void problem(String field, String text) {
        problems.putIfAbsent(at + field, text);
    }

    /** Adds the problems a constructor found (their fields are full names already). */
    void merge(BulkValidationException e) {
        e.fields().forEach(problems::putIfAbsent);
    }

    int problemCount() {
        return problems.size();
    }

    /** Throws every problem noted so far (by this reader and its nested ones). */
    void check() {
        if (!problems.isEmpty()) throw new BulkValidationException(problems);
    }
}
