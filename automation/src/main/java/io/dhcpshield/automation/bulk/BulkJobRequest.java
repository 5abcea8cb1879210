package io.dhcpshield.automation.bulk;

import io.dhcpshield.enforcement.action.ActionType;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What an operator asks of a bulk job (the API's {@code POST /bulk/jobs} body): the criteria, one action, its
 * duration (null: the action's default), the reason every action record carries, the batch size and when to run
 * (null: now). Validated here, every problem naming its field.
 */
public record BulkJobRequest(BulkCriteria criteria, ActionType action, Duration duration, String reason,
                             int batchSize, Instant runAt) {

    public static final int DEFAULT_BATCH_SIZE = 500;
    public static final int MAX_BATCH_SIZE = 5000;
    /** Longest duration an action of a job may have. */
    public static final Duration MAX_DURATION = Duration.ofDays(365);
    public static final int MAX_REASON = 500;
    /** The actions a job may take (analyze goes through the analysis queue, one device at a time). */
    public static final List<ActionType> ACTIONS = List.of(ActionType.BLOCK, ActionType.DENY, ActionType.THROTTLE,
            ActionType.MONITOR, ActionType.ALLOW, ActionType.CLEANUP);

    public BulkJobRequest {
        Objects.requireNonNull(criteria, "criteria");
        Map<String, String> problems = new LinkedHashMap<>();
        if (action == null || !ACTIONS.contains(action)) {
            problems.put("action", "must be one of block, deny, throttle, monitor, allow, cleanup"
                    + (action == null ? "" : ", was " + action.label()));
        } else if (duration != null && (action == ActionType.DENY || action == ActionType.CLEANUP)) {
            problems.put("duration_seconds", action == ActionType.DENY
                    ? "deny is permanent: leave duration_seconds out (use block for a timed drop)"
                    : "cleanup has no duration: leave duration_seconds out");
        }
        if (duration != null && (duration.toSeconds() < 1 || duration.compareTo(MAX_DURATION) > 0)) {
            problems.put("duration_seconds", "must be from 1 to " + MAX_DURATION.toSeconds() + ", was "
                    + duration.toSeconds());
        }
        if (reason == null || reason.isBlank()) problems.put("reason", "is required (it is in every action's record)");
        else if (reason.length() > MAX_REASON) problems.put("reason", "at most " + MAX_REASON + " characters");
        if (batchSize < 1 || batchSize > MAX_BATCH_SIZE) {
            problems.put("batch_size", "must be from 1 to " + MAX_BATCH_SIZE + ", was " + batchSize);
        }
        if (!problems.isEmpty()) throw new BulkValidationException(problems);
        reason = reason.strip();
    }
}
