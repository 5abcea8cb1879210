package io.dhcpshield.capture;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dhcpshield.core.event.Direction;
import io.dhcpshield.core.net.IpAddress;
import io.dhcpshield.core.net.MacAddress;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A capture request is read from the API's body with every problem named by its field. */
class CaptureRequestTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final CaptureConfig CONFIG = CaptureConfig.defaults().withDir(Path.of("/unused"));

    private static JsonNode json(String s) throws Exception {
        return JSON.readTree(s);
    }

    @Test
    void everyFilterFieldIsReadAndNormalised() throws Exception {
        CaptureRequest r = CaptureRequest.of(json("""
                {"label": " lab test ", "filter": {"mac": "02-00-5E-10-20-30", "duid": "00030001AABBCCDDEEFF",
                 "message_type": "information_request", "relay": "10.0.0.1", "circuit": "eth0/1",
                 "direction": "Outbound", "site": "lab"},
                 "max_packets": 50, "max_bytes": 2048, "max_seconds": 60}"""), CONFIG);
        assertEquals("lab test", r.label());
        CaptureFilter f = r.filter();
        assertEquals(MacAddress.parse("02:00:5e:10:20:30"), f.mac());
        assertEquals("00:03:00:01:aa:bb:cc:dd:ee:ff", f.duid());
        assertEquals(new CaptureFilter.MessageType("INFORMATION-REQUEST", CaptureFilter.MessageType.NONE, 11),
                f.messageType());
        assertEquals(IpAddress.parse("10.0.0.1"), f.relay());
        assertEquals("eth0/1", f.circuit());
        assertEquals(Direction.SERVER_TO_CLIENT, f.direction());
        assertEquals("lab", f.site());
        assertEquals(new CaptureLimits(50, 2048, 60), r.limits());
        // The view is the normalised filter, and reading it back gives the same filter (sidecars rely on it).
        assertEquals("""
                {"mac":"02:00:5e:10:20:30","duid":"00:03:00:01:aa:bb:cc:dd:ee:ff","message_type":"INFORMATION-REQUEST",\
                "relay":"10.0.0.1","circuit":"eth0/1","direction":"outbound","site":"lab"}""",
                CaptureJson.filter(f).toString());
        assertEquals(f, CaptureFilter.of(CaptureJson.filter(f)));
        assertEquals(f, CaptureFilter.fromMap(Map.of("mac", "02:00:5e:10:20:30", "duid",
                "00:03:00:01:aa:bb:cc:dd:ee:ff", "message_type", "INFORMATION-REQUEST", "relay", "10.0.0.1",
                "circuit", "eth0/1", "direction", "outbound", "site", "lab")));
    }

    @Test
    void aNameBothFamiliesUseMatchesBoth() {
        CaptureFilter.MessageType request = CaptureFilter.MessageType.of("request");
        assertEquals(new CaptureFilter.MessageType("REQUEST", 3, 3), request);
        assertEquals(new CaptureFilter.MessageType("RELEASE", 7, 8), CaptureFilter.MessageType.of("Release"));
        assertEquals(new CaptureFilter.MessageType("DISCOVER", 1, CaptureFilter.MessageType.NONE),
                CaptureFilter.MessageType.of("discover"));
        assertEquals(new CaptureFilter.MessageType("SOLICIT", CaptureFilter.MessageType.NONE, 1),
                CaptureFilter.MessageType.of("SOLICIT"));
    }

    @Test
    void anEmptyBodyTakesTheDefaultLimitsAndKeepsEverything() throws Exception {
        CaptureRequest r = CaptureRequest.of(json("{}"), CONFIG);
        assertEquals(CONFIG.defaultLimits(), r.limits());
        assertEquals(CaptureFilter.ALL, r.filter());
        assertTrue(r.filter().isEmpty());
        assertEquals("", r.label());
        assertEquals("{}", CaptureJson.filter(r.filter()).toString());
    }

    @Test
    void everyBadFieldIsRefusedByName() throws Exception {
        CaptureRequestException e = assertThrows(CaptureRequestException.class, () -> CaptureRequest.of(json("""
                {"label": "a\\u0000b", "filter": {"mac": "zz:zz", "duid": "xyz", "message_type": "HELLO",
                 "relay": "10.0.0", "circuit": 7, "direction": "up", "site": "x", "vlan": 5},
                 "max_packets": 0, "max_bytes": "big", "max_seconds": 86401, "name": "x"}"""), CONFIG));
        assertEquals(Map.ofEntries(
                Map.entry("name", "unknown field; expected one of label, filter, max_packets, max_bytes, max_seconds"),
                Map.entry("label", "contains a control character"),
                Map.entry("filter.vlan", "unknown field; expected one of mac, duid, message_type, relay, circuit, "
                        + "direction, site"),
                Map.entry("filter.mac", "not a MAC address (aa:bb:cc:dd:ee:ff)"),
                Map.entry("filter.duid", "not a DUID (hex bytes, 00:03:00:01:...)"),
                Map.entry("filter.message_type", "not a DHCP message type (DISCOVER, REQUEST, SOLICIT, ...)"),
                Map.entry("filter.relay", "not an IPv4 or IPv6 address"),
                Map.entry("filter.circuit", "must be a string"),
                Map.entry("filter.direction", "must be inbound or outbound"),
                Map.entry("max_packets", "must be 1..1000000, was 0"),
                Map.entry("max_bytes", "must be a whole number"),
                Map.entry("max_seconds", "must be 1..86400, was 86401")), e.problems());
        assertEquals("name", e.field());
        assertTrue(e.getMessage().contains("filter.mac: not a MAC address"), e.getMessage());
    }

    @Test
    void aFilterThatIsNotAnObjectAndABodyThatIsNotOneAreRefused() throws Exception {
        assertEquals(Map.of("filter", "must be an object"), assertThrows(CaptureRequestException.class,
                () -> CaptureRequest.of(json("{\"filter\": [1]}"), CONFIG)).problems());
        assertEquals(Map.of("body", "must be a JSON object"), assertThrows(CaptureRequestException.class,
                () -> CaptureRequest.of(json("[]"), CONFIG)).problems());
        assertEquals("filter.mac", assertThrows(CaptureRequestException.class,
                () -> CaptureFilter.fromMap(Map.of("mac", "nope"))).field());
    }

    @Test
    void limitsBeyondTheConfiguredBoundsAreRefusedEvenWhenBuiltInCode() {
        CaptureRequest r = new CaptureRequest("x", CaptureFilter.ALL, new CaptureLimits(2_000_000, 1024, 1));
        assertEquals(Map.of("max_packets", "must be 1..1000000, was 2000000"),
                assertThrows(CaptureRequestException.class, () -> r.check(CONFIG)).problems());
    }

    @Test
    void badConfigurationNamesItsKey() {
        CaptureConfig d = CaptureConfig.defaults();
        assertEquals("capture.max_total_bytes must be at least 1 MiB (1048576), was 1000",
                assertThrows(IllegalArgumentException.class, () -> d.withStorage(1000, 1)).getMessage());
        assertEquals("capture.max_limits.max_bytes (134217728) must be at most capture.max_total_bytes (2097152)",
                assertThrows(IllegalArgumentException.class, () -> d.withStorage(2 * 1024 * 1024, 1)).getMessage());
        assertEquals("capture.default_limits.max_seconds (300) must be at most capture.max_limits.max_seconds (60)",
                assertThrows(IllegalArgumentException.class, () -> d.withLimits(d.defaultLimits(),
                        new CaptureLimits(1000, 10 * 1024 * 1024, 60))).getMessage());
        assertEquals("capture.max_limits.max_packets must be at least 1, was 0",
                assertThrows(IllegalArgumentException.class,
                        () -> CaptureLimits.of("capture.max_limits.", 0, 2048, 5)).getMessage());
        assertEquals("capture.buffer must be 16..1000000, was 1",
                assertThrows(IllegalArgumentException.class, () -> d.withSessions(1, 8)).getMessage());
    }
}
