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
        @JsonProperty("batch_size") Integer batchSize,
        @JsonProperty("flush_duration_secs") Integer flushDurationSecs,
        @JsonProperty("clickhouse") ClickHouseSection clickhouse,
        @JsonProperty("vector") VectorSection vector,
        @JsonProperty("nfqueue") NfQueueSection nfqueue,
        @JsonProperty("events") EventsSection events,
        @JsonProperty("rules") RulesSection rules,
        @JsonProperty("enforcement") EnforcementSection enforcement,
        @JsonProperty("retention") FeatureSection retention,
        @JsonProperty("operational") java.util.Map<String, Object> operational) {

    public ProcessorConfig {
        siteId = siteId != null ? siteId : "";
        dropNonDhcpPackets = dropNonDhcpPackets != null ? dropNonDhcpPackets : false;
        countersLogIntervalSecs = countersLogIntervalSecs != null ? countersLogIntervalSecs : 60;
        batchSize = batchSize != null ? batchSize : 50_000;
        flushDurationSecs = flushDurationSecs != null ? flushDurationSecs : 60;
        clickhouse = clickhouse != null ? clickhouse : new ClickHouseSection(null, null, null, null, null, null, null);
        vector = vector != null ? vector : new VectorSection(null, null);
        nfqueue = nfqueue != null ? nfqueue : new NfQueueSection(null, null, null, null, null, null, null);
        events = events != null ? events : new EventsSection(null);
        rules = rules != null ? rules : new RulesSection(null);
        enforcement = enforcement != null ? enforcement : new EnforcementSection(null, null, null);
        retention = retention != null ? retention : new FeatureSection(null);
        operational = operational != null ? java.util.Map.copyOf(operational) : java.util.Map.of();
    }

    /**
     * The YAML defaults of Operational configuration, by full key name ({@code operational.retention.events_days});
     * a value in ClickHouse's {@code system_config} overrides them at runtime. Nested YAML maps are flattened.
     */
    public java.util.Map<String, String> operationalValues() {
        java.util.Map<String, String> out = new java.util.TreeMap<>();
        flatten("operational", operational, out);
        return out;
    }

    private static void flatten(String prefix, Object value, java.util.Map<String, String> out) {
        if (value instanceof java.util.Map<?, ?> m) {
            m.forEach((k, v) -> flatten(prefix + "." + k, v, out));
        } else {
            out.put(prefix, String.valueOf(value));
        }
    }

    /** All defaults. */
    public static ProcessorConfig defaults() {
        return new ProcessorConfig(null, null, null, null, null, null, null, null, null, null, null, null, null);
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

    /**
     * {@code clickhouse.*}: event storage. The event writer batches on the top-level {@code batch_size} rows or
     * {@code flush_duration_secs}, whichever comes first; an unreachable server costs events (counted), never
     * verdicts, and the processor keeps retrying the connection in the background.
     */
    public record ClickHouseSection(
            @JsonProperty("enabled") Boolean enabled,
            @JsonProperty("endpoint") String endpoint,
            @JsonProperty("database") String database,
            @JsonProperty("user") String user,
            @JsonProperty("password") String password,
            @JsonProperty("driver_options") String driverOptions,
            @JsonProperty("max_buffered") Integer maxBuffered) {
        public ClickHouseSection {
            enabled = enabled != null ? enabled : false;
            endpoint = endpoint != null ? endpoint : "http://127.0.0.1:8123";
            database = database != null ? database : "dhcp_shield";
            user = user != null ? user : "default";
            password = password != null ? password : "";
            driverOptions = driverOptions != null ? driverOptions
                    : io.dhcpshield.storage.ClickHouseConfig.COMPAT_DRIVER_OPTIONS;
            maxBuffered = maxBuffered != null ? maxBuffered : 1_000_000;
        }
    }

    /** {@code vector.*}: events as JSON lines POSTed to an HTTP endpoint (a Vector http_server source), same batching. */
    public record VectorSection(@JsonProperty("enabled") Boolean enabled, @JsonProperty("endpoint") String endpoint) {
        public VectorSection {
            enabled = enabled != null ? enabled : false;
            endpoint = endpoint != null ? endpoint : "http://127.0.0.1:8686/events";
        }
    }

    /** {@code events.*}: the fan-out after the verdict. */
    public record EventsSection(@JsonProperty("buffer_per_subscriber") Integer bufferPerSubscriber) {
        public EventsSection {
            bufferPerSubscriber = bufferPerSubscriber != null ? bufferPerSubscriber : 65_536;
        }
    }

    /**
     * {@code enforcement.*}: whether the daemon installs the {@code inet dhcp_inspection} ruleset at start (one
     * validated transaction; its queue range follows {@code nfqueue.queue_count}), from which throttling profile, and
     * how the queueing step is made ({@code auto} probes the kernel: nft {@code queue} where it exists, iptables-nft
     * NFQUEUE where it does not).
     */
    public record EnforcementSection(
            @JsonProperty("install_ruleset") Boolean installRuleset,
            @JsonProperty("profile") String profile,
            @JsonProperty("queue_mode") String queueMode) {
        public EnforcementSection {
            installRuleset = installRuleset != null ? installRuleset : false;
            profile = profile != null ? profile : "medium";
            queueMode = queueMode != null ? queueMode : "auto";
        }
    }

    /** A feature's Core switch ({@code <feature>.enabled}, restart to change); {@code active} lives in the database. */
    public record FeatureSection(@JsonProperty("enabled") Boolean enabled) {
        public FeatureSection {
            enabled = enabled != null ? enabled : true;
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
