package io.dhcpshield.processor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dhcpshield.core.event.DhcpEvent;
import io.dhcpshield.core.event.EventFanout;
import io.dhcpshield.core.json.EventJson;
import io.dhcpshield.core.pipeline.DenySet;
import io.dhcpshield.core.time.Time;
import io.dhcpshield.transport.pcap.PcapFileReader;
import io.dhcpshield.transport.pcap.PcapFrame;
import io.dhcpshield.transport.tzsp.TzspCollector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.scheduler.Schedulers;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The collector service with TZSP we did not write: datagrams built by Debian's python3-scapy TZSP layer and the
 * MikroTik stream of the shared corpus, re-sent over a real UDP socket.
 */
class CollectorServiceTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SCAPY = "/usr/bin/python3";

    private final EventFanout<DhcpEvent> events = new EventFanout<>();
    private final List<JsonNode> seen = new CopyOnWriteArrayList<>();
    private CollectorService service;
    private Disposable subscription;

    @BeforeEach
    void start() throws Exception {
        subscription = events.subscribe("test", 10_000, Schedulers.single()).subscribe(e -> {
            try {
                seen.add(JSON.readTree(EventJson.toBytes(e)));
            } catch (java.io.IOException ex) {
                throw new IllegalStateException(ex);
            }
        });
        service = new CollectorService(new TzspCollector.Config("127.0.0.1", 0, List.of(), 1 << 20, 16),
                new DenySet(), events, Time.SYSTEM, null);
        service.start();
    }

    @AfterEach
    void stop() {
        service.stop();
        subscription.dispose();
    }

    private int port() {
        return service.collector().localAddress().getPort();
    }

    @Test
    void scapyBuiltTzspBecomesEventsWithTheSensorSiteAndTheOriginalAddresses() throws Exception {
        Path script = Files.createTempFile("tzsp", ".py");
        Files.writeString(script, """
                import socket, sys
                from scapy.all import Ether, IP, IPv6, UDP, BOOTP, DHCP
                from scapy.layers.dhcp6 import DHCP6_Solicit, DHCP6OptClientId, DUID_LL
                from scapy.contrib.tzsp import TZSP, TZSPTagEnd, TZSPTagTimestamp, TZSPTagWlanRadioHdrSerial
                port = int(sys.argv[1])
                v4 = (Ether(src="02:00:5e:10:00:01", dst="ff:ff:ff:ff:ff:ff") / IP(src="0.0.0.0", dst="255.255.255.255")
                      / UDP(sport=68, dport=67) / BOOTP(chaddr=bytes.fromhex("02005e100001"), xid=0x1234)
                      / DHCP(options=[("message-type", "discover"), ("hostname", "scapy-host"), "end"]))
                v6 = (Ether(src="02:00:5e:10:00:02", dst="33:33:00:01:00:02") / IPv6(src="fe80::1", dst="ff02::1:2")
                      / UDP(sport=546, dport=547) / DHCP6_Solicit(trid=0xabcd)
                      / DHCP6OptClientId(duid=DUID_LL(lladdr="02:00:5e:10:00:02")))
                s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
                for d in (TZSP() / TZSPTagTimestamp(timestamp=1234) / TZSPTagWlanRadioHdrSerial(sensor_id=b"branch-7")
                          / TZSPTagEnd() / v4,
                          TZSP() / TZSPTagEnd() / v6,
                          TZSP() / v4):  # scapy's default: no END tag, which TZSP requires
                    s.sendto(bytes(d), ("127.0.0.1", port))
                """);
        Lab.Result r = Lab.exec(Duration.ofSeconds(60), SCAPY, script.toString(), Integer.toString(port()));
        Files.delete(script);
        assertEquals(0, r.exit(), r.output());
        Lab.await(Duration.ofSeconds(10), () -> service.collector().snapshot().datagrams() == 3 && seen.size() == 2,
                "3 datagrams, 2 events");
        TzspCollector.Snapshot snap = service.collector().snapshot();
        assertEquals(2, snap.frames());
        // Without END the frame's first bytes are read as tags (ff ff: a 255-byte tag), which run past the datagram.
        assertEquals(1, snap.droppedTotal(), snap.toString());
        assertEquals(1L, snap.dropped().get(TzspCollector.Reason.TRUNCATED_TAG), snap.toString());

        JsonNode v4 = seen.stream().filter(e -> e.path("family").asInt() == 4).findFirst().orElseThrow();
        assertEquals("branch-7", v4.path("site").asText(), "the sensor id is the site");
        assertEquals("tzsp", v4.path("input").asText());
        assertEquals("DISCOVER", v4.path("msg_type").asText());
        assertEquals("02:00:5e:10:00:01", v4.path("client_mac").asText());
        assertEquals("02:00:5e:10:00:01", v4.path("l2_src").asText());
        assertEquals("ff:ff:ff:ff:ff:ff", v4.path("l2_dst").asText());
        assertEquals("0.0.0.0", v4.path("src_ip").asText());
        assertEquals("255.255.255.255", v4.path("dst_ip").asText());
        assertEquals("scapy-host", v4.path("hostname").asText());
        assertTrue(v4.path("agent").asText().startsWith("127.0.0.1:"), v4.toString());
        assertEquals(0, v4.path("queue").asInt());

        JsonNode v6 = seen.stream().filter(e -> e.path("family").asInt() == 6).findFirst().orElseThrow();
        assertEquals("127.0.0.1", v6.path("site").asText(), "without a sensor id the agent's address is the site");
        assertEquals("SOLICIT", v6.path("msg_type").asText());
        assertEquals("0xabcd".replace("0x", "0x00"), v6.path("xid").asText());
        assertEquals("33:33:00:01:00:02", v6.path("l2_dst").asText());
        assertEquals("fe80::1", v6.path("src_ip").asText());

        TzspCollector.AgentSnapshot agent = service.collector().agents().get(0);
        assertEquals("branch-7", agent.sensorId());
        assertEquals(3, agent.datagrams());
        assertEquals(1, agent.malformed());
    }

    /** The MikroTik stream carries HTTP: valid TZSP, observed, counted as not DHCP, no event. */
    @Test
    void theMikrotikStreamIsAcceptedAndItsFramesObserved() throws Exception {
        Path capture = Lab.REPO.resolve("testdata/corpus/lwerdna/simple_http_tzsp.pcapng");
        int sent = 0;
        try (PcapFileReader reader = PcapFileReader.open(capture); DatagramSocket s = new DatagramSocket()) {
            for (PcapFrame f : reader) {
                byte[] d = f.data();
                int payload = 14 + (d[14] & 0x0F) * 4 + 8;
                s.send(new DatagramPacket(d, payload, d.length - payload, new InetSocketAddress("127.0.0.1", port())));
                sent++;
            }
        }
        int n = sent;
        Lab.await(Duration.ofSeconds(10), () -> service.collector().snapshot().datagrams() == n, n + " datagrams");
        assertEquals(5, n);
        assertEquals(n, service.collector().snapshot().frames());
        assertEquals(n, service.observer().counters().received());
        assertEquals(n, service.observer().counters().nonDhcp());
        assertEquals(0, seen.size());
    }
}
