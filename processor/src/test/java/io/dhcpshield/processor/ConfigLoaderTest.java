package io.dhcpshield.processor;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class ConfigLoaderTest {

    private static String error(String yaml) {
        return assertThrows(ConfigLoader.ConfigException.class, () -> ConfigLoader.parse(yaml, "config.yaml"))
                .getMessage();
    }

    @Test
    void emptyFileGivesTheDocumentedDefaults() {
        ProcessorConfig c = ConfigLoader.parse("", "config.yaml");
        assertEquals(8, c.nfqueue().queueCount());
        assertEquals("auto", c.nfqueue().transport());
        assertEquals(8192, c.nfqueue().maxLen());
        assertTrue(c.nfqueue().failOpen());
        assertFalse(c.dropNonDhcpPackets());
        assertTrue(c.rules().rules().isEmpty());
    }

    @Test
    void valuesAreRead() {
        ProcessorConfig c = ConfigLoader.parse("""
                site_id: pop-17
                drop_non_dhcp_packets: true
                nfqueue:
                  queue_count: 2
                  transport: io_uring
                rules:
                  rules:
                    - name: cams
                      field: hostname
                      match: regex
                      value: "^cam-[0-9]+$"
                      mark: "0x7f000001"
                """, "config.yaml");
        assertEquals("pop-17", c.siteId());
        assertTrue(c.dropNonDhcpPackets());
        assertEquals(2, c.nfqueue().queueCount());
        assertEquals("io_uring", c.nfqueue().transport());
        assertEquals(0x7f000001, ConfigLoader.rules(c).get(0).mark());
    }

    @Test
    void unknownKeyIsAnErrorNamingTheKey() {
        String m = error("nfqueue:\n  queue_cnt: 4\n");
        assertTrue(m.contains("unknown key 'nfqueue.queue_cnt'"), m);
        assertTrue(m.contains("queue_count"), "lists the known keys: " + m);
    }

    @Test
    void wrongTypeIsAnErrorNamingTheKey() {
        String m = error("nfqueue:\n  queue_count: many\n");
        assertTrue(m.contains("'nfqueue.queue_count'"), m);
    }

    @Test
    void outOfRangeValuesAreAllReported() {
        String m = error("nfqueue:\n  queue_count: 0\n  transport: dpdk\n");
        assertTrue(m.contains("nfqueue.queue_count: must be between 1 and 64, was 0"), m);
        assertTrue(m.contains("nfqueue.transport: must be one of auto, epoll, io_uring, was 'dpdk'"), m);
    }

    @Test
    void logLevelsAreCheckedByName() {
        ProcessorConfig c = ConfigLoader.parse("logging:\n  level: debug\n  loggers:\n    io.netty: warn\n",
                "config.yaml");
        assertEquals("debug", c.logging().level());
        assertEquals(java.util.Map.of("io.netty", "warn"), c.logging().loggers());
        assertEquals("info", ConfigLoader.parse("", "config.yaml").logging().level());
        String m = error("logging:\n  level: verbose\n  loggers:\n    io.netty: loud\n");
        assertTrue(m.contains("logging.level: must be one of error, warn, info, debug, trace, was 'verbose'"), m);
        assertTrue(m.contains("logging.loggers.io.netty: must be one of"), m);
    }

    @Test
    void badRuleIsAnErrorAtStartNotOnTheFirstPacket() {
        String m = error("rules:\n  rules:\n    - field: hostname\n      match: regex\n      value: \"(\"\n      mark: 1\n");
        assertTrue(m.contains("rules.rules[0]"), m);
        assertTrue(m.contains("bad regular expression"), m);
        assertTrue(error("rules:\n  rules:\n    - field: colour\n      value: x\n      mark: 1\n")
                .contains("unknown rule field 'colour'"));
    }

    @Test
    void aFileThatIsNotAMappingSaysSoAtTheTopLevel() {
        // Found by ConfigLoaderFuzzTest: a file holding one scalar gave "bad value for ''".
        for (String yaml : new String[] {"/\n", "- a\n", "42\n"}) {
            String m = error(yaml);
            assertTrue(m.startsWith("config.yaml: bad value for '(top level)': "), m);
        }
    }

    @Test
    void aProfileNameThatCannotBeAPathIsAConfigError() {
        // Found by ConfigLoaderFuzzTest: a NUL in enforcement.profile escaped as InvalidPathException.
        String m = error("enforcement:\n  profile: \"a\\0b\"\n");
        assertTrue(m.contains("enforcement.profile: must be low, medium, strict or a readable profile JSON file"), m);
    }

    @Test
    void aYamlLimitSaysWhereItWasHit() {
        // Found by ConfigLoaderFuzzTest: Jackson's number-length limit came without a line or column.
        String m = error("# a number, not a mapping\n!!int " + "1".repeat(1500) + "\n");
        assertTrue(m.startsWith("config.yaml: not valid YAML at line 2, column "), m);
        assertTrue(error("batch_size: !!int " + "1".repeat(1500) + "\n").contains("'batch_size'"));
    }

    @Test
    void malformedYamlIsAnError() {
        String m = error("site_id: a: b\n");
        assertTrue(m.contains("not valid YAML"), m);
    }

    @Test
    void malformedYamlSaysWhereItBroke() {
        // Found by ConfigLoaderFuzzTest: a YAML syntax error named neither a key nor a place.
        String m = error("site_id: a: b\n");
        assertTrue(m.startsWith("config.yaml: not valid YAML at line 1, column "), m);
    }

    @Test
    void operationalValuesAreFlattenedAndCheckedAgainstTheKeyRegistry() {
        ProcessorConfig c = ConfigLoader.parse("operational:\n  retention:\n    events_days: 45\n", "config.yaml");
        assertEquals("45", c.operationalValues().get("operational.retention.events_days"));
        assertTrue(error("operational:\n  retention:\n    event_days: 45\n")
                .contains("operational.retention.event_days: unknown operational key"));
        String notANumber = error("operational:\n  retention:\n    events_days: many\n");
        assertTrue(notANumber.contains("operational.retention.events_days: not a whole number: 'many'"), notANumber);
        String outOfRange = error("operational:\n  websocket:\n    max_messages_per_second: 1000000\n");
        assertTrue(outOfRange.contains("operational.websocket.max_messages_per_second: 1000000 outside 1..100000"),
                outOfRange);
        assertFalse(outOfRange.contains("max_messages_per_second: operational."), "the key is named once: "
                + outOfRange);
    }

    @Test
    void copyRangeIsCheckedAgainstTheTransportsOwnLimitSoAValidFileStarts() {
        String m = error("nfqueue:\n  copy_range: 65535\n");
        assertTrue(m.contains("nfqueue.copy_range: must be between 576 and "
                + io.dhcpshield.transport.nfqueue.NfQueueConfig.MAX_COPY_RANGE), m);
        ProcessorConfig c = ConfigLoader.parse("nfqueue:\n  copy_range: "
                + io.dhcpshield.transport.nfqueue.NfQueueConfig.MAX_COPY_RANGE + "\n", "config.yaml");
        assertEquals(io.dhcpshield.transport.nfqueue.NfQueueConfig.MAX_COPY_RANGE,
                c.nfqueue().toGroupConfig().queue().copyRange(), "the value that passed is the one the queue gets");
    }

    @Test
    void everyEventOutputGetsTheConfiguredSubscriberBufferAndBatching() {
        ProcessorConfig c = ConfigLoader.parse("""
                batch_size: 700
                flush_duration_secs: 7
                events:
                  buffer_per_subscriber: 1234
                clickhouse:
                  max_buffered: 5000
                """, "config.yaml");
        io.dhcpshield.storage.WriterConfig w = c.writerConfig();
        assertEquals(1234, w.fanoutCapacity(), "events.buffer_per_subscriber reaches the writers");
        assertEquals(700, w.batchSize());
        assertEquals(java.time.Duration.ofSeconds(7), w.flushInterval());
        assertEquals(5000, w.maxBuffered());
    }

    @Test
    void theBacklogSampleReachesThePipelineAndZeroIsRefused() {
        assertEquals(io.dhcpshield.core.pipeline.InspectionPipeline.DEFAULT_BACKLOG_SAMPLE,
                ProcessorConfig.defaults().events().backlogSample());
        assertEquals(3, ConfigLoader.parse("events:\n  backlog_sample: 3\n", "config.yaml").events().backlogSample());
        String m = error("events:\n  backlog_sample: 0\n");
        assertTrue(m.contains("events.backlog_sample: must be between 1 and"), m);
    }

    @Test
    void defaultsAreTheModulesOwn() {
        ProcessorConfig c = ProcessorConfig.defaults();
        io.dhcpshield.storage.WriterConfig w = io.dhcpshield.storage.WriterConfig.defaults();
        assertEquals(w, c.writerConfig(), "batch, flush interval, buffer and fan-out capacity");
        assertEquals(io.dhcpshield.storage.ClickHouseConfig.defaults(), c.clickhouse().toClickHouseConfig());
        assertEquals(io.dhcpshield.transport.nfqueue.NfQueueConfig.defaults(1).copyRange(),
                c.nfqueue().toGroupConfig().queue().copyRange());
        assertEquals(io.dhcpshield.api.ApiConfig.defaults(), c.api().toApiConfig());
    }

    @Test
    void apiValuesAreCheckedByTheApiModule() {
        String m = error("api:\n  access_token_ttl_secs: 3600\n  refresh_token_ttl_secs: 600\n");
        assertTrue(m.contains("refresh_token_ttl must be at least access_token_ttl"), m);
        assertTrue(error("api:\n  port: 70000\n").contains("api.port: must be between 0 and 65535"));
        assertTrue(error("api:\n  tls_certificate: /nonexistent.pem\n  tls_key: /nonexistent.key\n")
                .contains("api.tls_certificate: cannot read"));
    }

    @Test
    void alarmValuesAreCheckedHereAndByTheAlarmsModule() {
        assertTrue(error("alarms:\n  vector:\n    enabled: true\n    url: ftp://x/\n").contains("alarms.vector"));
        String batch = error("alarms:\n  vector:\n    enabled: true\n    batch_size: 0\n");
        assertTrue(batch.contains("alarms.vector.batch_size"), batch);
        assertTrue(error("alarms:\n  evaluate_interval_secs: 0\n").contains("alarms.evaluate_interval_secs"));
        assertTrue(error("alarms:\n  evaluate_interval_secs: 30\n  window_secs: 10\n")
                .contains("alarms.window_secs"));
        String allowed = error("operational:\n  alarms:\n    rogue_server:\n      allowed: 10.0.0.1, bogus\n");
        assertTrue(allowed.contains("operational.alarms.rogue_server.allowed") && allowed.contains("'bogus'"),
                allowed);
        ProcessorConfig ok = ConfigLoader.parse("alarms:\n  vector:\n    enabled: true\n"
                + "    url: http://127.0.0.1:8687/\n", "config.yaml");
        assertEquals(java.time.Duration.ofSeconds(30), ok.alarms().vector().toSinkConfig("x").breakerOpen());
    }

    @Test
    void modesAreCheckedByName() {
        assertTrue(ConfigLoader.parse("mode: passive\ncollector:\n  enabled: true\n", "config.yaml").passive());
        assertFalse(ConfigLoader.parse("", "config.yaml").passive(), "inline by default");
        String m = error("mode: monitor\n");
        assertTrue(m.contains("mode: must be inline or passive, was 'monitor'"), m);
        String c = error("collector:\n  enabled: true\n  mode: mirror\n");
        assertTrue(c.contains("collector.mode: must be observe or reinject, was 'mirror'"), c);
    }

    @Test
    void passiveNeedsTheCollectorAndObservesOnly() {
        String m = error("mode: passive\n");
        assertTrue(m.contains("mode: passive needs collector.enabled"), m);
        String r = error("mode: passive\ncollector:\n  enabled: true\n  mode: reinject\n");
        assertTrue(r.contains("collector.mode: reinject needs mode inline"), r);
    }

    @Test
    void reinjectNeedsTheRulesetThatQueuesAndDropsTheCopies() {
        String m = error("collector:\n  enabled: true\n  mode: reinject\n");
        assertTrue(m.contains("collector.mode: reinject needs enforcement.install_ruleset: true"), m);
        String off = error("enforcement:\n  install_ruleset: false\ncollector:\n  enabled: true\n  mode: reinject\n");
        assertTrue(off.contains("collector.mode") && off.contains("enforcement.install_ruleset"), off);
        ProcessorConfig ok = ConfigLoader.parse("enforcement:\n  install_ruleset: true\n"
                + "collector:\n  enabled: true\n  mode: reinject\n", "config.yaml");
        assertTrue(ok.collector().reinject());
        assertTrue(ConfigLoader.parse("collector:\n  enabled: true\n", "config.yaml").collector().enabled(),
                "observe mode needs no ruleset");
    }

    @Test
    void collectorPortAndModuleValuesAreChecked() {
        String m = error("collector:\n  enabled: true\n  port: 70000\n");
        assertTrue(m.contains("collector.port: must be between 0 and 65535, was 70000"), m);
        assertEquals(37008, ConfigLoader.parse("", "config.yaml").collector().port());
        String agents = error("collector:\n  enabled: true\n  allowed_agents: [not-an-address]\n");
        assertTrue(agents.contains("collector: not an address or network: not-an-address"), agents);
    }
}
