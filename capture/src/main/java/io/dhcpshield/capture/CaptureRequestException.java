package io.dhcpshield.capture;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A capture request, filter, limit or id refused, with every problem by the field it concerns ({@code filter.mac},
 * {@code max_packets}, {@code id}): the API answers it as a 400 naming the first field.
 */
public final class CaptureRequestException extends IllegalArgumentException {

    private final Map<String, String> problems;

    public CaptureRequestException(Map<String, String> problems) {
        super(problems.entrySet().stream().map(e -> e.getKey() + ": " + e.getValue())
                .collect(Collectors.joining("; ")));
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("no problems");
        }
        this.problems = Collections.unmodifiableMap(new LinkedHashMap<>(problems));
    }

    public CaptureRequestException(String field, String problem) {
        this(Map.of(field, problem));
    }

    /** The first field refused. */
    public String field() {
        return problems.keySet().iterator().next();
    }

    /** Every field refused and why, in the order they were checked. */
    public Map<String, String> problems() {
        return problems;
    }
}
