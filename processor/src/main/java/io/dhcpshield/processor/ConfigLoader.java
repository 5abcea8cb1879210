package io.dhcpshield.processor;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.dhcpshield.core.pipeline.CustomRule;
import io.dhcpshield.processor.logging.LogLevels;
import io.dhcpshield.storage.OperationalKeys;
import io.dhcpshield.transport.nfqueue.NfQueueConfig;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Reads and validates config.yaml. Unknown keys, wrong types and bad values are a {@link ConfigException} naming the
 * key, so the daemon refuses to start with a clear message instead of running on a half-read file.
 */
public final class ConfigLoader {

    private static final Set<String> TRANSPORTS = Set.of("auto", "epoll", "io_uring");

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT);

    private ConfigLoader() {
    }

    public static ProcessorConfig load(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new ConfigException(file + ": cannot read: " + e.getMessage());
        }
        return parse(text, file.toString());
    }

    public static ProcessorConfig parse(String yaml, String source) {
        ProcessorConfig config;
        JsonParser parser = null;
        try {
            parser = yaml.isBlank() ? null : YAML.createParser(yaml);
            // A file of comments only (the packaged config.yaml as shipped) holds no document: the defaults.
            config = parser == null || parser.nextToken() == null ? ProcessorConfig.defaults()
                    : YAML.readValue(parser, ProcessorConfig.class);
        } catch (UnrecognizedPropertyException e) {
            String known = e.getKnownPropertyIds() == null ? "" : e.getKnownPropertyIds().stream()
                    .map(Object::toString).sorted().collect(Collectors.joining(", "));
            throw new ConfigException(source + ": unknown key '" + path(e) + "'" + (known.isEmpty() ? "" : " (known here: " + known + ")"));
        } catch (JsonMappingException e) {
            throw new ConfigException(source + ": bad value for '" + path(e) + "': " + e.getOriginalMessage());
        } catch (JsonProcessingException e) {
            // A limit Jackson enforces (a number's length, nesting) comes without a place: the parser knows it.
            JsonLocation at = e.getLocation() != null ? e.getLocation() : parser != null ? parser.currentLocation() : null;
            String where = at != null && at.getLineNr() > 0
                    ? " at line " + at.getLineNr() + ", column " + at.getColumnNr() : "";
            throw new ConfigException(source + ": not valid YAML" + where + ": " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new ConfigException(source + ": cannot read: " + e.getMessage()); // a String: not expected
        }
        if (config == null) {
            config = ProcessorConfig.defaults();
        }
        validate(config, source);
        return config;
    }

    /**
     * Checks ranges, builds every module's config record from its section (so a file that passes here is one the
     * modules accept at start) and builds the rules once, so a bad regex fails at start, not on the first packet.
     */
    static void validate(ProcessorConfig c, String source) {
        List<String> problems = new ArrayList<>();
        ProcessorConfig.NfQueueSection q = c.nfqueue();
        range(problems, "nfqueue.queue_count", q.queueCount(), 1, 64);
        if (!TRANSPORTS.contains(q.transport())) {
            problems.add("nfqueue.transport: must be one of auto, epoll, io_uring, was '" + q.transport() + "'");
        }
        range(problems, "nfqueue.copy_range", q.copyRange(), ProcessorConfig.NfQueueSection.MIN_COPY_RANGE,
                NfQueueConfig.MAX_COPY_RANGE);
        range(problems, "nfqueue.max_len", q.maxLen(), 1, 1_000_000);
        range(problems, "nfqueue.receive_buffer_bytes", q.receiveBufferBytes(), 65_536, 1 << 30);
        range(problems, "nfqueue.read_batch", q.readBatch(), 1, 1024);
        range(problems, "counters_log_interval_secs", c.countersLogIntervalSecs(), 0, 86_400);
        range(problems, "events.buffer_per_subscriber", c.events().bufferPerSubscriber(), 1, 10_000_000);
        range(problems, "events.backlog_sample", c.events().backlogSample(), 1, 1_000_000);
        range(problems, "batch_size", c.batchSize(), 1, 10_000_000);
        range(problems, "flush_duration_secs", c.flushDurationSecs(), 1, 3600);
        range(problems, "clickhouse.max_buffered", c.clickhouse().maxBuffered(), c.batchSize(), 100_000_000);
        if (!c.clickhouse().database().matches("[A-Za-z_][A-Za-z0-9_]*")) {
            problems.add("clickhouse.database: must be an identifier, was '" + c.clickhouse().database() + "'");
        }
        if (!c.vector().endpoint().matches("https?://.+")) {
            problems.add("vector.endpoint: must be an http(s) URL, was '" + c.vector().endpoint() + "'");
        }
        if (!c.clickhouse().endpoint().matches("https?://.+")) {
            problems.add("clickhouse.endpoint: must be an http(s) URL, was '" + c.clickhouse().endpoint() + "'");
        }
        if (!Set.of("auto", "native", "xt").contains(c.enforcement().queueMode())) {
            problems.add("enforcement.queue_mode: must be one of auto, native, xt, was '" + c.enforcement().queueMode() + "'");
        }
        String profile = c.enforcement().profile();
        if (!Set.of("low", "medium", "strict").contains(profile) && !isReadableFile(profile)) {
            problems.add("enforcement.profile: must be low, medium, strict or a readable profile JSON file, was '" + profile + "'");
        }
        level(problems, "logging.level", c.logging().level());
        c.logging().loggers().forEach((name, level) -> level(problems, "logging.loggers." + name, level));
        if (!Set.of("inline", "passive").contains(c.mode())) {
            problems.add("mode: must be inline or passive, was '" + c.mode() + "'");
        }
        if (!Set.of("observe", "reinject").contains(c.collector().mode())) {
            problems.add("collector.mode: must be observe or reinject, was '" + c.collector().mode() + "'");
        }
        if (c.passive() && !c.collector().enabled()) {
            problems.add("mode: passive needs collector.enabled (a passive processor is fed only by the collector)");
        }
        if (c.passive() && c.collector().reinject()) {
            problems.add("collector.mode: reinject needs mode inline (the queue sees the re-injected copies)");
        }
        if (!c.passive() && c.collector().enabled() && c.collector().reinject() && !c.enforcement().installRuleset()) {
            // Without our ruleset nothing queues the copies on 1067/1547 and drop_mirrored does not exist: they
            // would be neither inspected (their events lost) nor dropped.
            problems.add("collector.mode: reinject needs enforcement.install_ruleset: true (its dhcp_inspect chain "
                    + "queues the re-injected copies and drop_mirrored drops them); use collector.mode: observe "
                    + "without the ruleset");
        }
        range(problems, "collector.port", c.collector().port(), 0, 65_535);
        ProcessorConfig.ApiSection a = c.api();
        range(problems, "api.port", a.port(), 0, 65_535);
        range(problems, "api.access_token_ttl_secs", a.accessTokenTtlSecs(), 10, 86_400);
        range(problems, "api.refresh_token_ttl_secs", a.refreshTokenTtlSecs(), 60, 90 * 86_400);
        range(problems, "api.login_window_secs", a.loginWindowSecs(), 1, 86_400);
        range(problems, "api.max_time_range_days", a.maxTimeRangeDays(), 1, 3650);
        for (String[] file : new String[][] {{"api.tls_certificate", a.tlsCertificate()}, {"api.tls_key", a.tlsKey()}}) {
            if (file[1] != null && !isReadableFile(file[1])) {
                problems.add(file[0] + ": cannot read '" + file[1] + "'");
            }
        }
        range(problems, "nfqueue.background_nice", q.backgroundNice(), 0, 19);
        // The modules' own records: whatever they refuse is refused here too, named by section.
        module(problems, "nfqueue", () -> q.toGroupConfig());
        module(problems, "clickhouse", () -> c.clickhouse().toClickHouseConfig());
        module(problems, "batch_size/flush_duration_secs/clickhouse.max_buffered/events", c::writerConfig);
        module(problems, "api", () -> a.toApiConfig());
        module(problems, "automation.analysis", () -> c.automation().analysis().toAnalysisConfig());
        module(problems, "automation.detectors", () -> c.automation().detectors().toDetectorConfig());
        module(problems, "alarms.vector", () -> c.alarms().vector().toSinkConfig("check"));
        module(problems, "capture", () -> c.capture().toCaptureConfig());
        module(problems, "collector", () -> c.collector().toCollectorConfig());
        c.operationalValues().forEach((key, value) -> {
            OperationalKeys.Key<?> k = OperationalKeys.byName(key);
            if (k == null) {
                problems.add(key + ": unknown operational key");
            } else {
                try {
                    k.valueOf(value);
                } catch (RuntimeException e) {
                    problems.add(e.getMessage()); // names the key itself
                }
            }
        });
        for (int i = 0; i < c.rules().rules().size(); i++) {
            try {
                toRule(c.rules().rules().get(i), i);
            } catch (IllegalArgumentException e) {
                problems.add("rules.rules[" + i + "]: " + e.getMessage());
            }
        }
        if (!problems.isEmpty()) {
            throw new ConfigException(source + ": " + String.join("; ", problems.stream().distinct().toList()));
        }
    }

    private static void module(List<String> problems, String section, java.util.function.Supplier<?> build) {
        if (!problems.isEmpty()) {
            return; // the key-level messages above already name what is wrong
        }
        try {
            build.get();
        } catch (IllegalArgumentException e) {
            problems.add(section + ": " + e.getMessage());
        }
    }

    /** The validated custom rules. */
    static List<CustomRule> rules(ProcessorConfig c) {
        List<CustomRule> out = new ArrayList<>();
        for (int i = 0; i < c.rules().rules().size(); i++) {
            out.add(toRule(c.rules().rules().get(i), i));
        }
        return out;
    }

    private static CustomRule toRule(ProcessorConfig.RuleEntry r, int index) {
        if (r == null || r.field() == null || r.value() == null || r.mark() == null) {
            throw new IllegalArgumentException("field, value and mark are required");
        }
        long mark;
        try {
            String m = r.mark().trim().toLowerCase();
            mark = m.startsWith("0x") ? Long.parseLong(m.substring(2), 16) : Long.parseLong(m);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("mark '" + r.mark() + "' is not a number (e.g. 0x7f000001)");
        }
        if (mark < 0 || mark > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("mark '" + r.mark() + "' does not fit 32 bits");
        }
        return new CustomRule(r.name() != null ? r.name() : "rule-" + index, CustomRule.Field.parse(r.field()),
                CustomRule.MatchType.parse(r.match() != null ? r.match() : "exact"), r.value(), (int) mark);
    }

    /** A name that cannot be a path at all (a NUL inside) is no readable file either. */
    private static void level(List<String> problems, String key, String value) {
        if (!LogLevels.NAMES.contains(value)) {
            problems.add(key + ": must be one of " + String.join(", ", LogLevels.NAMES) + ", was '" + value + "'");
        }
    }

    private static boolean isReadableFile(String name) {
        try {
            return Files.isReadable(Path.of(name));
        } catch (InvalidPathException e) {
            return false;
        }
    }

    private static void range(List<String> problems, String key, int value, int min, int max) {
        if (value < min || value > max) {
            problems.add(key + ": must be between " + min + " and " + max + ", was " + value);
        }
    }

    private static String path(JsonMappingException e) {
        String path = e.getPath().stream()
                .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                .collect(Collectors.joining(".")).replace(".[", "[");
        return path.isEmpty() ? "(top level)" : path; // the file is not a mapping of keys at all
    }

    /** A configuration problem, with a message meant for the operator. */
    public static final class ConfigException extends RuntimeException {
        public ConfigException(String message) {
            super(message);
        }
    }
}
