package io.dhcpshield.automation.analysis;

import io.dhcpshield.enforcement.action.ActionTarget;
import io.dhcpshield.enforcement.action.ActionType;

import java.time.Instant;
import java.util.Objects;

/**
 * One analysis in one state, as a row of {@code analysis_results}: which device, who asked, what the backend
 * recommended and why, with which model and prompt, how long the backend took, and the error when it failed. Immutable;
 * {@link #next} makes the following version.
 *
 * @param requestedBy    who queued it ({@code user:alice}, {@code automation_rule:<id>})
 * @param recommendation the recommended action, null until one parsed
 * @param reason         the backend's reason, or why it was skipped
 * @param latencyMs      time spent on backend requests, all attempts together
 * @param error          why it is invalid or failed ("" otherwise)
 */
public record AnalysisResult(String id, Instant requestedAt, ActionTarget target, String requestedBy,
                             AnalysisState state, ActionType recommendation, String reason, String model,
                             String promptId, long latencyMs, String error, Instant updatedAt) {

    public AnalysisResult {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(requestedAt, "requestedAt");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(updatedAt, "updatedAt");
        requestedBy = requestedBy == null ? "" : requestedBy;
        reason = reason == null ? "" : reason;
        model = model == null ? "" : model;
        promptId = promptId == null ? "" : promptId;
        error = error == null ? "" : error;
    }

    /** A request just queued. */
    static AnalysisResult queued(String id, ActionTarget target, String requestedBy, Instant at) {
        return new AnalysisResult(id, at, target, requestedBy, AnalysisState.QUEUED, null, "", "", "", 0, "", at);
    }

    /** The same analysis in {@code newState} at {@code at}. */
    AnalysisResult next(AnalysisState newState, Instant at) {
        return new AnalysisResult(id, requestedAt, target, requestedBy, newState, recommendation, reason, model,
                promptId, latencyMs, error, at);
    }

    AnalysisResult withRecommendation(Recommendation r) {
        return new AnalysisResult(id, requestedAt, target, requestedBy, state, r.action(), r.reason(), model,
                promptId, latencyMs, error, updatedAt);
    }

    AnalysisResult withBackend(String newModel, String newPromptId, long newLatencyMs) {
        return new AnalysisResult(id, requestedAt, target, requestedBy, state, recommendation, reason, newModel,
                newPromptId, newLatencyMs, error, updatedAt);
    }

    AnalysisResult withReason(String newReason) {
        return new AnalysisResult(id, requestedAt, target, requestedBy, state, recommendation, newReason, model,
                promptId, latencyMs, error, updatedAt);
    }

    AnalysisResult withError(String newError) {
        return new AnalysisResult(id, requestedAt, target, requestedBy, state, recommendation, reason, model,
                promptId, latencyMs, newError, updatedAt);
    }
}
