package io.dhcpshield.automation.bulk;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A bulk request (criteria, preview or job) is not valid: every problem, each keyed by the field as the API's JSON
 * names it ({@code criteria.relay}, {@code batch_size}). The message is {@code field: problem} pairs joined by
 * {@code ; }, for example {@code criteria.relay: not an IP address: '10.0.0'}.
 */
public final class BulkValidationException extends IllegalArgumentException {

    private final Map<String, String> fields;

    public BulkValidationException(Map<String, String> fields) {
        super(message(fields));
        if (fields.isEmpty()) throw new IllegalArgumentException("no problem given");
        this.fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
    }

    /** One problem. */
    public static BulkValidationException of(String field, String problem) {
        return new BulkValidationException(Map.of(field, problem));
    }

    /** Field → problem, in the order they were found (the API's {@code "fields"}). */
    public Map<String, String> fields() {
        return fields;
    }

    /** Each problem as {@code field: problem}. */
    public List<String> problems() {
        return problems(fields);
    }

    private static List<String> problems(Map<String, String> fields) {
        List<String> out = new ArrayList<>();
        fields.forEach((f, p) -> out.add(f + ": " + p));
        return out;
    }

    private static String message(Map<String, String> fields) {
        return String.join("; ", problems(fields));
    }
}
