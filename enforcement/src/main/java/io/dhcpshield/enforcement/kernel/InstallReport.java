package io.dhcpshield.enforcement.kernel;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The outcome of one ruleset install, as status and logs report it. */
public record InstallReport(
        @JsonProperty("ok") boolean ok,
        @JsonProperty("profile") String profile,
        @JsonProperty("queue_mode") String queueMode,
        @JsonProperty("probe") String probe,
        @JsonProperty("chains") int chains,
        @JsonProperty("sets") int sets,
        @JsonProperty("counters") int counters,
        @JsonProperty("rules") int rules,
        @JsonProperty("batch_bytes") int batchBytes,
        @JsonProperty("dry_run_ms") double dryRunMs,
        @JsonProperty("apply_ms") double applyMs,
        @JsonProperty("stage") String stage,
        @JsonProperty("error") String error) {}
