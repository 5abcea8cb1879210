package io.dhcpshield.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.dhcpshield.core.event.DhcpEvent;
import io.dhcpshield.core.event.Direction;
import io.dhcpshield.core.mark.MarkSource;
import io.dhcpshield.core.net.IpAddress;
import io.dhcpshield.core.net.MacAddress;
import io.dhcpshield.storage.ClickHouseServerExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The read resources against events stored through the real writer: event filters and exact keyset paging, the
 * device summary, "who had this address", operational config with its audit trail, the stats and the counters.
 */
class ResourcesTest {

    @RegisterExtension
    static final ClickHouseServerExtension CLICKHOUSE = new ClickHouseServerExtension();

    static ApiHarness api;
    static String viewer;
    static final Instant T0 = Instant.now().minus(Duration.ofMinutes(30)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
    static final MacAddress MAC = MacAddress.parse("02:00:5e:aa:00:01");

    static DhcpEvent v4(long offsetMillis, int type, MacAddress mac, IpAddress assigned, String circuit) {
        boolean reply = type == 2 || type == 5;
        String name = switch (type) {
            case 1 -> "DISCOVER";
            case 2 -> "OFFER";
            case 3 -> "REQUEST";
            default -> "ACK";
        };
        return new DhcpEvent(T0.toEpochMilli() * 1000 + offsetMillis * 1000, 1, "lab",
                reply ? Direction.SERVER_TO_CLIENT : Direction.CLIENT_TO_SERVER, 4, type, type, name, 0x1000 + type,
                (type << 24) | mac.low24(), MarkSource.CHADDR, mac, null, null, "cam-17", "MSFT 5.0", null,
                reply ? null : "1,3,6,15", IpAddress.parse("198.18.0.1"), IpAddress.parse("198.19.0.2"),
                IpAddress.parse("198.18.0.1"), circuit, "remote-7", null, 0, null, assigned, null,
                reply ? 3600 : -1, reply ? IpAddress.parse("198.19.0.2") : null, null, List.of());
    }

    @BeforeAll
    static void start() throws Exception {
        api = new ApiHarness(CLICKHOUSE, "api_resources");
        viewer = api.tokenFor("reader", "viewer");
        IpAddress lease = IpAddress.parse("198.18.1.10");
        // 30 exchanges' worth of packets from one client, and one DORA from another.
        int[] dora = {1, 2, 3, 5};
        for (int i = 0; i < 30; i++) {
            api.events.publish(v4(i * 1000L, dora[i % 4], MAC, i % 4 == 3 ? lease : null, "eth0/1/" + (i % 2)));
        }
        MacAddress other = MacAddress.parse("02:00:5e:bb:00:02");
        for (int t = 0; t < 4; t++) {
            api.events.publish(v4(100_000L + t, dora[t], other, t == 3 ? IpAddress.parse("198.18.1.20") : null,
                    "eth9"));
        }
        ApiHarness.await(Duration.ofSeconds(30), () -> api.storage.writer().stats().written() >= 34, "34 stored");
    }

    @AfterAll
    static void stop() {
        if (api != null) {
            api.close();
        }
    }

    private static JsonNode get(String path) throws Exception {
        ApiHarness.Reply r = api.call("GET", path, viewer, null);
        assertEquals(200, r.status(), path + " -> " + r.body());
        return r.json();
    }

    private static String range() {
        return "from=" + T0.minusSeconds(60) + "&to=" + T0.plusSeconds(3600);
    }

    @Test
    void eventFiltersCombineAndKeysetPagingNeitherSkipsNorRepeats() throws Exception {
        assertEquals(34, get("/api/v1/events?" + range() + "&limit=100").path("events").size());
        JsonNode discovers = get("/api/v1/events?" + range() + "&mac=02:00:5e:aa:00:01&msg_type=discover");
        assertEquals(8, discovers.path("events").size());
        for (JsonNode e : discovers.path("events")) {
            assertEquals("DISCOVER", e.path("msg_type").asText());
            assertEquals(1, e.path("v").asInt());
        }
        assertEquals(15, get("/api/v1/events?" + range() + "&circuit_id=eth0/1/1").path("events").size());
        // ACKs are i % 4 == 3, all on circuit eth0/1/1 (odd i): 3, 7, ..., 27.
        assertEquals(7, get("/api/v1/events?" + range() + "&circuit_id=eth0/1/1&direction=server_to_client"
                + "&mac=02:00:5e:aa:00:01&msg_type=ACK").path("events").size());
        Set<String> seen = new HashSet<>();
        List<String> order = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            JsonNode page = get("/api/v1/events?" + range() + "&mac=02:00:5e:aa:00:01&limit=7"
                    + (cursor == null ? "" : "&cursor=" + java.net.URLEncoder.encode(cursor,
                    java.nio.charset.StandardCharsets.UTF_8)));
            for (JsonNode e : page.path("events")) {
                assertTrue(seen.add(e.path("time_us").asText()), "repeated " + e);
                order.add(e.path("time_us").asText());
            }
            cursor = page.path("next").isNull() ? null : page.path("next").asText();
            pages++;
        } while (cursor != null && pages < 10);
        assertEquals(30, seen.size(), "every event of the client exactly once");
        List<String> sorted = new ArrayList<>(order);
        sorted.sort((a, b) -> Long.compare(Long.parseLong(b), Long.parseLong(a)));
        assertEquals(sorted, order, "newest first");
    }

    @Test
    void theDeviceSummaryShowsIdentityFingerprintRelaysAndBindings() throws Exception {
        JsonNode d = get("/api/v1/devices/02:00:5e:aa:00:01");
        assertEquals("mac", d.path("kind").asText());
        assertEquals(30, d.path("events").asLong());
        assertEquals("1,3,6,15", d.path("fingerprint").path("prl").asText());
        assertEquals("cam-17", d.path("fingerprint").path("hostname").asText());
        assertEquals("MSFT 5.0", d.path("fingerprint").path("vendor_class").asText());
        assertEquals("chaddr", d.path("identity").path("mark_sources").get(0).path("value").asText());
        assertEquals(2, d.path("relays").size(), d.path("relays").toString());
        assertTrue(d.path("bindings").size() >= 1, d.toString());
        assertEquals(404, api.call("GET", "/api/v1/devices/02:00:5e:ff:ff:ff", viewer, null).status());
    }

    @Test
    void whoHadAnAddressAtATimeIsTheClientWhoseAckAssignedIt() throws Exception {
        JsonNode b = get("/api/v1/bindings?ip=198.18.1.20&at=" + T0.plusSeconds(200));
        assertEquals(1, b.path("bindings").size(), b.toString());
        assertEquals("02:00:5e:bb:00:02", b.path("bindings").get(0).path("client_mac").asText());
        assertEquals(0, get("/api/v1/bindings?ip=198.18.1.20&at=" + T0.minusSeconds(60)).path("bindings").size(),
                "before the ACK nobody had it");
        assertTrue(get("/api/v1/bindings?client=02:00:5e:aa:00:01&" + range()).path("bindings").size() >= 1);
    }

    @Test
    void operationalConfigIsReadChangedResetAndAudited() throws Exception {
        String admin = api.adminToken();
        JsonNode all = get("/api/v1/config");
        assertTrue(all.path("keys").size() >= 10);
        ApiHarness.Reply set = api.call("PUT", "/api/v1/config/operational.websocket.burst", admin, "{\"value\":77}");
        assertEquals(200, set.status(), set.body());
        assertEquals("77", set.json().path("value").asText());
        assertEquals("database", set.json().path("source").asText());
        assertEquals(403, api.call("PUT", "/api/v1/config/operational.websocket.burst", viewer, "{\"value\":1}")
                .status());
        ApiHarness.Reply reset = api.call("DELETE", "/api/v1/config/operational.websocket.burst", admin, null);
        assertEquals("default", reset.json().path("source").asText());
        JsonNode audit = get("/api/v1/config/audit?key=operational.websocket.burst");
        assertEquals(2, audit.path("changes").size(), audit.toString());
        assertEquals("admin", audit.path("changes").get(0).path("actor").asText());
    }

    @Test
    void statsAndCountersDescribeWhatWasStored() throws Exception {
        ApiHarness.await(Duration.ofSeconds(30), () -> {
            try {
                return get("/api/v1/stats/top-clients?" + range()).path("clients").size() == 2;
            } catch (Exception e) {
                return false;
            }
        }, "the Stage-1 view has both clients");
        JsonNode top = get("/api/v1/stats/top-clients?" + range());
        assertEquals("02:00:5e:aa:00:01", top.path("clients").get(0).path("client_mac").asText());
        assertEquals(30, top.path("clients").get(0).path("events").asLong());
        JsonNode types = get("/api/v1/stats/message-types?" + range() + "&bucket=1h");
        long total = 0;
        for (JsonNode s : types.path("series")) {
            total += s.path("events").asLong();
        }
        assertEquals(34, total);
        JsonNode counters = get("/api/v1/counters");
        assertTrue(counters.path("metrics").path("http_requests").path("total").asLong() > 0, counters.toString());
        ApiHarness.Reply metrics = api.call("GET", "/metrics", null, null);
        assertEquals(200, metrics.status());
        assertTrue(metrics.body().contains("dhcpshield_http_requests_total{"), metrics.body());
        assertTrue(metrics.body().contains("dhcpshield_http_request_seconds_bucket{"), metrics.body());
    }
}
