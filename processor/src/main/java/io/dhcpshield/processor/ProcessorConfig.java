package io.dhcpshield.processor;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.dhcpshield.api.ApiConfig;
import io.dhcpshield.core.pipeline.InspectionPipeline;
import io.dhcpshield.storage.ClickHouseConfig;
import io.dhcpshield.storage.WriterConfig;
import io.dhcpshield.transport.nfqueue.NfQueueConfig;
import io.dhcpshield.transport.nfqueue.NfQueueGroupConfig;
import io.dhcpshield.transport.nfqueue.NfQueueTransport;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The Core configuration of {@code dhcp-processor} (config.yaml): infrastructure that needs a restart to change. One
 * model: each section fills its absent keys from the module's own defaults ({@link NfQueueConfig},
 * {@link ClickHouseConfig}, {@link WriterConfig}, {@link ApiConfig}) and produces that module's config record, so a
 * default is written once and a value that passes {@code --check-config} is one the module accepts. Keys that belong
 * to no module (site, counters, enforcement switches) have their defaults here. docs/configuration.md is generated
 * from this model ({@link ConfigReference}).
 */
public record ProcessorConfig(
        @JsonProperty("mode") @JsonPropertyDescription("inline (NFQUEUE, ruleset, enforcement) or passive (fed only by "
                + "the TZSP collector: observes, stores and alarms, never on the forwarding path; needs "
                + "collector.enabled)") String mode,
        @JsonProperty("site_id") @JsonPropertyDescription("name of this site in every event (TZSP agents and "
                + "collectors use their own)") String siteId,
        @JsonProperty("drop_non_dhcp_packets") @JsonPropertyDescription("drop (instead of accept) non-DHCP packets "
                + "that reach the queue; DHCP is never dropped by the processor") Boolean dropNonDhcpPackets,
        @JsonProperty("counters_log_interval_secs") @JsonPropertyDescription("how often the counters are logged and "
                + "the status file written (and on SIGUSR1); 0 = only on SIGUSR1 and at exit") Integer countersLogIntervalSecs,
        @JsonProperty("batch_size") @JsonPropertyDescription("events per ClickHouse / Vector batch (a flush happens "
                + "at batch_size or flush_duration_secs, whichever comes first)") Integer batchSize,
        @JsonProperty("flush_duration_secs") @JsonPropertyDescription("longest wait before a non-empty batch is "
                + "sent") Integer flushDurationSecs,
        @JsonProperty("clickhouse") ClickHouseSection clickhouse,
        @JsonProperty("vector") VectorSection vector,
        @JsonProperty("nfqueue") NfQueueSection nfqueue,
        @JsonProperty("events") EventsSection events,
        @JsonProperty("rules") RulesSection rules,
        @JsonProperty("enforcement") EnforcementSection enforcement,
        @JsonProperty("retention") FeatureSection retention,
        @JsonProperty("api") ApiSection api,
        @JsonProperty("automation") AutomationSection automation,
        @JsonProperty("alarms") AlarmsSection alarms,
        @JsonProperty("capture") CaptureSection capture,
        @JsonProperty("collector") CollectorSection collector,
        @JsonProperty("operational") @JsonPropertyDescription("YAML defaults of Operational config keys "
                + "(operational.*); a value in ClickHouse system_config overrides them at runtime")
        Map<String, Object> operational,
        @JsonProperty("logging") LoggingSection logging) {

    public ProcessorConfig {
        WriterConfig writer = WriterConfig.defaults();
        mode = mode != null ? mode : "inline";
        siteId = siteId != null ? siteId : "";
        dropNonDhcpPackets = dropNonDhcpPackets != null ? dropNonDhcpPackets : false;
        countersLogIntervalSecs = countersLogIntervalSecs != null ? countersLogIntervalSecs : 60;
        batchSize = batchSize != null ? batchSize : writer.batchSize();
        flushDurationSecs = flushDurationSecs != null ? flushDurationSecs
                : (int) writer.flushInterval().toSeconds();
        clickhouse = clickhouse != null ? clickhouse : new ClickHouseSection(null, null, null, null, null, null, null);
        vector = vector != null ? vector : new VectorSection(null, null);
        nfqueue = nfqueue != null ? nfqueue : new NfQueueSection(null, null, null, null, null, null, null, null);
        events = events != null ? events : new EventsSection(null, null);
        rules = rules != null ? rules : new RulesSection(null);
        enforcement = enforcement != null ? enforcement : new EnforcementSection(null, null, null);
        retention = retention != null ? retention : new FeatureSection(null);
        api = api != null ? api : ApiSection.empty();
        automation = automation != null ? automation : new AutomationSection(null, null, null);
        alarms = alarms != null ? alarms : new AlarmsSection(null, null, null, null);
        capture = capture != null ? capture : new CaptureSection(null, null, null, null, null, null);
        collector = collector != null ? collector : new CollectorSection(null, null, null, null, null, null, null);
        operational = operational != null ? Map.copyOf(operational) : Map.of();
        logging = logging != null ? logging : new LoggingSection(null, null);
    }

    /** All defaults. */
    public static ProcessorConfig defaults() {
        return new ProcessorConfig(null, null, null, null, null, null, null, null, null, null, null, null, null, null,
                null, null, null, null, null, null);
    }

    /** This config in passive mode with the collector enabled (observe mode): {@code dhcp-collector}. */
    public ProcessorConfig asPassive() {
        CollectorSection c = collector;
        return new ProcessorConfig("passive", siteId, dropNonDhcpPackets, countersLogIntervalSecs, batchSize,
                flushDurationSecs, clickhouse, vector, nfqueue, events, rules, enforcement, retention, api, automation,
                alarms, capture, new CollectorSection(true, c.listenAddress(), c.port(), c.allowedAgents(),
                c.receiveBufferBytes(), c.maxAgents(), "observe"), operational, logging);
    }

    /** True in passive mode: no NFQUEUE, no ruleset, no enforcement; the collector feeds the pipeline. */
    public boolean passive() {
        return "passive".equals(mode);
    }

    /**
     * The YAML defaults of Operational configuration, by full key name ({@code operational.retention.events_days});
     * a value in ClickHouse's {@code system_config} overrides them at runtime. Nested YAML maps are flattened.
     */
    public Map<String, String> operationalValues() {
        Map<String, String> out = new TreeMap<>();
        flatten("operational", operational, out);
        return out;
    }

    private static void flatten(String prefix, Object value, Map<String, String> out) {
        if (value instanceof Map<?, ?> m) {
            m.forEach((k, v) -> flatten(prefix + "." + k, v, out));
        } else {
            out.put(prefix, String.valueOf(value));
        }
    }

    /**
     * How one event output batches: {@code batch_size}, {@code flush_duration_secs}, {@code max_buffered} and the
     * subscriber buffer of {@code events.buffer_per_subscriber}, the same for the ClickHouse and Vector writers.
     */
    public WriterConfig writerConfig() {
        return WriterConfig.defaults()
                .withBatch(batchSize, Duration.ofSeconds(flushDurationSecs))
                .withMaxBuffered(clickhouse.maxBuffered())
                .withFanoutCapacity(events.bufferPerSubscriber());
    }

    /** {@code nfqueue.*}: the kernel queues the processor binds (1..queue_count). */
    public record NfQueueSection(
            @JsonProperty("queue_count") @JsonPropertyDescription("queues 1..queue_count are bound; must match the "
                    + "ruleset's queue range") Integer queueCount,
            @JsonProperty("transport") @JsonPropertyDescription("auto, epoll or io_uring") String transport,
            @JsonProperty("copy_range") @JsonPropertyDescription("bytes of each packet copied to userspace "
                    + "(576.." + NfQueueConfig.MAX_COPY_RANGE + ")") Integer copyRange,
            @JsonProperty("max_len") @JsonPropertyDescription("packets the kernel holds per queue before fail-open "
                    + "passes them") Integer maxLen,
            @JsonProperty("fail_open") @JsonPropertyDescription("pass packets uninspected when a queue is full "
                    + "instead of dropping them") Boolean failOpen,
            @JsonProperty("receive_buffer_bytes") @JsonPropertyDescription("socket receive buffer per queue")
            Integer receiveBufferBytes,
            @JsonProperty("read_batch") @JsonPropertyDescription("datagrams per recvmmsg call (1..1024)")
            Integer readBatch,
            @JsonProperty("background_nice") @JsonPropertyDescription("nice (0..19) of every thread but the queues' "
                    + "event loops: on a saturated box inspection keeps the CPU and storage, alarms and the API fall "
                    + "behind and drop events (counted) instead of packets passing uninspected; 0 = off")
            Integer backgroundNice) {

        /**
         * The default {@code background_nice}: the scheduler weighs a nice-19 thread 15 against a nice-0 thread's
         * 1024, so a saturated box leaves the background about 1.5 % of a core per busy thread (at nice 10, weight
         * 110, the writer, the alarms and a ClickHouse at the same nice took a fifth of the loop's core:
         * docs/performance.md).
         */
        public static final int DEFAULT_BACKGROUND_NICE = 19;

        /** The smallest copy range that still holds a whole minimum-size DHCP packet. */
        public static final int MIN_COPY_RANGE = 576;

        public NfQueueSection {
            NfQueueGroupConfig g = NfQueueGroupConfig.defaults();
            NfQueueConfig q = g.queue();
            queueCount = queueCount != null ? queueCount : g.queueCount();
            transport = transport != null ? transport : g.transport().configName();
            copyRange = copyRange != null ? copyRange : q.copyRange();
            maxLen = maxLen != null ? maxLen : q.queueMaxLength();
            failOpen = failOpen != null ? failOpen : q.failOpen();
            receiveBufferBytes = receiveBufferBytes != null ? receiveBufferBytes : q.receiveBufferBytes();
            readBatch = readBatch != null ? readBatch : q.batchSize();
            backgroundNice = backgroundNice != null ? backgroundNice : DEFAULT_BACKGROUND_NICE;
        }

        /** The transport module's record; throws {@link IllegalArgumentException} for a value it refuses. */
        public NfQueueGroupConfig toGroupConfig() {
            NfQueueGroupConfig g = NfQueueGroupConfig.defaults();
            NfQueueConfig q = g.queue().withCopyRange(copyRange).withQueueMaxLength(maxLen).withFailOpen(failOpen)
                    .withReceiveBufferBytes(receiveBufferBytes).withBatchSize(readBatch);
            return g.withQueueCount(queueCount)
                    .withEventLoops(Math.min(Runtime.getRuntime().availableProcessors(), queueCount))
                    .withTransport(NfQueueTransport.fromConfigName(transport))
                    .withQueue(q);
        }
    }

    /**
     * {@code clickhouse.*}: event storage. The event writer batches on the top-level {@code batch_size} rows or
     * {@code flush_duration_secs}; an unreachable server costs events (counted), never verdicts, and the processor
     * keeps retrying the connection in the background.
     */
    public record ClickHouseSection(
            @JsonProperty("enabled") @JsonPropertyDescription("store events, bindings, actions, users in ClickHouse")
            Boolean enabled,
            @JsonProperty("endpoint") @JsonPropertyDescription("the HTTP interface") String endpoint,
            @JsonProperty("database") @JsonPropertyDescription("created at start when missing") String database,
            @JsonProperty("user") @JsonPropertyDescription("ClickHouse user") String user,
            @JsonProperty("password") @JsonPropertyDescription("its password") String password,
            @JsonProperty("driver_options") @JsonPropertyDescription("R2DBC URL options; the default works on "
                    + "ClickHouse 18.16 and newer") String driverOptions,
            @JsonProperty("max_buffered") @JsonPropertyDescription("events held while ClickHouse is slow or down; "
                    + "beyond it the oldest are dropped and counted") Integer maxBuffered) {
        public ClickHouseSection {
            ClickHouseConfig d = ClickHouseConfig.defaults();
            enabled = enabled != null ? enabled : false;
            endpoint = endpoint != null ? endpoint : d.endpoint();
            database = database != null ? database : d.database();
            user = user != null ? user : d.user();
            password = password != null ? password : d.password();
            driverOptions = driverOptions != null ? driverOptions : d.driverOptions();
            maxBuffered = maxBuffered != null ? maxBuffered : WriterConfig.defaults().maxBuffered();
        }

        /** The storage module's record; throws {@link IllegalArgumentException} for a value it refuses. */
        public ClickHouseConfig toClickHouseConfig() {
            return ClickHouseConfig.defaults().withEndpoint(endpoint).withDatabase(database)
                    .withUser(user, password).withDriverOptions(driverOptions);
        }
    }

    /** {@code vector.*}: events as JSON lines POSTed to an HTTP endpoint (a Vector http_server source). */
    public record VectorSection(
            @JsonProperty("enabled") @JsonPropertyDescription("send every event as a JSON line to Vector")
            Boolean enabled,
            @JsonProperty("endpoint") @JsonPropertyDescription("http(s) URL of the Vector http_server source")
            String endpoint) {
        public VectorSection {
            enabled = enabled != null ? enabled : false;
            endpoint = endpoint != null ? endpoint : "http://127.0.0.1:8686/events";
        }
    }

    /** {@code events.*}: the fan-out after the verdict. */
    public record EventsSection(
            @JsonProperty("buffer_per_subscriber") @JsonPropertyDescription("events buffered per subscriber (the "
                    + "ClickHouse and Vector writers, the event log, the live stream) before that subscriber drops")
            Integer bufferPerSubscriber,
            @JsonProperty("backlog_sample") @JsonPropertyDescription("while a queue is backlogged (input has outrun "
                    + "the reader for as long as it takes to read a full queue), one read's events in this many are "
                    + "built and the others shed (events_shed_backlog), so inspection keeps up instead of packets "
                    + "failing open unmarked; 1 builds every event") Integer backlogSample) {
        public EventsSection {
            bufferPerSubscriber = bufferPerSubscriber != null ? bufferPerSubscriber
                    : WriterConfig.defaults().fanoutCapacity();
            backlogSample = backlogSample != null ? backlogSample : InspectionPipeline.DEFAULT_BACKLOG_SAMPLE;
        }
    }

    /**
     * {@code enforcement.*}: whether the daemon installs the {@code inet dhcp_inspection} ruleset at start (one
     * validated transaction; its queue range follows {@code nfqueue.queue_count}), from which throttling profile,
     * and how the queueing step is made.
     */
    public record EnforcementSection(
            @JsonProperty("install_ruleset") @JsonPropertyDescription("install inet dhcp_inspection at start")
            Boolean installRuleset,
            @JsonProperty("profile") @JsonPropertyDescription("low, medium, strict or a profile JSON file")
            String profile,
            @JsonProperty("queue_mode") @JsonPropertyDescription("auto (probe the kernel), native (nft queue) or xt "
                    + "(iptables-nft NFQUEUE)") String queueMode) {
        public EnforcementSection {
            installRuleset = installRuleset != null ? installRuleset : false;
            profile = profile != null ? profile : "medium";
            queueMode = queueMode != null ? queueMode : "auto";
        }
    }

    /** A feature's Core switch ({@code <feature>.enabled}, restart to change); {@code active} lives in the database. */
    public record FeatureSection(@JsonProperty("enabled") @JsonPropertyDescription("the feature may run (its "
            + "operational.<feature>.active switches it at runtime)") Boolean enabled) {
        public FeatureSection {
            enabled = enabled != null ? enabled : true;
        }
    }

    /**
     * {@code logging.*}: one line per event on stderr (journald's priority prefix under systemd, which stamps the
     * time); the level of every logger, and of some by logger name or package prefix.
     */
    public record LoggingSection(
            @JsonProperty("level") @JsonPropertyDescription("error, warn, info, debug or trace (debug also prints "
                    + "the stack frames of a logged exception, on the same line)") String level,
            @JsonProperty("loggers") @JsonPropertyDescription("level by logger name or package prefix, e.g. "
                    + "{io.netty: warn, io.dhcpshield.storage: debug}; the longest prefix wins")
            Map<String, String> loggers) {
        public LoggingSection {
            level = level != null ? level : "info";
            loggers = loggers != null ? Map.copyOf(new TreeMap<>(loggers)) : Map.of();
        }
    }

    /** {@code rules.rules}: the deprecated custom rule engine; ships empty. */
    public record RulesSection(
            @JsonProperty("rules") @JsonPropertyDescription("[{name, field (client_mac, vendor_class, hostname, "
                    + "client_identifier), match (exact, wildcard, regex), value, mark}]") List<RuleEntry> rules) {
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

    /** {@code api.*}: the HTTP/JSON API, the live stream and the metrics endpoint ({@link ApiConfig}). */
    public record ApiSection(
            @JsonProperty("enabled") @JsonPropertyDescription("serve the HTTP API, the live stream and /metrics")
            Boolean enabled,
            @JsonProperty("listen_address") @JsonPropertyDescription("address to listen on (0.0.0.0: every "
                    + "interface)") String listenAddress,
            @JsonProperty("port") @JsonPropertyDescription("TCP port") Integer port,
            @JsonProperty("tls_certificate") @JsonPropertyDescription("PEM chain; with tls_key the API is HTTPS only")
            String tlsCertificate,
            @JsonProperty("tls_key") @JsonPropertyDescription("PEM PKCS#8 private key") String tlsKey,
            @JsonProperty("state_directory") @JsonPropertyDescription("holds the generated signing key and the "
                    + "first admin's one-time password (0600)") String stateDirectory,
            @JsonProperty("signing_key_file") @JsonPropertyDescription("JWT signing key (JWK); generated at first "
                    + "start; default <state_directory>/jwt-signing-key.json") String signingKeyFile,
            @JsonProperty("issuer") @JsonPropertyDescription("iss of every token (checked)") String issuer,
            @JsonProperty("audience") @JsonPropertyDescription("aud of every token (checked)") String audience,
            @JsonProperty("access_token_ttl_secs") @JsonPropertyDescription("access token lifetime")
            Integer accessTokenTtlSecs,
            @JsonProperty("refresh_token_ttl_secs") @JsonPropertyDescription("refresh token lifetime (each use "
                    + "rotates it)") Integer refreshTokenTtlSecs,
            @JsonProperty("max_body_bytes") @JsonPropertyDescription("larger request bodies get 413")
            Integer maxBodyBytes,
            @JsonProperty("login_failures_per_user") @JsonPropertyDescription("failed logins per user per window "
                    + "before 429") Integer loginFailuresPerUser,
            @JsonProperty("login_failures_per_address") @JsonPropertyDescription("failed logins per source address "
                    + "per window before 429") Integer loginFailuresPerAddress,
            @JsonProperty("login_window_secs") @JsonPropertyDescription("the login limits' window")
            Integer loginWindowSecs,
            @JsonProperty("max_page_size") @JsonPropertyDescription("largest limit a list accepts")
            Integer maxPageSize,
            @JsonProperty("max_time_range_days") @JsonPropertyDescription("longest from..to an event or history "
                    + "query accepts") Integer maxTimeRangeDays,
            @JsonProperty("stream_queue") @JsonPropertyDescription("messages held per stream client") Integer streamQueue,
            @JsonProperty("stream_slow_close_secs") @JsonPropertyDescription("a stream client that cannot keep up "
                    + "this long is closed") Integer streamSlowCloseSecs,
            @JsonProperty("stream_ping_interval_secs") @JsonPropertyDescription("how often each stream client is "
                    + "pinged") Integer streamPingIntervalSecs,
            @JsonProperty("stream_idle_timeout_secs") @JsonPropertyDescription("no pong for this long closes the "
                    + "connection") Integer streamIdleTimeoutSecs,
            @JsonProperty("stream_auth_timeout_secs") @JsonPropertyDescription("a connection without a token in "
                    + "its handshake must send one within this") Integer streamAuthTimeoutSecs) {

        public ApiSection {
            ApiConfig d = ApiConfig.defaults();
            enabled = enabled != null ? enabled : d.enabled();
            listenAddress = listenAddress != null ? listenAddress : d.listenAddress();
            port = port != null ? port : d.port();
            stateDirectory = stateDirectory != null ? stateDirectory : d.stateDirectory().toString();
            issuer = issuer != null ? issuer : d.issuer();
            audience = audience != null ? audience : d.audience();
            accessTokenTtlSecs = accessTokenTtlSecs != null ? accessTokenTtlSecs : secs(d.accessTokenTtl());
            refreshTokenTtlSecs = refreshTokenTtlSecs != null ? refreshTokenTtlSecs : secs(d.refreshTokenTtl());
            maxBodyBytes = maxBodyBytes != null ? maxBodyBytes : d.maxBodyBytes();
            loginFailuresPerUser = loginFailuresPerUser != null ? loginFailuresPerUser : d.loginFailuresPerUser();
            loginFailuresPerAddress = loginFailuresPerAddress != null ? loginFailuresPerAddress
                    : d.loginFailuresPerAddress();
            loginWindowSecs = loginWindowSecs != null ? loginWindowSecs : secs(d.loginWindow());
            maxPageSize = maxPageSize != null ? maxPageSize : d.maxPageSize();
            maxTimeRangeDays = maxTimeRangeDays != null ? maxTimeRangeDays : (int) d.maxTimeRange().toDays();
            streamQueue = streamQueue != null ? streamQueue : d.streamQueue();
            streamSlowCloseSecs = streamSlowCloseSecs != null ? streamSlowCloseSecs : secs(d.streamSlowClose());
            streamPingIntervalSecs = streamPingIntervalSecs != null ? streamPingIntervalSecs
                    : secs(d.streamPingInterval());
            streamIdleTimeoutSecs = streamIdleTimeoutSecs != null ? streamIdleTimeoutSecs
                    : secs(d.streamIdleTimeout());
            streamAuthTimeoutSecs = streamAuthTimeoutSecs != null ? streamAuthTimeoutSecs
                    : secs(d.streamAuthTimeout());
        }

        static ApiSection empty() {
            return new ApiSection(null, null, null, null, null, null, null, null, null, null, null, null, null, null,
                    null, null, null, null, null, null, null, null);
        }

        /** The API module's record; throws {@link IllegalArgumentException} for a value it refuses. */
        public ApiConfig toApiConfig() {
            return new ApiConfig(enabled, listenAddress, port, path(tlsCertificate), path(tlsKey),
                    Path.of(stateDirectory), path(signingKeyFile), issuer, audience,
                    Duration.ofSeconds(accessTokenTtlSecs), Duration.ofSeconds(refreshTokenTtlSecs), maxBodyBytes,
                    loginFailuresPerUser, loginFailuresPerAddress, Duration.ofSeconds(loginWindowSecs), maxPageSize,
                    Duration.ofDays(maxTimeRangeDays), streamQueue, Duration.ofSeconds(streamSlowCloseSecs),
                    Duration.ofSeconds(streamPingIntervalSecs), Duration.ofSeconds(streamIdleTimeoutSecs),
                    Duration.ofSeconds(streamAuthTimeoutSecs));
        }

        private static Path path(String s) {
            return s == null || s.isBlank() ? null : Path.of(s);
        }

        private static int secs(Duration d) {
            return (int) d.toSeconds();
        }
    }

    /**
     * {@code automation.*}: scheduled rules on ClickHouse aggregates (docs/automation.md); at runtime they run while
     * {@code operational.automation.active} is true. {@code analysis} is the optional LLM backend.
     */
    public record AutomationSection(
            @JsonProperty("enabled") @JsonPropertyDescription("automation rules may run (seeded on a fresh "
                    + "database; operational.automation.active switches them at runtime)") Boolean enabled,
            @JsonProperty("analysis") AnalysisSection analysis,
            @JsonProperty("detectors") DetectorsSection detectors) {
        public AutomationSection {
            enabled = enabled != null ? enabled : true;
            analysis = analysis != null ? analysis : AnalysisSection.empty();
            detectors = detectors != null ? detectors : new DetectorsSection(null, null, null, null, null, null, null);
        }
    }

    /**
     * {@code alarms.*}: the alarms engine and notifications (docs/alarms.md). Thresholds, hold times and notification
     * limits are operational config ({@code operational.alarms.*}); the routes live in ClickHouse.
     */
    public record AlarmsSection(
            @JsonProperty("enabled") @JsonPropertyDescription("run the alarms engine (operational.alarms.active "
                    + "switches raising at runtime)") Boolean enabled,
            @JsonProperty("evaluate_interval_secs") @JsonPropertyDescription("how often the alarm rules are "
                    + "evaluated (DHCP rules over the window, health over the metrics)") Integer evaluateIntervalSecs,
            @JsonProperty("window_secs") @JsonPropertyDescription("what the DHCP alarm rules look back over; their "
                    + "thresholds are per minute and counts are scaled to a minute") Integer windowSecs,
            @JsonProperty("vector") AlarmsVectorSection vector) {
        public AlarmsSection {
            enabled = enabled != null ? enabled : true;
            evaluateIntervalSecs = evaluateIntervalSecs != null ? evaluateIntervalSecs : 10;
            if (evaluateIntervalSecs < 1 || evaluateIntervalSecs > 60) {
                throw new IllegalArgumentException("alarms.evaluate_interval_secs must be 1..60, was "
                        + evaluateIntervalSecs);
            }
            windowSecs = windowSecs != null ? windowSecs : 60;
            if (windowSecs < evaluateIntervalSecs || windowSecs > 3600) {
                throw new IllegalArgumentException("alarms.window_secs must be alarms.evaluate_interval_secs..3600, was "
                        + windowSecs);
            }
            vector = vector != null ? vector : new AlarmsVectorSection(null, null, null, null, null, null, null, null,
                    null, null, null);
        }
    }

    /**
     * {@code capture.*}: on-demand packet capture (docs/capture.md): sessions started through the API write pcapng
     * files here, bounded per session and in total.
     */
    public record CaptureSection(
            @JsonProperty("enabled") @JsonPropertyDescription("offer capture sessions through the API") Boolean enabled,
            @JsonProperty("dir") @JsonPropertyDescription("where capture files are kept (created 0700)") String dir,
            @JsonProperty("max_total_bytes") @JsonPropertyDescription("the oldest finished captures are removed "
                    + "while all of them together exceed this") Long maxTotalBytes,
            @JsonProperty("max_age_hours") @JsonPropertyDescription("finished captures older than this are removed")
            Integer maxAgeHours,
            @JsonProperty("buffer") @JsonPropertyDescription("events queued for capture at most; more are dropped "
                    + "(counted), never waited for") Integer buffer,
            @JsonProperty("max_sessions") @JsonPropertyDescription("capture sessions running at once at most")
            Integer maxSessions) {
        public CaptureSection {
            io.dhcpshield.capture.CaptureConfig d = io.dhcpshield.capture.CaptureConfig.defaults();
            enabled = enabled != null ? enabled : true;
            dir = dir != null ? dir : d.dir().toString();
            maxTotalBytes = maxTotalBytes != null ? maxTotalBytes : d.maxTotalBytes();
            maxAgeHours = maxAgeHours != null ? maxAgeHours : d.maxAgeHours();
            buffer = buffer != null ? buffer : d.buffer();
            maxSessions = maxSessions != null ? maxSessions : d.maxSessions();
        }

        /** The capture module's record; throws {@link IllegalArgumentException} naming the key it refuses. */
        public io.dhcpshield.capture.CaptureConfig toCaptureConfig() {
            return io.dhcpshield.capture.CaptureConfig.defaults().withDir(java.nio.file.Path.of(dir))
                    .withStorage(maxTotalBytes, maxAgeHours).withSessions(buffer, maxSessions);
        }
    }

    /**
     * {@code collector.*}: the TZSP collector (dhcp-collector): receives frames that {@code dhcp-agent}s mirror from
     * remote sites and observes them (events with the agent's site, no verdict), or re-injects them to local ports
     * 1067/1547 for the queue (the seed's way; the drop_mirrored chain drops the copies after analysis).
     */
    public record CollectorSection(
            @JsonProperty("enabled") @JsonPropertyDescription("receive TZSP from dhcp-agents") Boolean enabled,
            @JsonProperty("listen_address") @JsonPropertyDescription("UDP address to listen on") String listenAddress,
            @JsonProperty("port") @JsonPropertyDescription("UDP port") Integer port,
            @JsonProperty("allowed_agents") @JsonPropertyDescription("addresses or networks (CIDR) agents may send "
                    + "from; empty = any; everything else is counted and dropped") List<String> allowedAgents,
            @JsonProperty("receive_buffer_bytes") @JsonPropertyDescription("socket receive buffer")
            Integer receiveBufferBytes,
            @JsonProperty("max_agents") @JsonPropertyDescription("agents with their own counters and last-seen")
            Integer maxAgents,
            @JsonProperty("mode") @JsonPropertyDescription("observe (frames go straight to the pipeline's observe "
                    + "input) or reinject (sent to local ports 1067/1547 so the queue sees them; inline mode with "
                    + "enforcement.install_ruleset: true only)")
            String mode) {
        public CollectorSection {
            io.dhcpshield.transport.tzsp.TzspCollector.Config d = io.dhcpshield.transport.tzsp.TzspCollector.Config
                    .defaults();
            enabled = enabled != null ? enabled : false;
            listenAddress = listenAddress != null ? listenAddress : d.listenAddress();
            port = port != null ? port : d.port();
            allowedAgents = allowedAgents != null ? List.copyOf(allowedAgents) : List.of();
            receiveBufferBytes = receiveBufferBytes != null ? receiveBufferBytes : d.receiveBufferBytes();
            maxAgents = maxAgents != null ? maxAgents : d.maxAgents();
            mode = mode != null ? mode : "observe";
        }

        /** The transport module's record; throws {@link IllegalArgumentException} for a value it refuses. */
        public io.dhcpshield.transport.tzsp.TzspCollector.Config toCollectorConfig() {
            return new io.dhcpshield.transport.tzsp.TzspCollector.Config(listenAddress, port, allowedAgents,
                    receiveBufferBytes, maxAgents);
        }

        public boolean reinject() {
            return "reinject".equals(mode);
        }
    }

    /** {@code alarms.vector.*}: the Vector notification sink (JSON lines to a Vector http_server source). */
    public record AlarmsVectorSection(
            @JsonProperty("enabled") @JsonPropertyDescription("send notifications to Vector") Boolean enabled,
            @JsonProperty("url") @JsonPropertyDescription("http(s) URL of the Vector http_server source "
                    + "(decoding json, framing newline_delimited)") String url,
            @JsonProperty("batch_size") @JsonPropertyDescription("notifications per request at most") Integer batchSize,
            @JsonProperty("flush_interval_ms") @JsonPropertyDescription("longest wait before a non-empty batch is "
                    + "sent") Integer flushIntervalMs,
            @JsonProperty("queue_capacity") @JsonPropertyDescription("notifications queued at most; more are "
                    + "dropped (counted)") Integer queueCapacity,
            @JsonProperty("max_attempts") @JsonPropertyDescription("attempts per batch before it is dropped")
            Integer maxAttempts,
            @JsonProperty("retry_backoff_ms") @JsonPropertyDescription("first retry delay (doubles each attempt)")
            Integer retryBackoffMs,
            @JsonProperty("retry_backoff_max_ms") @JsonPropertyDescription("longest retry delay")
            Integer retryBackoffMaxMs,
            @JsonProperty("timeout_ms") @JsonPropertyDescription("request timeout") Integer timeoutMs,
            @JsonProperty("breaker_failures") @JsonPropertyDescription("failed attempts in a row that open the "
                    + "circuit breaker (delivery pauses)") Integer breakerFailures,
            @JsonProperty("breaker_open_seconds") @JsonPropertyDescription("how long the breaker stays open before "
                    + "one trial batch") Integer breakerOpenSeconds) {
        public AlarmsVectorSection {
            enabled = enabled != null ? enabled : false;
            url = url != null ? url : "http://127.0.0.1:8687/";
            batchSize = batchSize != null ? batchSize : 100;
            flushIntervalMs = flushIntervalMs != null ? flushIntervalMs : 1000;
            queueCapacity = queueCapacity != null ? queueCapacity : 10_000;
            maxAttempts = maxAttempts != null ? maxAttempts : 5;
            retryBackoffMs = retryBackoffMs != null ? retryBackoffMs : 500;
            retryBackoffMaxMs = retryBackoffMaxMs != null ? retryBackoffMaxMs : 30_000;
            timeoutMs = timeoutMs != null ? timeoutMs : 10_000;
            breakerFailures = breakerFailures != null ? breakerFailures : 3;
            breakerOpenSeconds = breakerOpenSeconds != null ? breakerOpenSeconds : 30;
        }

        /** The alarms module's record; throws {@link IllegalArgumentException} naming the key it refuses. */
        public io.dhcpshield.alarms.vector.VectorSinkConfig toSinkConfig(String appliance) {
            return new io.dhcpshield.alarms.vector.VectorSinkConfig(enabled, url, batchSize,
                    Duration.ofMillis(flushIntervalMs), queueCapacity, maxAttempts, Duration.ofMillis(retryBackoffMs),
                    Duration.ofMillis(retryBackoffMaxMs), Duration.ofMillis(timeoutMs), breakerFailures,
                    Duration.ofSeconds(breakerOpenSeconds), appliance);
        }
    }

    /** {@code automation.detectors.*}: the built-in detectors (alarms, optionally an action). */
    public record DetectorsSection(
            @JsonProperty("enabled") @JsonPropertyDescription("run the built-in detectors") Boolean enabled,
            @JsonProperty("interval_secs") @JsonPropertyDescription("how often they run") Integer intervalSecs,
            @JsonProperty("window_minutes") @JsonPropertyDescription("the events each run reads") Integer windowMinutes,
            @JsonProperty("fingerprint_change") DetectorSection fingerprintChange,
            @JsonProperty("chaddr_mismatch") DetectorSection chaddrMismatch,
            @JsonProperty("mac_circuits") DetectorSection macCircuits,
            @JsonProperty("mark_collision") DetectorSection markCollision) {
        public DetectorsSection {
            var d = io.dhcpshield.automation.detectors.DetectorConfig.defaults();
            enabled = enabled != null ? enabled : d.enabled();
            intervalSecs = intervalSecs != null ? intervalSecs : (int) d.interval().toSeconds();
            windowMinutes = windowMinutes != null ? windowMinutes : (int) d.window().toMinutes();
            fingerprintChange = fingerprintChange != null ? fingerprintChange : DetectorSection.empty();
            chaddrMismatch = chaddrMismatch != null ? chaddrMismatch : DetectorSection.empty();
            macCircuits = macCircuits != null ? macCircuits : DetectorSection.empty();
            markCollision = markCollision != null ? markCollision : DetectorSection.empty();
        }

        /** The automation module's record; throws {@link IllegalArgumentException} for a value it refuses. */
        public io.dhcpshield.automation.detectors.DetectorConfig toDetectorConfig() {
            var d = io.dhcpshield.automation.detectors.DetectorConfig.defaults();
            var fc = d.fingerprintChange();
            List<io.dhcpshield.automation.detectors.DetectorConfig.Transition> allowed = new java.util.ArrayList<>();
            for (Map<String, String> t : fingerprintChange.allowedTransitions()) {
                allowed.add(new io.dhcpshield.automation.detectors.DetectorConfig.Transition(t.get("field"),
                        t.get("from"), t.get("to")));
            }
            return new io.dhcpshield.automation.detectors.DetectorConfig(enabled, Duration.ofSeconds(intervalSecs),
                    Duration.ofMinutes(windowMinutes), d.maxAlarmsPerRun(),
                    new io.dhcpshield.automation.detectors.DetectorConfig.FingerprintChange(
                            fingerprintChange.apply("fingerprint_change", fc.settings()), fc.baseline(),
                            fc.minEstablishedEvents(), allowed),
                    chaddrMismatch.apply("chaddr_mismatch", d.chaddrMismatch()),
                    new io.dhcpshield.automation.detectors.DetectorConfig.MacCircuits(
                            macCircuits.apply("mac_circuits", d.macCircuits().settings()),
                            d.macCircuits().minCircuits()),
                    markCollision.apply("mark_collision", d.markCollision()));
        }
    }

    /** One detector: {@code automation.detectors.<name>.*}. */
    public record DetectorSection(
            @JsonProperty("enabled") @JsonPropertyDescription("this detector runs") Boolean enabled,
            @JsonProperty("severity") @JsonPropertyDescription("info, warning or critical") String severity,
            @JsonProperty("action") @JsonPropertyDescription("none (alarm only), block, throttle, monitor, allow, "
                    + "deny or analyze, taken through the Action Manager") String action,
            @JsonProperty("action_duration_minutes") @JsonPropertyDescription("the action's duration (default: its "
                    + "own)") Integer actionDurationMinutes,
            @JsonProperty("quiet_minutes") @JsonPropertyDescription("after an alarm the same subject stays quiet "
                    + "this long") Integer quietMinutes,
            @JsonProperty("allowed_transitions") @JsonPropertyDescription("fingerprint_change only: [{field: prl|"
                    + "vendor_class|hostname|*, from, to}] expected changes that never alarm (* wildcards)")
            List<Map<String, String>> allowedTransitions) {
        public DetectorSection {
            allowedTransitions = allowedTransitions != null ? List.copyOf(allowedTransitions) : List.of();
        }

        static DetectorSection empty() {
            return new DetectorSection(null, null, null, null, null, null);
        }

        io.dhcpshield.automation.detectors.DetectorConfig.Settings apply(String name,
                io.dhcpshield.automation.detectors.DetectorConfig.Settings d) {
            io.dhcpshield.enforcement.action.ActionType type = null;
            if (action != null && !action.equalsIgnoreCase("none")) {
                try {
                    type = io.dhcpshield.enforcement.action.ActionType.valueOf(
                            action.trim().toUpperCase(java.util.Locale.ROOT));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(name + ".action must be none, block, throttle, monitor, "
                            + "allow, deny or analyze, was '" + action + "'");
                }
            }
            try {
                return new io.dhcpshield.automation.detectors.DetectorConfig.Settings(
                        enabled != null ? enabled : d.enabled(), severity != null ? severity : d.severity(),
                        action != null ? type : d.action(),
                        actionDurationMinutes != null ? Duration.ofMinutes(actionDurationMinutes) : d.actionDuration(),
                        quietMinutes != null ? Duration.ofMinutes(quietMinutes) : d.quiet());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(name + "." + e.getMessage());
            }
        }
    }

    /** {@code automation.analysis.*}: the analysis queue and its optional OpenAI-compatible backend. */
    public record AnalysisSection(
            @JsonProperty("enabled") @JsonPropertyDescription("ask the backend about queued devices (without it "
                    + "requests end skipped and enforcement is unaffected)") Boolean enabled,
            @JsonProperty("base_url") @JsonPropertyDescription("OpenAI-compatible API base; POST {base_url}/chat/"
                    + "completions") String baseUrl,
            @JsonProperty("model") @JsonPropertyDescription("model name sent to the backend") String model,
            @JsonProperty("api_key") @JsonPropertyDescription("bearer key (prefer api_key_file)") String apiKey,
            @JsonProperty("api_key_file") @JsonPropertyDescription("file holding the bearer key") String apiKeyFile,
            @JsonProperty("prompt_id") @JsonPropertyDescription("system_analysis_prompts entry to render")
            String promptId,
            @JsonProperty("timeout_secs") @JsonPropertyDescription("per backend call") Integer timeoutSecs,
            @JsonProperty("max_attempts") @JsonPropertyDescription("calls per request before it fails")
            Integer maxAttempts,
            @JsonProperty("backoff_ms") @JsonPropertyDescription("first retry delay (doubles)") Integer backoffMs,
            @JsonProperty("backoff_max_ms") @JsonPropertyDescription("longest retry delay") Integer backoffMaxMs,
            @JsonProperty("breaker_threshold") @JsonPropertyDescription("consecutive failures that open the "
                    + "circuit breaker") Integer breakerThreshold,
            @JsonProperty("breaker_cooldown_secs") @JsonPropertyDescription("how long an open breaker refuses "
                    + "calls") Integer breakerCooldownSecs,
            @JsonProperty("queue_capacity") @JsonPropertyDescription("devices waiting at most (more are refused "
                    + "and counted)") Integer queueCapacity,
            @JsonProperty("workers") @JsonPropertyDescription("analyses in parallel") Integer workers,
            @JsonProperty("approval") @JsonPropertyDescription("auto (apply the recommendation) or hold (wait for "
                    + "an operator)") String approval,
            @JsonProperty("summary_window_hours") @JsonPropertyDescription("activity summarised for the prompt")
            Integer summaryWindowHours) {

        public AnalysisSection {
            var d = io.dhcpshield.automation.analysis.AnalysisConfig.defaults();
            enabled = enabled != null ? enabled : d.enabled();
            baseUrl = baseUrl != null ? baseUrl : d.baseUrl();
            model = model != null ? model : d.model();
            apiKey = apiKey != null ? apiKey : d.apiKey();
            apiKeyFile = apiKeyFile != null ? apiKeyFile : "";
            promptId = promptId != null ? promptId : d.promptId();
            timeoutSecs = timeoutSecs != null ? timeoutSecs : (int) d.timeout().toSeconds();
            maxAttempts = maxAttempts != null ? maxAttempts : d.maxAttempts();
            backoffMs = backoffMs != null ? backoffMs : (int) d.backoff().toMillis();
            backoffMaxMs = backoffMaxMs != null ? backoffMaxMs : (int) d.backoffMax().toMillis();
            breakerThreshold = breakerThreshold != null ? breakerThreshold : d.breakerThreshold();
            breakerCooldownSecs = breakerCooldownSecs != null ? breakerCooldownSecs
                    : (int) d.breakerCooldown().toSeconds();
            queueCapacity = queueCapacity != null ? queueCapacity : d.queueCapacity();
            workers = workers != null ? workers : d.workers();
            approval = approval != null ? approval : d.approval().label();
            summaryWindowHours = summaryWindowHours != null ? summaryWindowHours : (int) d.summaryWindow().toHours();
        }

        static AnalysisSection empty() {
            return new AnalysisSection(null, null, null, null, null, null, null, null, null, null, null, null, null,
                    null, null, null);
        }

        /** The automation module's record; throws {@link IllegalArgumentException} for a value it refuses. */
        public io.dhcpshield.automation.analysis.AnalysisConfig toAnalysisConfig() {
            var d = io.dhcpshield.automation.analysis.AnalysisConfig.defaults();
            return new io.dhcpshield.automation.analysis.AnalysisConfig(enabled, baseUrl, model, apiKey,
                    apiKeyFile.isBlank() ? null : Path.of(apiKeyFile), promptId, Duration.ofSeconds(timeoutSecs),
                    maxAttempts, Duration.ofMillis(backoffMs), Duration.ofMillis(backoffMaxMs), breakerThreshold,
                    Duration.ofSeconds(breakerCooldownSecs), queueCapacity, workers,
                    io.dhcpshield.automation.analysis.AnalysisConfig.Approval.parse(approval), d.pollInterval(),
                    Duration.ofHours(summaryWindowHours), d.summaryLimit());
        }
    }
}
