package io.dhcpshield.processor;

import io.dhcpshield.automation.rules.RuleStore;
import io.dhcpshield.core.time.Time;
import io.dhcpshield.enforcement.firewall.StoredRuleset;
import io.dhcpshield.storage.ClickHouseClient;
import io.dhcpshield.storage.ClickHouseConfig;
import io.dhcpshield.storage.ClickHouseRulesetStore;
import io.dhcpshield.storage.ClickHouseServerExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code dhcp-processor --init-database} (the package's postinst): a fresh database seeded once, then left alone. */
class DatabaseInitTest {

    @RegisterExtension
    static final ClickHouseServerExtension server = new ClickHouseServerExtension();

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(ProcessorConfig cfg) {
        return DatabaseInit.run(cfg, Duration.ofSeconds(5), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private static ProcessorConfig config(String endpoint, String database) {
        // queue_mode xt: the rulesets are rendered without asking this machine's kernel.
        return ConfigLoader.parse("clickhouse: {endpoint: '" + endpoint + "', database: " + database + "}\n"
                + "enforcement: {queue_mode: xt, profile: strict}\n", "test");
    }

    @Test
    void aFreshDatabaseGetsTheSchemaTheProfilesAndTheSeedRulesOnceAndKeepsWhatTheOperatorChanged() throws Exception {
        ClickHouseConfig ch = server.freshDatabase("init_fresh");
        ProcessorConfig cfg = config(server.endpoint(), "init_fresh");
        assertEquals(0, run(cfg), err.toString());
        try (ClickHouseClient client = new ClickHouseClient(ch)) {
            List<StoredRuleset> rulesets = new ClickHouseRulesetStore(client).all();
            assertEquals(List.of("dualstack_low_throttling", "dualstack_medium_throttling",
                    "dualstack_strict_throttling"), rulesets.stream().map(StoredRuleset::name).sorted().toList());
            assertEquals(List.of("dualstack_strict_throttling"), rulesets.stream().filter(StoredRuleset::active)
                    .map(StoredRuleset::name).toList(), "the configured profile is the active one");
            RuleStore rules = new RuleStore(client, Time.SYSTEM);
            assertEquals(RuleStore.seeds().size(), rules.list().block().size());

            String deleted = RuleStore.seeds().get(0).id();
            rules.delete(deleted, "admin").block();
            assertEquals(0, run(cfg), err.toString()); // an upgrade's postinst runs it again
            assertEquals(RuleStore.seeds().size() - 1, rules.list().block().size(), "a deleted seed rule stays deleted");
            assertEquals(3, new ClickHouseRulesetStore(client).all().size());
            assertTrue(out.toString().contains("already there, kept"), out.toString());
        }
    }

    @Test
    void noClickHouseIsItsOwnExitStatusAndSaysWhere() {
        int code = run(config("http://127.0.0.1:9", "dhcp_shield"));
        assertEquals(DatabaseInit.UNREACHABLE, code);
        assertTrue(err.toString().contains("ClickHouse at http://127.0.0.1:9 is not reachable"), err.toString());
    }
}
