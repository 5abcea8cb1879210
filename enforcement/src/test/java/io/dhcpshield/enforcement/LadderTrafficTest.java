package io.dhcpshield.enforcement;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import io.dhcpshield.core.pipeline.DenySet;
import io.dhcpshield.enforcement.action.ActionManager;
import io.dhcpshield.enforcement.action.ActionOutcome;
import io.dhcpshield.enforcement.action.ActionTarget;
import io.dhcpshield.enforcement.action.ActionType;
import io.dhcpshield.enforcement.action.Actor;
import io.dhcpshield.enforcement.action.AnalysisQueue;
import io.dhcpshield.enforcement.action.InMemoryActionLog;
import io.dhcpshield.core.time.Time;
import io.dhcpshield.enforcement.ruleset.RulesetJson;
import io.dhcpshield.enforcement.ruleset.ThrottlingProfile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The ladder with real DHCP: lab/lab.sh (perfdhcp as a relay → appliance namespace → Kea). A test-only table
 * stamps every DHCPv4 packet in prerouting at priority -99 (between dhcp_inspect and route_by_type) with the
 * mark our processor would set: type from option 53, client mark 0xabcdef. Each case is proven twice: by the
 * ruleset's named counters and by how many answers perfdhcp received from Kea.
 */
class LadderTrafficTest {
    static final String LAB = "enfl";
    static final Path REPO = Path.of(System.getProperty("dhcpshield.repo", ".."));
    static final String CLIENT = "0x00abcdef";
    static final Netns APP = new Netns(LAB + "-app");
    static final String STAMP = """
            table inet lab_marks {
              chain stamp {
                type filter hook prerouting priority -99; policy accept;
                udp dport 67 @th,1984,24 0x350101 meta mark set 0x01abcdef
                udp dport 67 @th,1984,24 0x350102 meta mark set 0x02abcdef
                udp dport 67 @th,1984,24 0x350103 meta mark set 0x03abcdef
                udp dport 67 @th,1984,24 0x350105 meta mark set 0x05abcdef
              }
            }
            """;
    /** Per-client limit 5/s burst 10 for DISCOVER and REQUEST, so perfdhcp at 2/s passes and at 40/s does not. */
    static final String PROFILE = "{\"name\":\"lab\",\"queue_count\":2,"
            + "\"default_rate_limit\":{\"rate\":5,\"per\":\"second\",\"burst\":10}}";

    static boolean labUp;

    @BeforeAll
    static void up() throws Exception {
        Assumptions.assumeTrue(Netns.available() && Files.exists(Path.of("/usr/sbin/perfdhcp")), "needs root, nft, kea");
        Netns.Result r = lab("up");
        assertEquals(0, r.rc(), r.err());
        labUp = true;
        Path profile = Files.createTempFile("lab-profile", ".json");
        Files.writeString(profile, PROFILE);
        Netns.Result inst = APP.tool("install", profile.toString());
        assertEquals(0, inst.rc(), inst.err());
        Path stamp = Files.createTempFile("stamp", ".nft");
        Files.writeString(stamp, STAMP);
        assertEquals(0, APP.in("nft", "-f", stamp.toString()).rc());
    }

    @AfterAll
    static void down() {
        if (labUp) lab("down");
    }

    @BeforeEach
    void cleanup() {
        // The "cleanup" action by hand: the client leaves every set.
        for (String set : List.of("llm_allowed_marks", "llm_blocked_marks", "llm_denied_marks", "llm_throttled_marks",
                "llm_monitored_marks", "blocked_macs", "tracked_marks")) {
            APP.in("nft", "flush", "set", "inet", "dhcp_inspection", set);
        }
    }

    static Netns.Result lab(String... args) {
        List<String> c = new java.util.ArrayList<>(List.of("env", "LAB=" + LAB, REPO.resolve("lab/lab.sh").toString()));
        c.addAll(List.of(args));
        return Netns.exec(c);
    }

    /** perfdhcp at {@code rate}/s for {@code secs}: OFFERs received (first "received packets" = DISCOVER-OFFER). */
    static long offersReceived(int rate, int secs) {
        Netns.Result r = lab("perfdhcp4", Integer.toString(rate), Integer.toString(secs));
        Matcher m = Pattern.compile("received packets: (\\d+)").matcher(r.out());
        return m.find() ? Long.parseLong(m.group(1)) : 0;
    }

    static void add(String set) {
        Netns.Result r = APP.in("nft", "add", "element", "inet", "dhcp_inspection", set, "{ " + CLIENT + " }");
        assertEquals(0, r.rc(), r.err());
    }

    static long count(JsonNode st, String counter) {
        return st.get("counters").get(counter).get("packets").asLong();
    }

    static long delta(JsonNode before, JsonNode after, String counter) {
        return count(after, counter) - count(before, counter);
    }

    @Test
    void cleanClientPassesAndOutboundChainsSeeTheServersReplies() throws Exception {
        JsonNode b = APP.state();
        long offers = offersReceived(2, 3);
        JsonNode a = APP.state();
        assertTrue(offers >= 4, "Kea answered " + offers);
        assertEquals(delta(b, a, "v4_discover_total"), delta(b, a, "v4_discover_a"));
        assertEquals(0, delta(b, a, "v4_discover_d"));
        assertEquals(offers, delta(b, a, "v4_offer_a"), "every OFFER Kea sent crossed v4_offer_out_chain");
        assertTrue(delta(b, a, "v4_ack_total") > 0);
    }

    @Test
    void blockDropsEveryPacketOfTheClient() throws Exception {
        add("llm_blocked_marks");
        JsonNode b = APP.state();
        long offers = offersReceived(3, 3);
        JsonNode a = APP.state();
        assertEquals(0, offers);
        assertTrue(delta(b, a, "v4_discover_d") >= 6, "drops " + delta(b, a, "v4_discover_d"));
        assertEquals(0, delta(b, a, "v4_discover_a"));
        assertEquals(0, delta(b, a, "v4_offer_total"), "Kea never saw a DISCOVER");
    }

    @Test
    void allowBeatsBlock() throws Exception {
        add("llm_blocked_marks");
        add("llm_allowed_marks");
        JsonNode b = APP.state();
        long offers = offersReceived(3, 3);
        JsonNode a = APP.state();
        assertTrue(offers >= 6, "Kea answered " + offers);
        assertEquals(0, delta(b, a, "v4_discover_d"));
        assertEquals(delta(b, a, "v4_discover_total"), delta(b, a, "v4_discover_a"));
    }

    @Test
    void denyDrops() throws Exception {
        add("llm_denied_marks");
        JsonNode b = APP.state();
        assertEquals(0, offersReceived(3, 2));
        assertTrue(delta(b, APP.state(), "v4_discover_d") >= 4);
    }

    @Test
    void throttlePassesTenPerMinutePerClient() throws Exception {
        add("llm_throttled_marks");
        JsonNode b = APP.state();
        long offers = offersReceived(20, 3); // ~60 DISCOVERs in 3 s
        JsonNode a = APP.state();
        long passed = delta(b, a, "v4_discover_a");
        // Bucket per chain: burst 10 plus the 10/min refill (0.5 packet in 3 s).
        assertTrue(passed >= 10 && passed <= 11, "passed " + passed);
        assertTrue(delta(b, a, "v4_request_a") <= 11);
        assertTrue(delta(b, a, "v4_discover_d") >= 40, "dropped " + delta(b, a, "v4_discover_d"));
        assertTrue(offers >= 5 && offers <= 11, "offers " + offers);
        assertEquals(0, delta(b, a, "freshly_blocked_macs"), "throttled packets never reach the rate limit");
    }

    @Test
    void monitorLogsAndPasses() throws Exception {
        add("llm_monitored_marks");
        JsonNode b = APP.state();
        long offers = offersReceived(2, 2);
        JsonNode a = APP.state();
        assertTrue(offers >= 3);
        assertEquals(0, delta(b, a, "v4_discover_d"));
        assertEquals(delta(b, a, "v4_discover_total"), delta(b, a, "tracked_a") - delta(b, a, "v4_request_a"));
    }

    @Test
    void clientOverItsRateLimitLandsInBlockedMacsUntilCleanup() throws Exception {
        JsonNode b = APP.state();
        long offers = offersReceived(40, 3); // 40 DISCOVER/s against 5/s burst 10
        JsonNode a = APP.state();
        assertTrue(count(a, "freshly_blocked_macs") - count(b, "freshly_blocked_macs") >= 1);
        assertEquals(1, a.get("sets").get("blocked_macs").get("elements").asLong());
        assertTrue(APP.in("nft", "list", "set", "inet", "dhcp_inspection", "blocked_macs").out().contains(CLIENT));
        assertTrue(delta(b, a, "v4_discover_d") > 60, "dropped " + delta(b, a, "v4_discover_d"));
        assertTrue(offers < 30, "offers " + offers);
        // Still blocked: even a polite rate gets nothing until the entry times out (2 min) or is cleaned up.
        assertEquals(0, offersReceived(2, 2));
        APP.in("nft", "delete", "element", "inet", "dhcp_inspection", "blocked_macs", "{ " + CLIENT + " }");
        APP.in("nft", "flush", "set", "inet", "dhcp_inspection", "tracked_marks");
        assertTrue(offersReceived(2, 2) >= 3, "cleanup restores the client");
    }

    @Test
    void blockThroughTheActionManagerStopsTheClientAndUndoLetsItBackIn() throws Exception {
        try (NamespaceKernelSets kernel = new NamespaceKernelSets(APP.name)) {
            ActionManager m = new ActionManager(kernel, new InMemoryActionLog(), new DenySet(),
                    RulesetJson.MAPPER.readValue(PROFILE, ThrottlingProfile.class), new AnalysisQueue(4), Time.SYSTEM);
            ActionOutcome block = m.apply(ActionType.BLOCK, List.of(ActionTarget.mark(0xabcdef),
                    ActionTarget.parse("02:00:00:00:00:01")), Actor.user("lab"), "traffic test");
            assertTrue(block.ok(), block.error());
            JsonNode b = APP.state();
            long offers = offersReceived(3, 3);
            JsonNode a = APP.state();
            assertEquals(0, offers, "Kea answered a blocked client");
            assertEquals(0, delta(b, a, "v4_offer_total"), "Kea never saw a DISCOVER");
            assertTrue(delta(b, a, "v4_discover_d") >= 6, "drops " + delta(b, a, "v4_discover_d"));

            assertTrue(m.undo(block.records().get(0).id(), Actor.user("lab")).ok());
            JsonNode b2 = APP.state();
            long after = offersReceived(2, 2);
            JsonNode a2 = APP.state();
            assertTrue(after >= 3, "undo restores the client: " + after);
            assertEquals(0, delta(b2, a2, "v4_discover_d"));
            assertEquals(1, a2.get("sets").get("llm_blocked_marks").get("elements").asLong(), "the other target stays");
        }
    }

    /**
     * seed 003's bypass self-test: no processor is bound to the queues (and nothing stamps marks), yet a full
     * DISCOVER-OFFER-REQUEST-ACK exchange through the installed ruleset completes.
     */
    @Test
    void withNoProcessorBoundDhcpStillCompletesThroughTheRuleset() throws Exception {
        assertEquals(0, APP.in("nft", "delete", "table", "inet", "lab_marks").rc());
        try {
            Netns.Result check = APP.tool("selftest-bypass");
            assertEquals(0, check.rc(), check.out() + check.err());
            JsonNode c = RulesetJson.MAPPER.readTree(check.out());
            assertTrue(c.get("queue_rules").asInt() >= 4, check.out());
            assertEquals(0, c.get("queue_rules_without_bypass").asInt());
            assertEquals(0, c.get("bound_queues").size(), "no processor bound");
            Netns.Result r = lab("perfdhcp4", "5", "3");
            Matcher m = Pattern.compile("received packets: (\\d+)").matcher(r.out());
            assertTrue(m.find());
            long offers = Long.parseLong(m.group(1));
            assertTrue(m.find(), r.out());
            long acks = Long.parseLong(m.group(1));
            assertTrue(offers >= 10 && acks >= 10, "offers " + offers + " acks " + acks);
        } finally {
            Path stamp = Files.createTempFile("stamp", ".nft");
            Files.writeString(stamp, STAMP);
            assertEquals(0, APP.in("nft", "-f", stamp.toString()).rc());
        }
    }
}
