/**
 * Automation (docs/automation.md): scheduled threshold rules on ClickHouse aggregates ({@code rules}), the analysis
 * queue with an optional OpenAI-compatible backend ({@code analysis}), and the built-in detectors
 * ({@code detectors}). Every action goes through the Action Manager with the rule or the analysis as the actor.
 */
package io.dhcpshield.automation;
