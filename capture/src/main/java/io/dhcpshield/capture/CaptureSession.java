package io.dhcpshield.capture;

import java.time.Instant;
import java.util.Locale;
import java.util.Objects;

/**
 * One capture session as it stands at the moment it was read (an immutable snapshot; {@link CaptureManager} holds
 * the live one). {@link CaptureJson#session} is its JSON form.
 *
 * @param id         generated (a UUID); the file is {@code <id>.pcapng} in {@code capture.dir}
 * @param label      the operator's label, for display only
 * @param createdBy  who started it
 * @param stopReason null while running
 * @param packets    packets written
 * @param bytes      the packets' bytes written (without the file's block headers)
 * @param dropped    packets the filter selected but the session could not write (its byte limit, a write error)
 * @param stoppedAt  null while running
 * @param fileBytes  the file's size: whole blocks, readable at any moment
 */
public record CaptureSession(String id, String label, String createdBy, CaptureFilter filter, CaptureLimits limits,
                             State state, StopReason stopReason, long packets, long bytes, long dropped,
                             Instant startedAt, Instant stoppedAt, long fileBytes) {

    /** Running or stopped. */
    public enum State {
        RUNNING, STOPPED;

        /** {@code running}, {@code stopped}. */
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public CaptureSession {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(filter, "filter");
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(startedAt, "startedAt");
        label = label == null ? "" : label;
        createdBy = createdBy == null ? "" : createdBy;
    }

    public boolean running() {
        return state == State.RUNNING;
    }

    /** The name a download offers: {@code capture-<id>.pcapng}. */
    public String fileName() {
        return "capture-" + id + ".pcapng";
    }
}
