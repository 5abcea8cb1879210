package io.dhcpshield.automation.analysis;

import java.util.Locale;
import java.util.Objects;

/**
 * What an operator's approval or rejection of a held recommendation did: done (the analysis is now approved, its
 * action applied, or rejected), no such analysis, not held (already decided, or never held), or failed (the Action
 * Manager refused; the analysis stays held and may be approved again).
 *
 * @param result  the analysis after the decision (before it, when nothing changed); null when not found
 * @param message why, for anything but done
 */
public record Decision(Status status, AnalysisResult result, String message) {

    public enum Status {
        DONE, NOT_FOUND, NOT_HELD, FAILED;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public Decision {
        Objects.requireNonNull(status, "status");
        message = message == null ? "" : message;
    }
}
