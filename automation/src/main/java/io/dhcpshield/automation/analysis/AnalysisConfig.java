package io.dhcpshield.automation.analysis;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * How the analysis queue runs and which optional backend it asks (Core config, {@code automation.analysis.*}). The
 * defaults live here and only here: {@link #defaults()}. With {@code enabled} false, or no {@code base_url} or
 * {@code model}, every request ends {@code skipped} at once: the product enforces fully without a backend.
 *
 * @param enabled          ask the backend at all
 * @param baseUrl          the OpenAI-compatible API root; requests go to {@code {base_url}/chat/completions}
 * @param model            the model name sent with every request
 * @param apiKey           sent as {@code Authorization: Bearer ...}; empty for none
 * @param apiKeyFile       a file holding the key (read at start, trimmed); used when {@code apiKey} is empty
 * @param promptId         the {@code system_analysis_prompts} entry rendered for every request
 * @param timeout          one backend request's limit (connect and answer)
 * @param maxAttempts      backend requests per analysis (1 = no retry); only timeouts, I/O errors, 408, 429, 5xx retry
 * @param backoff          the wait before the first retry; doubles per retry up to {@code backoffMax}
 * @param backoffMax       the longest wait between two attempts
 * @param breakerThreshold consecutive failed backend requests that open the circuit breaker
 * @param breakerCooldown  how long an open breaker refuses calls before one trial request is let through
 * @param queueCapacity    requests waiting at most (running ones not counted); beyond it a request is refused
 * @param workers          analyses running at once
 * @param approval         {@code AUTO}: apply the recommendation; {@code HOLD}: keep it for an operator's approval
 * @param pollInterval     how often the Action Manager's analysis queue (the {@code analyze} action) is drained
 * @param summaryWindow    how far back the message-type counts of a summary reach
 * @param summaryLimit     entries per list in a summary (fingerprints, relays, bindings, actions)
 */
public record AnalysisConfig(boolean enabled, String baseUrl, String model, String apiKey, Path apiKeyFile,
                             String promptId, Duration timeout, int maxAttempts, Duration backoff, Duration backoffMax,
                             int breakerThreshold, Duration breakerCooldown, int queueCapacity, int workers,
                             Approval approval, Duration pollInterval, Duration summaryWindow, int summaryLimit) {

    /** What happens to a valid recommendation. */
    public enum Approval {
        /** Applied through the Action Manager at once. */
        AUTO,
        /** Kept as {@code held} until an operator approves or rejects it. */
        HOLD;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** {@code auto} or {@code hold}. */
        public static Approval parse(String s) {
            try {
                return valueOf(s.strip().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("approval must be auto or hold, was '" + s + "'");
            }
        }
    }

    public AnalysisConfig {
        baseUrl = baseUrl == null ? "" : baseUrl.strip();
        model = model == null ? "" : model.strip();
        apiKey = apiKey == null ? "" : apiKey.strip();
        promptId = promptId == null || promptId.isBlank() ? PromptStore.DEFAULT_ID : promptId.strip();
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(backoff, "backoff");
        Objects.requireNonNull(backoffMax, "backoffMax");
        Objects.requireNonNull(breakerCooldown, "breakerCooldown");
        Objects.requireNonNull(approval, "approval");
        Objects.requireNonNull(pollInterval, "pollInterval");
        Objects.requireNonNull(summaryWindow, "summaryWindow");
        if (!baseUrl.isEmpty()) {
            URI u;
            try {
                u = URI.create(baseUrl);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("base_url is not a URL: '" + baseUrl + "'");
            }
            if (!("http".equals(u.getScheme()) || "https".equals(u.getScheme())) || u.getHost() == null) {
                throw new IllegalArgumentException("base_url must be an http(s) URL, was '" + baseUrl + "'");
            }
        }
        check(positive(timeout), "timeout must be positive");
        check(maxAttempts >= 1 && maxAttempts <= 10, "max_attempts must be 1..10, was " + maxAttempts);
        check(!backoff.isNegative() && backoffMax.compareTo(backoff) >= 0, "need 0 <= backoff <= backoff_max");
        check(breakerThreshold >= 1, "breaker_threshold must be at least 1, was " + breakerThreshold);
        check(positive(breakerCooldown), "breaker_cooldown must be positive");
        check(queueCapacity >= 1 && queueCapacity <= 1_000_000, "queue_capacity must be 1..1000000, was "
                + queueCapacity);
        check(workers >= 1 && workers <= 64, "workers must be 1..64, was " + workers);
        check(positive(pollInterval), "poll_interval must be positive");
        check(positive(summaryWindow), "summary_window must be positive");
        check(summaryLimit >= 1 && summaryLimit <= 100, "summary_limit must be 1..100, was " + summaryLimit);
    }

    /**
     * Compiled defaults: off, 30 s per request, 3 attempts 2 s then 4 s apart, the breaker opens after 5 failures
     * in a row for 5 minutes, 1,000 requests queued, 2 at once, recommendations applied at once, the Action
     * Manager's queue drained every second, 24 hours of message types and 10 entries per list in a summary.
     */
    public static AnalysisConfig defaults() {
        return new AnalysisConfig(false, "", "", "", null, PromptStore.DEFAULT_ID, Duration.ofSeconds(30), 3,
                Duration.ofSeconds(2), Duration.ofSeconds(30), 5, Duration.ofMinutes(5), 1000, 2, Approval.AUTO,
                Duration.ofSeconds(1), Duration.ofHours(24), 10);
    }

    /** Enabled, with a base URL and a model: the backend is asked. */
    public boolean backendConfigured() {
        return enabled && !baseUrl.isEmpty() && !model.isEmpty();
    }

    /**
     * The key to send: {@code apiKey}, else the trimmed content of {@code apiKeyFile}, else empty.
     *
     * @throws IllegalArgumentException naming the file when it cannot be read
     */
    public String resolveApiKey() {
        if (!apiKey.isEmpty() || apiKeyFile == null) {
            return apiKey;
        }
        try {
            return Files.readString(apiKeyFile, StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new IllegalArgumentException("api_key_file " + apiKeyFile + " cannot be read: " + e.getMessage());
        }
    }

    /** The wait before retry number {@code retry} (1 = the first retry). */
    public Duration backoffBefore(int retry) {
        Duration d = backoff;
        for (int i = 1; i < retry && d.compareTo(backoffMax) < 0; i++) {
            d = d.multipliedBy(2);
        }
        return d.compareTo(backoffMax) > 0 ? backoffMax : d;
    }

    public AnalysisConfig withBackend(String newBaseUrl, String newModel, String newApiKey) {
        return new AnalysisConfig(true, newBaseUrl, newModel, newApiKey, apiKeyFile, promptId, timeout, maxAttempts,
                backoff, backoffMax, breakerThreshold, breakerCooldown, queueCapacity, workers, approval, pollInterval,
                summaryWindow, summaryLimit);
    }

    public AnalysisConfig withApiKeyFile(Path file) {
        return new AnalysisConfig(enabled, baseUrl, model, apiKey, file, promptId, timeout, maxAttempts, backoff,
                backoffMax, breakerThreshold, breakerCooldown, queueCapacity, workers, approval, pollInterval,
                summaryWindow, summaryLimit);
    }

    public AnalysisConfig withRetries(Duration newTimeout, int attempts, Duration newBackoff, Duration newBackoffMax) {
        return new AnalysisConfig(enabled, baseUrl, model, apiKey, apiKeyFile, promptId, newTimeout, attempts,
                newBackoff, newBackoffMax, breakerThreshold, breakerCooldown, queueCapacity, workers, approval,
                pollInterval, summaryWindow, summaryLimit);
    }

    public AnalysisConfig withBreaker(int threshold, Duration cooldown) {
        return new AnalysisConfig(enabled, baseUrl, model, apiKey, apiKeyFile, promptId, timeout, maxAttempts, backoff,
                backoffMax, threshold, cooldown, queueCapacity, workers, approval, pollInterval, summaryWindow,
                summaryLimit);
    }

    public AnalysisConfig withQueue(int capacity, int newWorkers) {
        return new AnalysisConfig(enabled, baseUrl, model, apiKey, apiKeyFile, promptId, timeout, maxAttempts, backoff,
                backoffMax, breakerThreshold, breakerCooldown, capacity, newWorkers, approval, pollInterval,
                summaryWindow, summaryLimit);
    }

    public AnalysisConfig withApproval(Approval newApproval) {
        return new AnalysisConfig(enabled, baseUrl, model, apiKey, apiKeyFile, promptId, timeout, maxAttempts, backoff,
                backoffMax, breakerThreshold, breakerCooldown, queueCapacity, workers, newApproval, pollInterval,
                summaryWindow, summaryLimit);
    }

    public AnalysisConfig withPrompt(String newPromptId) {
        return new AnalysisConfig(enabled, baseUrl, model, apiKey, apiKeyFile, newPromptId, timeout, maxAttempts,
                backoff, backoffMax, breakerThreshold, breakerCooldown, queueCapacity, workers, approval, pollInterval,
                summaryWindow, summaryLimit);
    }

    public AnalysisConfig withSummary(Duration window, int limit) {
        return new AnalysisConfig(enabled, baseUrl, model, apiKey, apiKeyFile, promptId, timeout, maxAttempts, backoff,
                backoffMax, breakerThreshold, breakerCooldown, queueCapacity, workers, approval, pollInterval, window,
                limit);
    }

    /** {@code {base_url}/chat/completions}, one slash between them. */
    String chatCompletionsUrl() {
        String b = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        return b + "/chat/completions";
    }

    private static boolean positive(Duration d) {
        return !d.isNegative() && !d.isZero();
    }

    private static void check(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }
}
