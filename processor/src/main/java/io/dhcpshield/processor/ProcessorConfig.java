package io.dhcpshield.processor;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;

/**
 * The Core configuration of {@code dhcp-processor} (config.yaml): infrastructure that needs a restart to change.
 * Every key has its compiled default here, in one place; docs/processor.md lists them.
 */
public record ProcessorConfig(
        @JsonProperty("site_id") String siteId,
        @JsonProperty("drop_non_dhcp_packets") Boolean dropNonDhcpPackets,
        @JsonProperty("counters_log_interval_secs") Integer countersLogIntervalSecs,
        @JsonProperty("nfqueue") NfQueueSection nfqueue,
        @JsonProperty("events") EventsSection events,
        @JsonProperty("rules") RulesSection rules) {

    public ProcessorConfig {
        siteId = siteId != null ? siteId : "";
        dropNonDhcpPackets = dropNonDhcpPackets != null ? dropNonDhcpPackets : false;
        countersLogIntervalSecs = countersLogIntervalSecs != null ? countersLogIntervalSecs : 60;
        nfqueue = nfqueue != null ? nfqueue : new NfQueueSection(null, null, null, null, null, null, null);
        events = events != null ? events : new EventsSection(null);
        rules = rules != null ? rules : new RulesSection(null);
    }

    /** All defaults. */
    public static ProcessorConfig defaults() {
        return new ProcessorConfig(null, null, null, null, null, null);
    }

    /** {@code nfqueue.*}: the kernel queues the processor binds (1..queue_count). */
    public record NfQueueSection(
            @JsonProperty("queue_count") Integer queueCount,
            @JsonProperty("transport") String transport,
            @JsonProperty("copy_range") Integer copyRange,
            @JsonProperty("max_len") Integer maxLen,
            @JsonProperty("fail_open") Boolean failOpen,
            @JsonProperty("receive_buffer_bytes") Integer receiveBufferBytes,
            @JsonProperty("read_batch") Integer readBatch) {

        public NfQueueSection {
            queueCount = queueCount != null ? queueCount : 8;
            transport = transport != null ? transport : "auto";
            copyRange = copyRange != null ? copyRange : 4096;
            maxLen = maxLen != null ? maxLen : 8192;
            failOpen = failOpen != null ? failOpen : true;
            receiveBufferBytes = receiveBufferBytes != null ? receiveBufferBytes : 32 * 1024 * 1024;
            readBatch = readBatch != null ? readBatch : 64;
        }
    }

    /** {@code events.*}: the fan-out after the verdict. */
    public record EventsSection(@JsonProperty("buffer_per_subscriber") Integer bufferPerSubscriber) {
        public EventsSection {
            bufferPerSubscriber = bufferPerSubscriber != null ? bufferPerSubscriber : 65_536;
        }
    }

    /** {@code rules.rules}: the deprecated custom rule engine; ships empty. */
    public record RulesSection(@JsonProperty("rules") List<RuleEntry> rules) {
        public RulesSection {
            rules = rules != null ? List.copyOf(rules) : List.of();
        }
    }

    /** One custom rule: {@code field} is client_mac, vendor_class, hostname or client_identifier. */
    public record RuleEntry(
            @JsonProperty("name") String name,
            @JsonProperty("field") String field,
            @JsonProperty("match") String match,
            @JsonProperty("value") String value,
            @JsonProperty("mark") String mark) {
    }
}
