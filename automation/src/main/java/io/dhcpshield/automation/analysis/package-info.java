/**
 * The analysis queue (docs/automation.md, "Analysis"): devices queued by the {@code analyze} action or by an operator
 * are summarised from ClickHouse, the operator's prompt is rendered around the summary, and an optional
 * OpenAI-compatible chat-completions backend recommends one deterministic action, applied through the Action Manager
 * or held for approval. {@link io.dhcpshield.automation.analysis.AnalysisService} is the entry point.
 */
package io.dhcpshield.automation.analysis;
