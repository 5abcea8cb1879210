package io.dhcpshield.automation.bulk;

import io.dhcpshield.core.mark.ClientHash;
import io.dhcpshield.core.mark.MarkSource;
import io.dhcpshield.core.net.MacAddress;
import io.dhcpshield.enforcement.action.ActionTarget;
import io.dhcpshield.enforcement.action.ActionType;
import io.dhcpshield.enforcement.action.Actor;
import io.dhcpshield.storage.ClickHouseServerExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;

import static io.dhcpshield.automation.bulk.BulkHarness.T0;
import static io.dhcpshield.automation.bulk.BulkHarness.WAIT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What criteria select, against a real ClickHouse 18.16: synthetic events of a handful of clients (relayed and not,
 * DHCPv4 and DHCPv6, a dual-stack device whose DUID-LL holds its DHCPv4 MAC, a DUID-only client, clients marked by a
 * hash) and the preview's count and sample.
 */
class BulkSelectionTest {

    @RegisterExtension
    static final ClickHouseServerExtension server = new ClickHouseServerExtension();

    static final long MAC_A = 0x0200_0000_a001L, MAC_B = 0x0200_0000_b001L, MAC_D = 0x0200_0000_d001L,
            MAC_E = 0x0200_0000_e001L;
    static final String DUID_A = "00:03:00:01:02:00:00:00:a0:01";
    static final String DUID_C = "00:02:00:00:00:09:01:02";
    static final int A = 0x00a001, B = 0x00b001, D = 0x00d001, E = 0x0e0e0e, F = 0x0f0f0f;
    static final int C = ClientHash.of(HexFormat.ofDelimiter(":").parseHex(DUID_C));

    static BulkHarness h;
    static BulkJobRunner runner;

    @BeforeAll
    static void events() throws Exception {
        h = new BulkHarness(server, "bulk_selection");
        // A, dual stack: DHCPv4 by MAC through relay 100.64.0.1/c-1, DHCPv6 by the DUID-LL of the same MAC (same mark).
        h.insert(Events.v4(MAC_A).at(T0.minusSeconds(1800)).relay("100.64.0.1", "c-1").vendor("MSFT 5.0")
                .prl("1,3,6,15").times(5));
        h.insert(Events.v4(MAC_A).at(T0.minusSeconds(1740)).type(3).relay("100.64.0.1", "c-1").vendor("MSFT 5.0")
                .prl("1,3,6,15").times(1));
        h.insert(Events.v4(MAC_A).at(T0.minusSeconds(1740)).type(5).fromServer().relay("100.64.0.1", "c-1").times(1));
        h.insert(Events.v6(DUID_A, A, MarkSource.DUID_LL).at(T0.minusSeconds(1200)).relay("2001:db8::1", null)
                .times(3));
        // B: busy DHCPv4 client on relay 100.64.0.2/c-2.
        h.insert(Events.v4(MAC_B).at(T0.minusSeconds(2400)).relay("100.64.0.2", "c-2").vendor("udhcp 1.36")
                .prl("1,3,6,12,15,28").times(20));
        // C: DHCPv6 only, a DUID-EN (no MAC in it): marked by the DUID's hash, at another site.
        h.insert(Events.v6(DUID_C, C, MarkSource.DUID_HASH).at(T0.minusSeconds(600)).relay("2001:db8::1", null)
                .site("site-b").times(2));
        // D: seen two days ago only.
        h.insert(Events.v4(MAC_D).at(T0.minus(Duration.ofDays(2))).times(3));
        // E: unrelayed, marked by its client-id hash (the mark is not the MAC's low 24 bits).
        h.insert(Events.v4(MAC_E).mark(E, MarkSource.CLIENT_ID_HASH).vendor("android-dhcp-14").prl("1,3,6,15")
                .times(2));
        // F: known only by its mark; and an event with no client mark at all (never selected).
        h.insert(Events.markOnly(F).site("site-f").times(1));
        h.insert(Events.markOnly(0).times(1));
        runner = h.start();
    }

    @AfterAll
    static void close() {
        h.close();
    }

    static Map<Integer, BulkClient> select(String criteria) {
        BulkPreview p = runner.preview(BulkCriteria.parse(criteria), BulkJobRunner.MAX_SAMPLE, 1).block(WAIT);
        assertEquals(p.count(), p.sample().size(), "the count and the full sample agree for " + criteria);
        return p.sample().stream().collect(Collectors.toMap(BulkClient::mark, Function.identity()));
    }

    static Set<Integer> marks(String criteria) {
        return new TreeSet<>(select(criteria).keySet());
    }

    static Set<Integer> set(Integer... marks) {
        return new TreeSet<>(List.of(marks));
    }

    @Test
    void withoutCriteriaEveryClientSeenInTheLastDayIsSelectedOncePerMark() {
        assertEquals(set(A, B, C, E, F), marks("{}"));
    }

    @Test
    void aDualStackDeviceIsOneClientWithItsMacAndItsDuidAndBothFamilies() {
        BulkClient a = select("{\"relay\": \"100.64.0.1\"}").get(A);
        assertEquals(new MacAddress(MAC_A), a.mac());
        assertEquals(DUID_A, a.duid());
        assertEquals(List.of(4, 6), a.families());
        assertEquals(6, a.requests(), "5 DISCOVERs and a REQUEST matched the relay; the ACK came from the server");
        assertEquals(T0.minusSeconds(1740), a.lastSeen());
        assertEquals(List.of("100.64.0.1", "c-1", "MSFT 5.0"), List.of(a.relay(), a.circuit(), a.vendorClass()));
        assertEquals(new ActionTarget(ActionTarget.Kind.MAC, "02:00:00:00:a0:01", A), a.target());

        BulkClient v6 = select("{\"family\": 6}").get(A);
        assertEquals(new MacAddress(MAC_A), v6.mac(), "selected by its DHCPv6 messages, resolved to its DHCPv4 MAC");
        assertEquals(3, v6.requests());
        assertEquals("2001:db8::1", v6.relay());
        assertNull(v6.circuit());
        assertEquals(ActionTarget.Kind.MAC, v6.target().kind());
    }

    @Test
    void aClientKnownOnlyByDuidOrByMarkIsTargetedThatWayAndAlwaysKeyedByItsEventsMark() {
        BulkClient c = select("{\"site\": \"site-b\"}").get(C);
        assertEquals(new ActionTarget(ActionTarget.Kind.DUID, DUID_C, C), c.target());
        assertEquals(List.of(6), c.families());
        assertEquals(ActionTarget.duid(io.dhcpshield.core.dhcp6.Duid.of(HexFormat.ofDelimiter(":")
                .parseHex(DUID_C))).clientMark(), C, "the mark the Action Manager would compute for the DUID");
        assertEquals(ActionTarget.mark(F), select("{\"site\": \"site-f\"}").get(F).target());
        assertEquals(new ActionTarget(ActionTarget.Kind.MAC, "02:00:00:00:e0:01", E),
                select("{\"vendor_class\": \"android\"}").get(E).target(), "E's events carried a client-id mark");
    }

    @Test
    void eachCriterionSelectsTheClientsItNames() {
        assertEquals(set(A, C), marks("{\"relay\": \"2001:db8::1\"}"));
        assertEquals(set(B), marks("{\"circuit\": \"c-2\"}"));
        assertEquals(set(A), marks("{\"vendor_class\": \"msft\"}"), "a substring, case ignored");
        assertEquals(set(B, E), marks("{\"vendor_class\": \"DHCP\"}"));
        assertEquals(set(A, E), marks("{\"fingerprint\": \"1,3,6,15\"}"));
        assertEquals(set(), marks("{\"fingerprint\": \"1,3,6\"}"), "the parameter request list exactly");
        assertEquals(set(A, C), marks("{\"message_type\": \"solicit\"}"));
        assertEquals(set(A), marks("{\"message_type\": \"REQUEST\"}"));
        assertEquals(0, select("{\"message_type\": \"ACK\"}").get(A).requests(), "replies are not requests");
        assertEquals(set(A, C), marks("{\"family\": 6}"));
        assertEquals(set(C), marks("{\"site\": \"site-b\"}"));
        assertEquals(set(B), marks("{\"min_requests\": 10}"), "A sent 9 messages, B 20");
        assertEquals(set(A, B), marks("{\"message_type\": \"DISCOVER\", \"min_requests\": 5}"));
        assertEquals(set(B), marks("{\"message_type\": \"DISCOVER\", \"min_requests\": 6}"));
        assertEquals(set(A), marks("{\"relay\": \"100.64.0.1\", \"vendor_class\": \"MSFT\", \"family\": 4}"),
                "criteria combine");
        assertEquals(set(D), marks("{\"since\": \"" + T0.minus(Duration.ofDays(3)) + "\", \"until\": \""
                + T0.minus(Duration.ofDays(1)) + "\"}"));
        assertEquals(set(), marks("{\"circuit\": \"x' OR 1=1 --\\\\\"}"), "operator text is a bound literal");
    }

    @Test
    void pastActionSelectsClientsWithSuchAnActionInTheWindow() {
        assertEquals(set(), marks("{\"past_action\": \"any\"}"));
        h.actions.apply(ActionType.BLOCK, List.of(ActionTarget.mac(new MacAddress(MAC_B))), Actor.user("alice"), "test");
        h.vts.advanceTimeBy(Duration.ofMinutes(1));   // the window ends now: the action at T0 is inside it
        assertEquals(set(B), marks("{\"past_action\": \"block\"}"));
        assertEquals(set(B), marks("{\"past_action\": \"any\"}"));
        assertEquals(set(), marks("{\"past_action\": \"throttle\"}"));
        assertEquals(set(B), marks("{\"past_action\": \"block\", \"circuit\": \"c-2\"}"));
        assertEquals(set(), marks("{\"past_action\": \"block\", \"circuit\": \"c-1\"}"));
    }

    @Test
    void aPreviewCountsAndSamplesReproduciblyForASeed() {
        BulkCriteria all = BulkCriteria.none();
        BulkPreview two = runner.preview(all, 2, 7).block(WAIT);
        assertEquals(5, two.count());
        assertEquals(2, two.sample().size());
        assertEquals(two.sample(), runner.preview(all, 2, 7).block(WAIT).sample(), "the same seed, the same sample");
        assertTrue(set(A, B, C, E, F).containsAll(two.sample().stream().map(BulkClient::mark).toList()));
        BulkPreview none = runner.preview(all, 0).block(WAIT);
        assertEquals(5, none.count());
        assertTrue(none.sample().isEmpty());
        assertEquals(new BulkCriteria.Window(h.time.now().minus(Duration.ofDays(1)), h.time.now()), none.window());
    }
}
