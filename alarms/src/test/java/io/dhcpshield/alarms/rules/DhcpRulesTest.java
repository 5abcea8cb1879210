package io.dhcpshield.alarms.rules;

import io.dhcpshield.alarms.Party;
import io.dhcpshield.alarms.Signal;
import io.dhcpshield.core.event.DhcpEvent;
import io.dhcpshield.core.event.Direction;
import io.dhcpshield.core.mark.MarkSource;
import io.dhcpshield.core.net.AddressList;
import io.dhcpshield.core.net.IpAddress;
import io.dhcpshield.core.net.MacAddress;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DhcpRulesTest {

    private static final Instant T0 = Instant.parse("2026-12-04T10:00:00Z");

    static DhcpEvent v4(int type, long chaddr, String src, String serverId, long l2, String relay, String circuit) {
        boolean reply = type == 2 || type == 5 || type == 6;
        long micros = T0.getEpochSecond() * 1_000_000L;
        return new DhcpEvent(micros, 0, "site-a", reply ? Direction.SERVER_TO_CLIENT : Direction.CLIENT_TO_SERVER,
                4, type, type, "TYPE" + type, 1L, (type << 24) | (int) (chaddr & 0xFF_FFFF), MarkSource.CHADDR,
                new MacAddress(chaddr), null, null, null, null, null, null, IpAddress.parse(src),
                IpAddress.parse("255.255.255.255"), relay == null ? null : IpAddress.parse(relay), circuit, null, null,
                0, null, null, null, -1, serverId == null ? null : IpAddress.parse(serverId), null, List.of(),
                l2 == 0 ? null : new MacAddress(l2));
    }

    private static Thresholds th(String allowed, long starvation, long storm, long naks) {
        Thresholds d = Thresholds.defaults();
        return new Thresholds(true, d.hold(), d.findingHold(), AddressList.parse(allowed), starvation, storm, naks,
                d.verdictLatencyMs(), d.notifyPerMinute(), d.dedupe(), d.agentSilent());
    }

    @Test
    void aServerNotOnTheAllowListRaisesARogueServerSignalWithItsAddressMacAndTheClientsItAnswered() {
        DhcpRules rules = new DhcpRules(Duration.ofSeconds(10));
        rules.accept(v4(2, 0x0200000000a1L, "198.18.0.9", "198.18.0.9", 0x02005e000701L, null, null));
        rules.accept(v4(5, 0x0200000000a1L, "198.18.0.9", "198.18.0.9", 0x02005e000701L, null, null));
        rules.accept(v4(2, 0x0200000000a2L, "198.18.0.9", "198.18.0.9", 0x02005e000701L, null, null));
        rules.accept(v4(2, 0x0200000000a3L, "198.19.0.2", "198.19.0.2", 0x02005e000202L, null, null));

        List<Signal> s = rules.evaluate(th("198.19.0.0/24", 1000, 1000, 1000));

        assertEquals(1, s.size(), s.toString());
        Signal rogue = s.get(0);
        assertEquals("rogue_server/198.18.0.9", rogue.sourceKey());
        Party server = rogue.parties().get(0);
        assertEquals("server", server.role());
        assertEquals("198.18.0.9", server.id());
        assertEquals("02:00:5e:00:07:01", server.mac());
        assertEquals(3, server.count());
        assertEquals(List.of("02:00:00:00:00:a1", "02:00:00:00:00:a2"),
                rogue.parties().stream().filter(p -> p.role().equals("client")).map(Party::id).toList());
        assertTrue(rogue.message().contains("TYPE2/TYPE5"), rogue.message());
    }

    @Test
    void aServerAllowedByAddressOrByMacNeverAlarmsAndAnEmptyAllowListTurnsTheRuleOff() {
        DhcpRules rules = new DhcpRules(Duration.ofSeconds(10));
        rules.accept(v4(2, 0x0200000000a1L, "198.18.0.9", "198.18.0.9", 0x02005e000701L, null, null));
        assertTrue(rules.evaluate(th("198.18.0.9", 1000, 1000, 1000)).isEmpty());
        assertTrue(rules.evaluate(th("02:00:5e:00:07:01", 1000, 1000, 1000)).isEmpty());
        assertTrue(rules.evaluate(th("", 1000, 1000, 1000)).isEmpty());
        assertEquals(1, rules.evaluate(th("10.0.0.1", 1000, 1000, 1000)).size(), "still in the window");
    }

    @Test
    void theServerIdentifierDecidesNotTheRelayThatForwardedTheReply() {
        DhcpRules rules = new DhcpRules(Duration.ofSeconds(10));
        rules.accept(v4(5, 0x0200000000a1L, "100.64.0.1", "198.19.0.2", 0, null, null));
        assertTrue(rules.evaluate(th("198.19.0.2", 1000, 1000, 1000)).isEmpty());
    }

    @Test
    void starvationStormsAndNakStormsRaiseAtTheirThresholdsAndNotBelow() {
        DhcpRules rules = new DhcpRules(Duration.ofSeconds(10));
        for (int i = 0; i < 30; i++) {
            rules.accept(v4(1, 0x020000010000L + i, "100.64.0.1", null, 0, "100.64.0.1", "eth0/1"));
        }
        for (int i = 0; i < 5; i++) {
            rules.accept(v4(6, 0x0200000000a1L, "198.19.0.2", "198.19.0.2", 0, null, null));
        }
        List<Signal> below = rules.evaluate(th("198.19.0.2", 31, 31, 6));
        assertTrue(below.isEmpty(), below.toString());
        List<Signal> at = rules.evaluate(th("198.19.0.2", 30, 30, 5));
        assertEquals(List.of("nak_storm/198.19.0.2", "relay_storm/100.64.0.1/eth0/1", "starvation/100.64.0.1"),
                at.stream().map(Signal::sourceKey).sorted().toList());
        Signal storm = at.stream().filter(x -> x.kind().equals("relay_storm")).findFirst().orElseThrow();
        assertEquals(List.of("relay", "circuit"), storm.parties().subList(0, 2).stream().map(Party::role).toList());
    }

    @Test
    void theWindowSlidesAndAConditionStillHoldingReportsOnlyNewPartiesSoCountsAreNotDoubled() {
        DhcpRules rules = new DhcpRules(Duration.ofSeconds(10));
        rules.accept(v4(2, 0x0200000000a1L, "198.18.0.9", "198.18.0.9", 0, null, null));
        Signal first = rules.evaluate(th("10.0.0.1", 1, 1, 1)).get(0);
        assertEquals(1, first.parties().get(0).count());
        Signal second = rules.evaluate(th("10.0.0.1", 1, 1, 1)).get(0);
        assertTrue(second.parties().isEmpty(), "nothing new: the engine's counts stay as they are");
        for (int i = 0; i < 5; i++) {
            rules.evaluate(th("10.0.0.1", 1, 1, 1));
        }
        assertTrue(rules.evaluate(th("10.0.0.1", 1, 1, 1)).isEmpty(), "out of the one-minute window");
    }

    @Test
    void clientsThatGetALeaseAreNotStarvingSoABootStormIsNotAnAttack() {
        DhcpRules rules = new DhcpRules(Duration.ofSeconds(10));
        for (int i = 0; i < 30; i++) {
            rules.accept(v4(1, 0x020000010000L + i, "100.64.0.1", null, 0, "100.64.0.1", "eth0/1"));
            if (i < 25) {
                rules.accept(v4(5, 0x020000010000L + i, "198.19.0.2", "198.19.0.2", 0, "100.64.0.1", null));
            }
        }
        Thresholds t = th("198.19.0.2", 5, 1_000_000, 1_000_000);
        Signal s = rules.evaluate(t).stream().filter(x -> x.kind().equals("starvation")).findFirst().orElseThrow();
        assertEquals("5", s.facts().get("clients_without_lease"));
        assertEquals(5, s.parties().stream().filter(p -> p.role().equals("client")).count(),
                "only the clients without a lease are named");
        assertTrue(rules.evaluate(th("198.19.0.2", 6, 1_000_000, 1_000_000)).stream()
                .noneMatch(x -> x.kind().equals("starvation")), "30 tried, 25 got a lease: below 6");
    }
}
