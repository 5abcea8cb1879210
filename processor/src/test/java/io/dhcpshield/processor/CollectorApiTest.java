package io.dhcpshield.processor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dhcpshield.api.ApiConfig;
import io.dhcpshield.api.ApiServer;
import io.dhcpshield.core.event.DhcpEvent;
import io.dhcpshield.core.event.EventFanout;
import io.dhcpshield.core.pipeline.DenySet;
import io.dhcpshield.core.service.Deferred;
import io.dhcpshield.core.service.ServiceManager;
import io.dhcpshield.core.time.Time;
import io.dhcpshield.transport.tzsp.Tzsp;
import io.dhcpshield.transport.tzsp.TzspCollector;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The collector's counters over HTTP: a real {@link CollectorService} receiving TZSP from two agents and the real
 * {@link ApiServer} in one {@link ServiceManager}, as a passive daemon wires them (no inspection service); {@code /metrics}
 * carries the per-agent series and {@code /api/v1/ready} says passive with the agents counted.
 */
class CollectorApiTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** An Ethernet broadcast DISCOVER from 02:00:5e:10:00:01 (option 53 = 1, END). */
    private static final byte[] DISCOVER = discover();

    private static byte[] discover() {
        HexFormat hex = HexFormat.of();
        byte[] dhcp = new byte[244];
        dhcp[0] = 1;
        dhcp[1] = 1;
        dhcp[2] = 6;
        System.arraycopy(hex.parseHex("02005e100001"), 0, dhcp, 28, 6);
        System.arraycopy(hex.parseHex("63825363350101ff"), 0, dhcp, 236, 8);
        ByteBuf b = Unpooled.buffer();
        b.writeBytes(hex.parseHex("ffffffffffff02005e1000010800"));
        b.writeBytes(hex.parseHex("4500" + String.format("%04x", 28 + dhcp.length) + "0000000040110000"
                + "00000000ffffffff"));
        b.writeShort(68).writeShort(67).writeShort(8 + dhcp.length).writeShort(0).writeBytes(dhcp);
        byte[] out = new byte[b.readableBytes()];
        b.readBytes(out);
        return out;
    }

    private final Scheduler scheduler = Schedulers.newSingle("collector-api-test", true);
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private ServiceManager daemon;
    private Path stateDir;

    @AfterEach
    void stop() throws Exception {
        if (daemon != null) {
            daemon.stopAll();
        }
        scheduler.dispose();
        if (stateDir != null) {
            try (var files = Files.walk(stateDir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static byte[] tzsp(String sensor, byte[] frame) {
        return Tzsp.datagram(sensor, frame);
    }

    /** The value of one series in Prometheus text; fails when the series is absent. */
    private static double value(String body, String series) {
        for (String line : body.split("\n")) {
            if (line.startsWith(series + " ")) {
                return Double.parseDouble(line.substring(series.length() + 1).trim().split(" ")[0]);
            }
        }
        throw new AssertionError("no series " + series + " in:\n" + body);
    }

    private HttpResponse<String> get(int port, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void metricsCarryThePerAgentSeriesAndReadySaysPassiveWithTheAgents() throws Exception {
        stateDir = Files.createTempDirectory("collector-api-");
        EventFanout<DhcpEvent> events = new EventFanout<>();
        CollectorService collector = new CollectorService(new TzspCollector.Config("127.0.0.1", 0, List.of(),
                1 << 20, 16), new DenySet(), events, Time.SYSTEM, null);
        ApiConfig d = ApiConfig.defaults();
        ApiConfig config = new ApiConfig(true, "127.0.0.1", 0, null, null, stateDir, null, d.issuer(), d.audience(),
                d.accessTokenTtl(), d.refreshTokenTtl(), d.maxBodyBytes(), d.loginFailuresPerUser(),
                d.loginFailuresPerAddress(), d.loginWindow(), d.maxPageSize(), d.maxTimeRange(), d.streamQueue(),
                d.streamSlowClose(), d.streamPingInterval(), d.streamIdleTimeout(), d.streamAuthTimeout());
        Deferred<ServiceManager> self = new Deferred<>("daemon", "starting");
        ApiServer api = new ApiServer(config, new ApiServer.Context(self,
                Deferred.never("storage", "clickhouse.enabled is false"),
                Deferred.never("operational config", "clickhouse.enabled is false"),
                Deferred.never("action manager", "passive mode has no ruleset"), events, 1024, Time.SYSTEM, scheduler,
                Deferred.never("automation", "needs clickhouse.enabled"),
                Deferred.never("analysis", "needs clickhouse.enabled"),
                Deferred.never("detectors", "needs clickhouse.enabled"),
                Deferred.never("alarms", "alarms.enabled is false")));
        daemon = new ServiceManager(List.of(collector, api));
        self.complete(daemon);
        daemon.startAll();
        InetSocketAddress to = collector.collector().localAddress();

        // Two agents (agents are told apart by address): branch-7 at 127.0.0.1 sends two frames and a datagram of
        // TZSP version 2, the other at 127.0.0.2 one frame without a sensor id.
        try (DatagramSocket branch7 = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0));
             DatagramSocket other = new DatagramSocket(new InetSocketAddress("127.0.0.2", 0))) {
            for (byte[] d7 : List.of(tzsp("branch-7", DISCOVER), tzsp("branch-7", DISCOVER),
                    HexFormat.of().parseHex("02000001ff"))) {
                branch7.send(new DatagramPacket(d7, d7.length, to));
            }
            byte[] dB = tzsp(null, DISCOVER);
            other.send(new DatagramPacket(dB, dB.length, to));
        }
        Lab.await(Duration.ofSeconds(10), () -> collector.collector().snapshot().datagrams() == 4, "4 datagrams");

        HttpResponse<String> metrics = get(api.port(), "/metrics");
        assertEquals(200, metrics.statusCode());
        String body = metrics.body();
        String a7 = "agent=\"127.0.0.1\",sensor_id=\"branch-7\"";
        String aB = "agent=\"127.0.0.2\",sensor_id=\"\"";
        assertEquals(3, value(body, "dhcpshield_tzsp_agent_datagrams_total{" + a7 + "}"), body);
        assertEquals(2, value(body, "dhcpshield_tzsp_agent_frames_total{" + a7 + "}"), body);
        assertEquals(1, value(body, "dhcpshield_tzsp_agent_malformed_total{" + a7 + "}"), body);
        assertEquals(1, value(body, "dhcpshield_tzsp_agent_frames_total{" + aB + "}"), body);
        assertEquals(0, value(body, "dhcpshield_tzsp_agent_malformed_total{" + aB + "}"), body);
        double lastSeen = value(body, "dhcpshield_tzsp_agent_last_seen_seconds{" + a7 + "}");
        assertTrue(Math.abs(lastSeen - System.currentTimeMillis() / 1000.0) < 60, "last seen now: " + lastSeen);
        assertEquals(4, value(body, "dhcpshield_tzsp_datagrams_total"), body);
        assertEquals(1, value(body, "dhcpshield_tzsp_dropped_total{reason=\"bad_version\"}"), body);
        assertEquals(3, value(body, "dhcpshield_observed_dhcp_total"), body);
        assertFalse(body.contains("dhcpshield_nfqueue_"), "passive: no queue series");

        HttpResponse<String> ready = get(api.port(), "/api/v1/ready");
        JsonNode r = JSON.readTree(ready.body());
        assertEquals("passive", r.path("mode").asText(), r.toString());
        assertEquals(2, r.path("collector_agents").asInt(), r.toString());
        assertFalse(r.path("fail_open_in_effect").asBoolean(), "no queue to fail open");
        assertEquals(503, ready.statusCode(), "the API's users wait for ClickHouse, which this daemon lacks");
        JsonNode service = null;
        for (JsonNode s : r.path("services")) {
            if (s.path("name").asText().equals("collector")) {
                service = s;
            }
        }
        assertTrue(service != null && service.path("ready").asBoolean(), r.toString());
        JsonNode agents = service.path("detail").path("agents");
        assertEquals(2, agents.size());
        JsonNode first = agents.get(0).path("sensor_id").asText().equals("branch-7") ? agents.get(0) : agents.get(1);
        assertEquals("127.0.0.1", first.path("address").asText(), agents.toString());
        assertEquals(3, first.path("datagrams").asInt());
        assertEquals(1, first.path("malformed").asInt());
        assertEquals("observe", service.path("detail").path("mode").asText());
    }
}
