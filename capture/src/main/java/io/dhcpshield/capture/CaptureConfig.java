package io.dhcpshield.capture;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Packet capture (Core config, {@code capture.*}). The defaults live here and only here: {@link #defaults()}. Every
 * invalid value fails with an {@link IllegalArgumentException} naming its key.
 *
 * @param dir           {@code capture.dir}: where the files go ({@code <id>.pcapng} and its {@code <id>.json}); made
 *                      at start, readable by its owner only
 * @param maxTotalBytes {@code capture.max_total_bytes}: the oldest finished captures are removed while the directory's
 *                      captures hold more than this
 * @param maxAgeHours   {@code capture.max_age_hours}: finished captures older than this are removed
 * @param buffer        {@code capture.buffer}: events the fan-out holds for capture while its thread is busy; beyond
 *                      it they are dropped and counted ({@code capture_dropped{reason="queue_full"}})
 * @param maxSessions   {@code capture.max_sessions}: sessions running at once at most
 * @param defaultLimits {@code capture.default_limits.*}: the limits of a request that gives none
 * @param maxLimits     {@code capture.max_limits.*}: the largest limits a request may ask for
 */
public record CaptureConfig(Path dir, long maxTotalBytes, int maxAgeHours, int buffer, int maxSessions,
                            CaptureLimits defaultLimits, CaptureLimits maxLimits) {

    public static final Path DEFAULT_DIR = Path.of("/var/lib/dhcp-shield/captures");
    private static final long MIB = 1024 * 1024;

    public CaptureConfig {
        Objects.requireNonNull(dir, "capture.dir");
        Objects.requireNonNull(defaultLimits, "capture.default_limits");
        Objects.requireNonNull(maxLimits, "capture.max_limits");
        check(maxTotalBytes >= MIB, "capture.max_total_bytes must be at least 1 MiB (1048576), was " + maxTotalBytes);
        check(maxAgeHours >= 1 && maxAgeHours <= 24 * 366, "capture.max_age_hours must be 1..8784, was "
                + maxAgeHours);
        check(buffer >= 16 && buffer <= 1_000_000, "capture.buffer must be 16..1000000, was " + buffer);
        check(maxSessions >= 1 && maxSessions <= 64, "capture.max_sessions must be 1..64, was " + maxSessions);
        check(maxLimits.maxBytes() <= maxTotalBytes, "capture.max_limits.max_bytes (" + maxLimits.maxBytes()
                + ") must be at most capture.max_total_bytes (" + maxTotalBytes + ")");
        check(defaultLimits.maxPackets() <= maxLimits.maxPackets(), "capture.default_limits.max_packets ("
                + defaultLimits.maxPackets() + ") must be at most capture.max_limits.max_packets (" + maxLimits.maxPackets()
                + ")");
        check(defaultLimits.maxBytes() <= maxLimits.maxBytes(), "capture.default_limits.max_bytes (" + defaultLimits.maxBytes()
                + ") must be at most capture.max_limits.max_bytes (" + maxLimits.maxBytes() + ")");
        check(defaultLimits.maxSeconds() <= maxLimits.maxSeconds(), "capture.default_limits.max_seconds ("
                + defaultLimits.maxSeconds() + ") must be at most capture.max_limits.max_seconds (" + maxLimits.maxSeconds()
                + ")");
    }

    /**
     * The defaults: {@link #DEFAULT_DIR}, 256 MiB in all, a week's age, a 4096-event buffer, 8 sessions; a request
     * without limits stops at 1000 packets, 10 MiB or 300 s, and may ask for up to 1,000,000 packets, 128 MiB or a
     * day.
     */
    public static CaptureConfig defaults() {
        return new CaptureConfig(DEFAULT_DIR, 256 * MIB, 168, 4096, 8, new CaptureLimits(1000, 10 * MIB, 300),
                new CaptureLimits(1_000_000, 128 * MIB, 86_400));
    }

    /** This config writing to {@code dir}. */
    public CaptureConfig withDir(Path dir) {
        return new CaptureConfig(dir, maxTotalBytes, maxAgeHours, buffer, maxSessions, defaultLimits, maxLimits);
    }

    /** This config with other storage bounds. */
    public CaptureConfig withStorage(long maxTotalBytes, int maxAgeHours) {
        return new CaptureConfig(dir, maxTotalBytes, maxAgeHours, buffer, maxSessions, defaultLimits, maxLimits);
    }

    /** This config with another fan-out buffer and session count. */
    public CaptureConfig withSessions(int buffer, int maxSessions) {
        return new CaptureConfig(dir, maxTotalBytes, maxAgeHours, buffer, maxSessions, defaultLimits, maxLimits);
    }

    /** This config with other default limits and bounds. */
    public CaptureConfig withLimits(CaptureLimits defaultLimits, CaptureLimits maxLimits) {
        return new CaptureConfig(dir, maxTotalBytes, maxAgeHours, buffer, maxSessions, defaultLimits, maxLimits);
    }

    private static void check(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }
}
