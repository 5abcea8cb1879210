package io.dhcpshield.core.service;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A service's readiness: ready or not with the reason, and named facts ({@code queues_bound: 2},
 * {@code queue_mode: xt-compat}) as plain JSON-able values.
 */
public record Readiness(boolean ready, String reason, Map<String, Object> detail) {

    public Readiness {
        Objects.requireNonNull(reason, "reason");
        detail = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(detail));
    }

    public static Readiness up() {
        return new Readiness(true, "", Map.of());
    }

    public static Readiness notReady(String reason) {
        return new Readiness(false, reason, Map.of());
    }

    /** The same readiness with one more fact. */
    public Readiness with(String key, Object value) {
        Map<String, Object> d = new LinkedHashMap<>(detail);
        d.put(key, value);
        return new Readiness(ready, reason, d);
    }
}
