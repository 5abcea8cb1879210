package io.dhcpshield.automation.bulk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dhcpshield.core.net.IpAddress;
import io.dhcpshield.core.net.MacAddress;
import io.dhcpshield.enforcement.action.ActionType;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The Bulk Actions JSON: strict reading with every problem named by its field, and the answers' shapes. */
class BulkJsonTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final Instant NOW = Instant.parse("2026-11-22T12:00:00Z");

    static JsonNode json(String text) throws Exception {
        return JSON.readTree(text);
    }

    static Map<String, String> problems(Runnable r) {
        return assertThrows(BulkValidationException.class, r::run).fields();
    }

    @Test
    void criteriaProblemsNameEachFieldAllAtOnce() {
        Map<String, String> p = problems(() -> BulkCriteria.parse("""
                {"relay": "10.0.0", "family": 5, "min_requests": 0, "message_type": "HELLO", "past_action": "smite",
                 "since": "yesterday", "colour": "red", "circuit": 7}"""));
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("criteria.colour", "not a known field (known: circuit, family, fingerprint, message_type,"
                + " min_requests, past_action, relay, since, site, until, vendor_class)");
        expected.put("criteria.since", "not an ISO-8601 time with an offset (2026-11-22T12:00:00Z): 'yesterday'");
        expected.put("criteria.relay", "not an IP address: '10.0.0'");
        expected.put("criteria.circuit", "must be a string, was 7");
        assertEquals(expected, p, "type problems first: the values that parsed are checked once these are fixed");

        Map<String, String> values = problems(() -> BulkCriteria.parse("""
                {"family": 5, "min_requests": 0, "message_type": "HELLO", "past_action": "smite"}"""));
        assertEquals(Map.of(
                "criteria.past_action", "must be one of any, block, deny, throttle, monitor, allow, cleanup, analyze,"
                        + " was 'smite'",
                "criteria.message_type", "not a DHCP message type (DISCOVER, SOLICIT, REQUEST, ...): 'HELLO'",
                "criteria.min_requests", "must be at least 1, was 0",
                "criteria.family", "must be 4 or 6, was 5"), values);
        assertEquals("criteria.relay: not an IP address: '10.0.0'",
                assertThrows(BulkValidationException.class, () -> BulkCriteria.parse("{\"relay\": \"10.0.0\"}"))
                        .getMessage());
    }

    @Test
    void theWindowDefaultsToTheLastDayAndIsAtMostSevenDays() {
        BulkCriteria none = BulkCriteria.none();
        assertEquals(new BulkCriteria.Window(NOW.minus(Duration.ofDays(1)), NOW), none.window(NOW));
        BulkCriteria since = BulkCriteria.parse("{\"since\": \"2026-11-22T10:00:00+01:00\"}");
        assertEquals(new BulkCriteria.Window(Instant.parse("2026-11-22T09:00:00Z"), NOW), since.window(NOW));
        assertEquals(Map.of("criteria.since", "the window is at most 7 days, was 240 h"),
                problems(() -> BulkCriteria.parse("{\"since\": \"2026-11-12T12:00:00Z\"}").window(NOW)));
        assertEquals(Map.of("criteria.since", "must be before criteria.until (2026-11-20T00:00:00Z, now when left"
                        + " out), was 2026-11-21T00:00:00Z"),
                problems(() -> BulkCriteria.parse("{\"since\": \"2026-11-21T00:00:00Z\","
                        + " \"until\": \"2026-11-20T00:00:00Z\"}")));
    }

    @Test
    void criteriaRoundTripThroughTheirJsonWithBlankTextMeaningNotGiven() throws Exception {
        BulkCriteria c = BulkCriteria.parse("""
                {"since": "2026-11-22T00:00:00Z", "until": "2026-11-22T12:00:00Z", "past_action": "Block",
                 "relay": "100.64.0.1", "circuit": "c-1", "vendor_class": "MSFT", "fingerprint": "1,3,6,15",
                 "message_type": "discover", "min_requests": 10, "family": 4, "site": ""}""");
        assertEquals(IpAddress.parse("100.64.0.1"), c.relay());
        assertEquals("block", c.pastAction());
        assertEquals("DISCOVER", c.messageType());
        assertNull(c.site(), "an empty input is not a criterion");
        assertEquals(c, BulkCriteria.parse(c.toJson()));
        assertEquals(json("""
                {"since": "2026-11-22T00:00:00Z", "until": "2026-11-22T12:00:00Z", "past_action": "block",
                 "relay": "100.64.0.1", "circuit": "c-1", "vendor_class": "MSFT", "fingerprint": "1,3,6,15",
                 "message_type": "DISCOVER", "min_requests": 10, "family": 4, "site": null}"""),
                json(c.toJson().toString()));
    }

    @Test
    void aJobRequestIsReadWithDefaultsAndItsProblemsNamed() throws Exception {
        BulkJobRequest r = BulkJson.jobRequest(json("""
                {"criteria": {"circuit": "c-1"}, "action": "throttle", "duration_seconds": 3600,
                 "reason": " noisy circuit ", "run_at": "2026-11-23T00:00:00Z"}"""));
        assertEquals(new BulkJobRequest(BulkCriteria.parse("{\"circuit\": \"c-1\"}"), ActionType.THROTTLE,
                Duration.ofHours(1), "noisy circuit", 500, Instant.parse("2026-11-23T00:00:00Z")), r);

        assertEquals(Map.of("criteria.relay", "not an IP address: 'x'",
                        "action", "must be one of block, deny, throttle, monitor, allow, cleanup, was 'smite'",
                        "batch_size", "must be from 1 to 5000, was 0",
                        "reason", "is required (it is in every action's record)",
                        "speed", "not a known field (known: action, batch_size, criteria, duration_seconds, reason,"
                                + " run_at)"),
                problems(() -> BulkJson.jobRequest(parse("""
                        {"criteria": {"relay": "x"}, "action": "smite", "batch_size": 0, "speed": 9}"""))));
        assertEquals(Map.of("duration_seconds", "deny is permanent: leave duration_seconds out (use block for a"
                        + " timed drop)"),
                problems(() -> BulkJson.jobRequest(parse("""
                        {"criteria": {}, "action": "deny", "duration_seconds": 60, "reason": "r"}"""))));
        assertEquals(Map.of("action", "must be one of block, deny, throttle, monitor, allow, cleanup, was analyze"),
                problems(() -> BulkJson.jobRequest(parse("""
                        {"criteria": {}, "action": "analyze", "reason": "r"}"""))));
        assertEquals(Map.of("criteria", "is required (an object)"),
                problems(() -> BulkJson.previewRequest(parse("{\"sample\": 5}"))));
        assertEquals(Map.of("sample", "must be from 0 to 1000, was 1001"),
                problems(() -> BulkJson.previewRequest(parse("{\"criteria\": {}, \"sample\": 1001}"))));
        assertEquals(new BulkJson.PreviewRequest(BulkCriteria.none(), 20),
                BulkJson.previewRequest(json("{\"criteria\": {}}")));
    }

    @Test
    void aPreviewAndAJobAreWrittenInSnakeCaseWithNullsForWhatIsAbsent() throws Exception {
        BulkClient dual = new BulkClient(0x00a001, new MacAddress(0x0200_0000_a001L), "00:03:00:01:02:00:00:00:a0:01",
                List.of(4, 6), 9, NOW, "100.64.0.1", "c-1", null);
        BulkPreview p = new BulkPreview(1, List.of(dual), new BulkCriteria.Window(NOW.minusSeconds(3600), NOW), 12);
        assertEquals(json("""
                {"count": 1, "sample": [{"mark": "0x00a001", "mac": "02:00:00:00:a0:01",
                  "duid": "00:03:00:01:02:00:00:00:a0:01", "family": [4, 6], "requests": 9,
                  "last_seen": "2026-11-22T12:00:00Z", "relay": "100.64.0.1", "circuit": "c-1", "vendor_class": null,
                  "target": "mac 02:00:00:00:a0:01"}],
                 "since": "2026-11-22T11:00:00Z", "until": "2026-11-22T12:00:00Z", "query_ms": 12}"""),
                json(BulkJson.preview(p).toString()), "numbers compared as written");

        BulkJob j = new BulkJob("j1", BulkJob.State.RUNNING, ActionType.BLOCK, Duration.ofHours(2),
                BulkCriteria.parse("{\"circuit\": \"c-1\"}"), "why", "alice", NOW, NOW, NOW, null, 500, 1000, 500, 0, 1,
                "");
        JsonNode out = json(BulkJson.jobs(List.of(j)).toString());
        assertEquals(json("""
                {"id": "j1", "state": "running", "action": "block", "duration_seconds": 7200,
                 "criteria": {"since": null, "until": null, "past_action": null, "relay": null, "circuit": "c-1",
                              "vendor_class": null, "fingerprint": null, "message_type": null, "min_requests": null,
                              "family": null, "site": null},
                 "reason": "why", "created_by": "alice", "created_at": "2026-11-22T12:00:00Z",
                 "run_at": "2026-11-22T12:00:00Z", "started_at": "2026-11-22T12:00:00Z", "finished_at": null,
                 "total": 1000, "done": 500, "failed": 0, "batches": 1, "batch_size": 500, "error": ""}"""),
                out.get("jobs").get(0));
    }

    static JsonNode parse(String text) {
        try {
            return JSON.readTree(text);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
