package io.dhcpshield.automation.analysis;

import java.util.Locale;
import java.util.Objects;

/**
 * What {@link AnalysisService#enqueue} did with a request: queued it as a new analysis, answered with the analysis
 * already queued or running for that device, or refused it because the queue is full (counted, never blocking).
 *
 * @param analysisId the new or the existing analysis; empty when refused
 */
public record EnqueueOutcome(Status status, String analysisId, String message) {

    public enum Status {
        QUEUED, DUPLICATE, QUEUE_FULL;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public EnqueueOutcome {
        Objects.requireNonNull(status, "status");
        analysisId = analysisId == null ? "" : analysisId;
        message = message == null ? "" : message;
    }

    public boolean accepted() {
        return status != Status.QUEUE_FULL;
    }
}
