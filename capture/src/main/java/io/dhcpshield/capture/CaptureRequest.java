package io.dhcpshield.capture;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;
import java.util.Objects;

/**
 * What an operator asks for when starting a capture: a label to show (never part of a path), a filter and limits.
 * {@link #of} reads the API's body, {@code {"label", "filter": {...}, "max_packets", "max_bytes", "max_seconds"}}.
 */
public record CaptureRequest(String label, CaptureFilter filter, CaptureLimits limits) {

    /** The body's keys. */
    public static final List<String> KEYS = List.of("label", "filter", "max_packets", "max_bytes", "max_seconds");
    /** The longest label. */
    public static final int MAX_LABEL = 200;

    public CaptureRequest {
        label = label == null ? "" : label;
        Objects.requireNonNull(filter, "filter");
        Objects.requireNonNull(limits, "limits");
    }

    /**
     * The request a JSON body describes: absent limits take {@code config}'s defaults, given ones must lie within
     * its bounds. Every problem is reported by field ({@code max_packets: must be 1..1000000, was 0}).
     */
    public static CaptureRequest of(JsonNode body, CaptureConfig config) {
        Fields f = new Fields();
        if (body == null || !body.isObject()) {
            f.problem("body", "must be a JSON object");
            f.check();
        }
        f.only(body, "", KEYS);
        String label = f.text(body, "label", "label", MAX_LABEL);
        CaptureFilter filter = CaptureFilter.read(body.get("filter"), f);
        CaptureLimits d = config.defaultLimits();
        CaptureLimits b = config.maxLimits();
        long packets = limit(f, body, "max_packets", d.maxPackets(), 1, b.maxPackets());
        long bytes = limit(f, body, "max_bytes", d.maxBytes(), CaptureLimits.MIN_BYTES, b.maxBytes());
        long seconds = limit(f, body, "max_seconds", d.maxSeconds(), 1, b.maxSeconds());
        f.check();
        return new CaptureRequest(label, filter, new CaptureLimits(packets, bytes, seconds));
    }

    private static long limit(Fields f, JsonNode body, String key, long fallback, long min, long max) {
        Long v = f.number(body, key, key);
        if (v == null) {
            return fallback;
        }
        if (v < min || v > max) {
            f.problem(key, "must be " + min + ".." + max + ", was " + v);
            return fallback;
        }
        return v;
    }

    /** Refuses limits outside {@code config}'s bounds, naming the field (for requests built in code). */
    void check(CaptureConfig config) {
        Fields f = new Fields();
        CaptureLimits b = config.maxLimits();
        if (limits.maxPackets() > b.maxPackets()) {
            f.problem("max_packets", "must be 1.." + b.maxPackets() + ", was " + limits.maxPackets());
        }
        if (limits.maxBytes() > b.maxBytes()) {
            f.problem("max_bytes", "must be " + CaptureLimits.MIN_BYTES + ".." + b.maxBytes() + ", was "
                    + limits.maxBytes());
        }
        if (limits.maxSeconds() > b.maxSeconds()) {
            f.problem("max_seconds", "must be 1.." + b.maxSeconds() + ", was " + limits.maxSeconds());
        }
        if (label.length() > MAX_LABEL) {
            f.problem("label", "longer than " + MAX_LABEL + " characters");
        }
        f.check();
    }
}
