package io.dhcpshield.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dhcpshield.enforcement.firewall.ApplyRecord;
import io.dhcpshield.enforcement.firewall.StoredRuleset;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Firewall Manager rulesets and applies in the real private server: versions, state rows, bodies kept. */
class ClickHouseRulesetStoreTest {

    @RegisterExtension
    static final ClickHouseServerExtension server = new ClickHouseServerExtension();

    static final Instant T0 = Instant.parse("2026-12-05T01:00:00Z");

    @Test
    void aStateChangeIsANewRowThatKeepsTheBodyAndAppliesComeBackNewestFirst() throws Exception {
        try (ClickHouseClient client = new ClickHouseClient(server.freshDatabase("firewall_test"))) {
            Migrations.apply(client).collectList().block(Duration.ofSeconds(60));
            ClickHouseRulesetStore store = new ClickHouseRulesetStore(client);
            // As large as a shipped profile (~60 KB): it cannot travel in a URL.
            String body = "{\"nftables\": [\n  {\"table\":{\"family\":\"inet\",\"name\":\"dhcp_inspection\"}}\n]}\n"
                    + BadInput.NASTY + "x".repeat(100_000);
            StoredRuleset v1 = new StoredRuleset("medium", 1, body, "profile:medium", "it's \\ shipped", T0, "system",
                    true, 1, false, T0);
            StoredRuleset v2 = new StoredRuleset("medium", 2, body + " ", "edit", "", T0.plusSeconds(5), "alice",
                    false, 0, false, T0.plusSeconds(5));
            store.save(List.of(v1, v2));
            assertEquals(List.of(v1.withBody(""), v2.withBody("")), store.all());
            assertEquals(v1, store.get("medium", 1).orElseThrow());

            // Activate v2 and deactivate v1 (same instant: still ordered), then delete both.
            Instant t = T0.plusSeconds(10);
            store.save(List.of(v1.withBody("").withState(false, 0, false, t), v2.withBody("").withState(true, 1, false, t)));
            store.save(List.of(v1.withBody("").withState(false, 0, true, t), v2.withBody("").withState(true, 1, true, t)));
            List<StoredRuleset> all = store.all();
            assertFalse(all.get(0).active());
            assertTrue(all.get(1).active());
            assertTrue(all.stream().allMatch(StoredRuleset::deleted));
            assertEquals(body, store.get("medium", 1).orElseThrow().body(), "the body survives state changes");
            assertEquals(body + " ", store.get("medium", 2).orElseThrow().body());
            assertTrue(store.get("medium", 3).isEmpty());

            ApplyRecord a = new ApplyRecord("a-1", T0, "system", "swap", List.of("medium@1"), true, "done", "", 12.5, "");
            ApplyRecord b = new ApplyRecord("b-2", T0.plusSeconds(20), "alice", "merge", List.of("medium@2", "x@1"),
                    false, "dry-run", "Could not process rule: No such file or directory", 3.25, "");
            ApplyRecord c = new ApplyRecord("c-3", T0.plusSeconds(30), "bob", "swap", List.of("medium@1"), true, "done",
                    "", 9, "a-1");
            store.saveApply(a);
            store.saveApply(b);
            store.saveApply(c);
            assertEquals(List.of(c, b, a), store.applies(10));
            assertEquals(List.of(c), store.applies(1));
            assertEquals(b, store.apply("b-2").orElseThrow());
            assertTrue(store.apply("nope").isEmpty());
        }
    }
}
