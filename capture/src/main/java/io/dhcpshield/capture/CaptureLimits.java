package io.dhcpshield.capture;

/**
 * Where a capture session stops by itself: after {@code maxPackets} packets, before its file would pass
 * {@code maxBytes} (headers included), or {@code maxSeconds} after it started, whichever comes first.
 */
public record CaptureLimits(long maxPackets, long maxBytes, long maxSeconds) {

    /** The smallest {@code max_bytes}: the file's headers and a packet or two. */
    public static final long MIN_BYTES = 1024;

    public CaptureLimits {
        if (maxPackets < 1 || maxBytes < MIN_BYTES || maxSeconds < 1) {
            throw new IllegalArgumentException("capture limits must be positive (max_bytes at least " + MIN_BYTES
                    + "), were " + maxPackets + " packets, " + maxBytes + " bytes, " + maxSeconds + " s");
        }
    }

    /**
     * Limits read from configuration under {@code prefix} ({@code capture.default_limits.}): a value out of range
     * fails naming its key.
     */
    public static CaptureLimits of(String prefix, long maxPackets, long maxBytes, long maxSeconds) {
        if (maxPackets < 1) {
            throw new IllegalArgumentException(prefix + "max_packets must be at least 1, was " + maxPackets);
        }
        if (maxBytes < MIN_BYTES) {
            throw new IllegalArgumentException(prefix + "max_bytes must be at least " + MIN_BYTES + ", was "
                    + maxBytes);
        }
        if (maxSeconds < 1) {
            throw new IllegalArgumentException(prefix + "max_seconds must be at least 1, was " + maxSeconds);
        }
        return new CaptureLimits(maxPackets, maxBytes, maxSeconds);
    }

    /** True when every limit is at most the corresponding one of {@code bounds}. */
    public boolean within(CaptureLimits bounds) {
        return maxPackets <= bounds.maxPackets && maxBytes <= bounds.maxBytes && maxSeconds <= bounds.maxSeconds;
    }
}
