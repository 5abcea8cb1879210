package io.dhcpshield.capture;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads the fields of a request object, collecting every problem by field name instead of stopping at the first. */
final class Fields {

    private final Map<String, String> problems = new LinkedHashMap<>();

    void problem(String field, String message) {
        problems.putIfAbsent(field, message);
    }

    /** Throws the problems found, if any. */
    void check() {
        if (!problems.isEmpty()) {
            throw new CaptureRequestException(problems);
        }
    }

    /** Refuses keys of {@code object} other than {@code known} (a typo must not widen a capture silently). */
    void only(JsonNode object, String prefix, List<String> known) {
        Iterator<String> names = object.fieldNames();
        while (names.hasNext()) {
            String n = names.next();
            if (!known.contains(n)) {
                problem(prefix + n, "unknown field; expected one of " + String.join(", ", known));
            }
        }
    }

    /**
     * An optional string: null when absent, null or empty; a problem when not a string, longer than
     * {@code maxLength} or holding control characters.
     */
    String text(JsonNode object, String key, String field, int maxLength) {
        JsonNode v = object.get(key);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            problem(field, "must be a string");
            return null;
        }
        String s = v.asText().strip();
        if (s.length() > maxLength) {
            problem(field, "longer than " + maxLength + " characters");
            return null;
        }
        for (int i = 0; i < s.length(); i++) {
            if (Character.isISOControl(s.charAt(i))) {
                problem(field, "contains a control character");
                return null;
            }
        }
        return s.isEmpty() ? null : s;
    }

    /** An optional whole number: null when absent or null; a problem when not one. */
    Long number(JsonNode object, String key, String field) {
        JsonNode v = object.get(key);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isIntegralNumber() || !v.canConvertToLong()) {
            problem(field, "must be a whole number");
            return null;
        }
        return v.asLong();
    }
}
