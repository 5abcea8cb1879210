package io.dhcpshield.automation.analysis;

import java.util.Locale;

/**
 * The states of one analysis, as {@code analysis_results.state} stores them. queued → running → applied, held,
 * invalid, failed or skipped; held → approved or rejected. Every change is a new row version.
 */
public enum AnalysisState {
    /** Waiting in the queue. */
    QUEUED,
    /** The summary is being built or the backend asked. */
    RUNNING,
    /** The recommendation was applied through the Action Manager. */
    APPLIED,
    /** The recommendation waits for an operator (approval mode hold). */
    HELD,
    /** An operator approved the held recommendation and it was applied. */
    APPROVED,
    /** An operator rejected the held recommendation; nothing was applied. */
    REJECTED,
    /** The backend answered something that is not exactly one recommendation; nothing was applied. */
    INVALID,
    /** The backend failed (timeouts, errors, breaker open), or the summary or the action could not be made. */
    FAILED,
    /** Not asked: no backend is configured, or the device cannot be summarised. */
    SKIPPED;

    /** The stored and reported word: {@code queued}, {@code held}, ... */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Whether nothing more happens to an analysis in this state (held still waits for an operator). */
    public boolean finished() {
        return this != QUEUED && this != RUNNING && this != HELD;
    }

    public static AnalysisState parse(String s) {
        try {
            return valueOf(s.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("state must be one of queued, running, applied, held, approved,"
                    + " rejected, invalid, failed, skipped; was '" + s + "'");
        }
    }
}
