/**
 * Bulk Actions: select clients by criteria over {@code dhcp_events} and the action history ({@link
 * io.dhcpshield.automation.bulk.BulkCriteria}), preview the count and a sample, and run jobs that apply one action to
 * them in batches through the Action Manager with the job as the actor ({@link
 * io.dhcpshield.automation.bulk.BulkJobRunner}). Jobs and their resolved targets live in ClickHouse (migration
 * V012), so a job survives a restart. {@link io.dhcpshield.automation.bulk.BulkJson} is the API's JSON. See
 * docs/bulk.md.
 */
package io.dhcpshield.automation.bulk;
